"""The audit trail: append-only AuditEvent nodes (this module never updates or deletes one,
except ``redact_person`` which rewrites readable text when a person is anonymised)."""

from __future__ import annotations

from datetime import datetime

from graph.database import run

__all__ = ["AUDIT_ACTIONS", "append_event", "events_about", "redact_person", "search_events"]

# action code -> French label, the allowlist for filters.
AUDIT_ACTIONS: dict[str, str] = {
    "login": "Connexion réussie",
    "login_failed": "Connexion refusée",
    "logout": "Déconnexion",
    "view": "Consultation d'une fiche",
    "create": "Création",
    "update": "Modification",
    "merge": "Fusion",
    "export": "Export",
    "permission": "Changement de droits",
    "denied": "Accès refusé (hors périmètre)",
    "privacy": "Protection des données (loi 09-08)",
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


def search_events(
    action: str | None,
    actor_email: str | None,
    since: datetime | None,
    until: datetime | None,
    target_uid: str | None,
    skip: int,
    limit: int,
) -> tuple[list[dict], int]:
    where = """
        MATCH (e:AuditEvent)
        WHERE ($action IS NULL OR e.action = $action)
          AND ($actor_email IS NULL OR e.actor_email = $actor_email)
          AND ($since IS NULL OR e.at >= $since)
          AND ($until IS NULL OR e.at < $until)
          AND ($target_uid IS NULL OR e.target_uid = $target_uid)
    """
    params = {
        "action": action,
        "actor_email": actor_email,
        "since": since,
        "until": until,
        "target_uid": target_uid,
    }
    total = run(where + "RETURN count(e) AS n", **params)[0]["n"]
    rows = run(
        where + "RETURN properties(e) AS e ORDER BY e.at DESC SKIP $skip LIMIT $limit",
        skip=skip,
        limit=limit,
        **params,
    )
    return [row["e"] for row in rows], total


def events_about(target_uids: list[str], actions: list[str], limit: int) -> list[dict]:
    """Events about any of ``target_uids`` with one of ``actions``, newest first."""
    rows = run(
        """
        MATCH (e:AuditEvent) WHERE e.target_uid IN $uids AND e.action IN $actions
        RETURN properties(e) AS e ORDER BY e.at DESC LIMIT $limit
        """,
        uids=target_uids,
        actions=actions,
        limit=limit,
    )
    return [row["e"] for row in rows]


def redact_person(person_uids: list[str], replacement: str, names: list[str]) -> int:
    """Remove a person's names from the readable text of the events about them (``person_uids``:
    the record and those merged into it)."""
    return run(
        """
        MATCH (e:AuditEvent)
        WHERE e.target_uid IN $uids OR any(n IN $names WHERE e.summary CONTAINS n)
        // Events about the person lose their text (a merged record's names are no longer
        // known); events about others lose the person's names only.
        SET e.summary = CASE WHEN e.target_uid IN $uids THEN $replacement
                             ELSE reduce(s = coalesce(e.summary, ''), n IN $names |
                                         replace(s, n, $replacement)) END,
            e.details = CASE WHEN e.target_uid IN $uids THEN NULL ELSE e.details END
        RETURN count(e) AS n
        """,
        uids=person_uids,
        names=[n for n in names if n],
        replacement=replacement,
    )[0]["n"]
