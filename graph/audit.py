"""The audit trail: append-only AuditEvent nodes (this module never updates or deletes one,
except ``redact_person`` which rewrites readable text when a person is anonymised)."""

from __future__ import annotations

from datetime import datetime

from graph.database import run

__all__ = ["AUDIT_ACTIONS", "append_event", "redact_person", "search_events"]

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


def redact_person(person_uid: str, replacement: str, names: list[str]) -> int:
    """Remove a person's names from the readable text of the events about them."""
    return run(
        """
        MATCH (e:AuditEvent)
        WHERE e.target_uid = $uid OR any(n IN $names WHERE e.summary CONTAINS n)
        SET e.summary = reduce(s = coalesce(e.summary, ''), n IN $names |
                               replace(s, n, $replacement)),
            e.details = CASE WHEN e.target_uid = $uid THEN NULL ELSE e.details END
        RETURN count(e) AS n
        """,
        uid=person_uid,
        names=[n for n in names if n],
        replacement=replacement,
    )[0]["n"]
