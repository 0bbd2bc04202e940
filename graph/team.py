"""Users as administrators manage them: roles and territories."""

from __future__ import annotations

from graph.database import run

__all__ = ["list_users", "set_role", "set_territory", "territory_of", "territory_units"]

# Territory unit kinds -> their label (allowlist for the MATCH below).
_UNIT_MATCH = {
    "Region": "MATCH (t:Region) WHERE t.code IN $codes ",
    "Province": "MATCH (t:Province) WHERE t.code IN $codes ",
    "Commune": "MATCH (t:Commune) WHERE t.code IN $codes ",
}


def list_users() -> list[dict]:
    return run(
        """
        MATCH (u:User)
        OPTIONAL MATCH (u)-[:COVERS]->(t)
        WITH u, t ORDER BY t.code
        RETURN u.uid AS uid, u.email AS email, u.display_name AS display_name, u.role AS role,
               u.active AS active, u.last_login_at AS last_login_at,
               [x IN collect(CASE WHEN t IS NULL THEN NULL ELSE
                   {code: t.code, name_fr: t.name_fr, kind: labels(t)[0]} END)
                WHERE x IS NOT NULL] AS territory
        ORDER BY toLower(u.display_name)
        """
    )


def territory_of(user_uid: str) -> list[dict]:
    return run(
        """
        MATCH (:User {uid: $uid})-[:COVERS]->(t)
        RETURN t.code AS code, t.name_fr AS name_fr, labels(t)[0] AS kind ORDER BY t.code
        """,
        uid=user_uid,
    )


def territory_units(codes: list[str]) -> list[dict]:
    """The regions, provinces and communes among ``codes`` that exist."""
    found = []
    for match in _UNIT_MATCH.values():
        found += run(
            match + "RETURN t.code AS code, t.name_fr AS name_fr, labels(t)[0] AS kind",
            codes=codes,
        )
    return found


def set_territory(user_uid: str, codes: list[str]) -> bool:
    """Replace the user's territory with the units of ``codes``; False if no such user."""
    rows = run(
        """
        MATCH (u:User {uid: $uid})
        OPTIONAL MATCH (u)-[old:COVERS]->()
        DELETE old
        WITH DISTINCT u
        CALL (u) {
            UNWIND $codes AS code
            MATCH (t) WHERE (t:Region OR t:Province OR t:Commune) AND t.code = code
            MERGE (u)-[:COVERS]->(t)
        }
        SET u.updated_at = datetime(), u.version = u.version + 1
        RETURN u.uid AS uid
        """,
        uid=user_uid,
        codes=codes,
    )
    return bool(rows)


def set_role(user_uid: str, role: str) -> str | None:
    """Change the role; returns the previous one (None if no such user)."""
    rows = run(
        """
        MATCH (u:User {uid: $uid})
        WITH u, u.role AS previous
        SET u.role = $role, u.updated_at = datetime(), u.version = u.version + 1
        RETURN previous
        """,
        uid=user_uid,
        role=role,
    )
    return rows[0]["previous"] if rows else None
