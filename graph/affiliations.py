"""Functions people hold in organisations, over time: ending one, handing it over."""

from __future__ import annotations

from graph import scope_keys
from graph.database import atomic, run
from graph.scope import organisation_visible, organisation_writable

__all__ = ["end_affiliation", "get_affiliation", "hand_over"]


def get_affiliation(uid: str, scope: dict) -> dict | None:
    """One function, if its organisation is visible, with who holds it and whether the scope
    may change it."""
    rows = run(
        """
        MATCH (p:Person)-[a:AFFILIATED_WITH {uid: $uid}]->(o:Organisation)
        WHERE """
        + organisation_visible("o")
        + """
        RETURN a.uid AS uid, a.role AS role, a.since AS since, a.until AS until,
               a.focal_point AS focal_point, p.uid AS person_uid,
               p.first_name AS first_name, p.last_name AS last_name,
               o.uid AS organisation_uid, o.name AS organisation_name, """
        + organisation_writable("o")
        + " AS writable",
        uid=uid,
        **scope,
    )
    return rows[0] if rows else None


def end_affiliation(uid: str, until) -> None:
    run(
        """
        MATCH (p:Person)-[a:AFFILIATED_WITH {uid: $uid}]->(:Organisation)
        SET a.until = $until, p.updated_at = datetime(), p.version = p.version + 1
        """,
        uid=uid,
        until=until,
    )


def hand_over(uid: str, successor_uid: str, on, focal_point: bool) -> str | None:
    """End function ``uid`` on date ``on`` and give the same role, from that date, to the
    successor, in one transaction. The new function records whom it ``succeeds``."""
    with atomic():
        rows = run(
            """
            MATCH (p:Person)-[a:AFFILIATED_WITH {uid: $uid}]->(o:Organisation)
            MATCH (s:Person {uid: $successor})
            SET a.until = $on, p.updated_at = datetime(), p.version = p.version + 1
            CREATE (s)-[n:AFFILIATED_WITH]->(o)
            SET n.uid = randomUUID(), n.role = a.role, n.since = $on,
                n.focal_point = $focal_point, n.succeeds = a.uid, n.created_at = datetime()
            SET s.updated_at = datetime(), s.version = s.version + 1
            """
            + scope_keys.append_organisation_words("s", "o")
            + """
            RETURN n.uid AS uid
            """,
            uid=uid,
            successor=successor_uid,
            on=on,
            focal_point=focal_point,
        )
    return rows[0]["uid"] if rows else None
