"""The audit trail: append-only AuditEvent nodes (this module never updates or deletes one,
except ``redact_person`` which rewrites readable text when a person is anonymised)."""

from __future__ import annotations

from datetime import datetime

from graph import paging
from graph.database import run

__all__ = [
    "AUDIT_ACTIONS",
    "append_event",
    "events_about",
    "names_of",
    "redact_person",
    "search_events",
]

# action code -> French label, the allowlist for filters.
AUDIT_ACTIONS: dict[str, str] = {
    "login": "Connexion réussie",
    "login_failed": "Connexion refusée",
    "logout": "Déconnexion",
    "view": "Consultation d'une fiche",
    "create": "Création",
    "update": "Modification",
    "merge": "Fusion",
    "delete": "Suppression",
    "export": "Export",
    "permission": "Changement de droits",
    "denied": "Accès refusé (hors périmètre)",
    "privacy": "Protection des données (loi 09-08)",
    "analysis": "Analyse du réseau",
}


def append_event(event: dict) -> str:
    """Store one event; ``event`` holds plain values (details as a JSON string)."""
    return run(
        """
        CREATE (e:AuditEvent)
        SET e = $event, e.uid = randomUUID(), e.at = datetime()
        RETURN e.uid AS uid
        """,
        event=event,
    )[0]["uid"]


# Filters of the journal -> their condition (fixed text; values travel as parameters). Only
# the filters given are written into the query, so each can use its index.
_FILTERS = {
    "action": "e.action = $action",
    "actor_email": "e.actor_email = $actor_email",
    "since": "e.at >= $since",
    "until": "e.at < $until",
    "target_uid": "e.target_uid = $target_uid",
}


def search_events(
    action: str | None,
    actor_email: str | None,
    since: datetime | None,
    until: datetime | None,
    target_uid: str | None,
    skip: int,
    limit: int,
) -> tuple[list[dict], int]:
    params = {
        "action": action,
        "actor_email": actor_email,
        "since": since,
        "until": until,
        "target_uid": target_uid,
    }
    given = {name: value for name, value in params.items() if value is not None}
    # "e.at IS NOT NULL" lets the planner read the time index in order for the newest page.
    conditions = ["e.at IS NOT NULL", *(_FILTERS[name] for name in given)]
    match = "MATCH (e:AuditEvent) WHERE " + " AND ".join(conditions)
    return paging.page(match, "e.at DESC", "properties(e)", skip, limit, **given)


def events_about(target_uids: list[str], actions: list[str], limit: int) -> list[dict]:
    """Events about any of ``target_uids`` with one of ``actions``, newest first, each with
    ``actor_name``: the acting account's display name now (None when it has none)."""
    rows = run(
        """
        MATCH (e:AuditEvent) WHERE e.target_uid IN $uids AND e.action IN $actions
        WITH e ORDER BY e.at DESC LIMIT $limit
        OPTIONAL MATCH (u:User {uid: e.actor_uid})
        RETURN e {.*, actor_name: u.display_name} AS e ORDER BY e.at DESC
        """,
        uids=target_uids,
        actions=actions,
        limit=limit,
    )
    return [row["e"] for row in rows]


def names_of(uids: list[str], commune_codes: list[str] = ()) -> dict[str, dict]:
    """What the trail's pages need to name the people, organisations, accounts (by uid) and
    communes (by code) it mentions, in one round trip; records gone are left out.

    Each value (people, organisations, events, accounts, communes) is ``{"kind", "name",
    "first_name", "last_name", "email", "named"}`` (people keep their two names apart so that
    the caller writes them its own way; accounts carry their e-mail; ``named`` is false for a
    person under opposition or anonymised, ``graph.privacy.PERSON_NAMED``).
    """
    rows = run(
        """
        CALL () {
            UNWIND $uids AS uid
            MATCH (x:Person {uid: uid})
            RETURN x.uid AS key, 'person' AS kind, NULL AS name, x.first_name AS first_name,
                   x.last_name AS last_name, NULL AS email,
                   NOT coalesce(x.opposition, false) AND NOT coalesce(x.anonymised, false)
                     AS named
            UNION ALL
            UNWIND $uids AS uid
            MATCH (x:Organisation {uid: uid})
            RETURN x.uid AS key, 'organisation' AS kind, x.name AS name, NULL AS first_name,
                   NULL AS last_name, NULL AS email, true AS named
            UNION ALL
            UNWIND $uids AS uid
            MATCH (x:Event {uid: uid})
            RETURN x.uid AS key, 'event' AS kind, x.title AS name, NULL AS first_name,
                   NULL AS last_name, NULL AS email, true AS named
            UNION ALL
            UNWIND $uids AS uid
            MATCH (x:User {uid: uid})
            RETURN x.uid AS key, 'user' AS kind, x.display_name AS name, NULL AS first_name,
                   NULL AS last_name, x.email AS email, true AS named
            UNION ALL
            UNWIND $codes AS code
            MATCH (c:Commune {code: code})
            RETURN c.code AS key, 'commune' AS kind, c.name_fr AS name, NULL AS first_name,
                   NULL AS last_name, NULL AS email, true AS named
        }
        RETURN key, kind, name, first_name, last_name, email, named
        """,
        uids=sorted(set(uids)),
        codes=sorted(set(commune_codes)),
    )
    return {row["key"]: dict(row) for row in rows}


def redact_person(person_uids: list[str], replacement: str) -> int:
    """Remove the readable text and details of the events about a person (``person_uids``: the
    record and those merged into it). Entries never name a person in their text otherwise
    (``crm.audit``), so only the events about them hold what must go; the target index
    finds them without reading the whole trail."""
    return run(
        """
        MATCH (e:AuditEvent) WHERE e.target_uid IN $uids
        SET e.summary = $replacement, e.details = NULL
        RETURN count(e) AS n
        """,
        uids=person_uids,
        replacement=replacement,
    )[0]["n"]
