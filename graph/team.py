"""Users as administrators manage them: roles and territories."""

from __future__ import annotations

from graph.database import run

__all__ = [
    "list_users",
    "role_of",
    "set_role",
    "set_territory",
    "territory_of",
    "territory_tree",
    "territory_units",
]

# A territory unit as pages show it: a commune carries the name of its province, a province
# its type (province or préfecture), so that a unit is never shown by its code alone.
_UNIT = """{code: t.code, name_fr: t.name_fr, kind: labels(t)[0], type: t.type,
            province: head([(t)-[:IN]->(p:Province) WHERE t:Commune | p.name_fr])}"""


def list_users() -> list[dict]:
    return run(
        """
        MATCH (u:User)
        OPTIONAL MATCH (u)-[:COVERS]->(t)
        WITH u, t ORDER BY t.code
        RETURN u.uid AS uid, u.email AS email, u.display_name AS display_name, u.role AS role,
               u.active AS active, u.last_login_at AS last_login_at,
               [x IN collect(CASE WHEN t IS NULL THEN NULL ELSE """
        + _UNIT
        + """ END) WHERE x IS NOT NULL] AS territory
        ORDER BY toLower(u.display_name)
        """
    )


def role_of(user_uid: str) -> str | None:
    rows = run("MATCH (u:User {uid: $uid}) RETURN u.role AS role", uid=user_uid)
    return rows[0]["role"] if rows else None


def territory_of(user_uid: str) -> list[dict]:
    rows = run(
        "MATCH (:User {uid: $uid})-[:COVERS]->(t) WITH t ORDER BY t.code RETURN "
        + _UNIT
        + " AS unit",
        uid=user_uid,
    )
    return [row["unit"] for row in rows]


def territory_units(codes: list[str]) -> list[dict]:
    """The regions, provinces and communes among ``codes`` that exist, ordered by code."""
    rows = run(
        """
        UNWIND $codes AS code
        MATCH (t) WHERE (t:Region OR t:Province OR t:Commune) AND t.code = code
        WITH t ORDER BY t.code
        RETURN """
        + _UNIT
        + " AS unit",
        codes=codes,
    )
    return [row["unit"] for row in rows]


def territory_tree() -> list[dict]:
    """Every region with its provinces and prefectures: the programme's regions first, then
    the others, each by name; provinces by name."""
    return run(
        """
        MATCH (r:Region)
        OPTIONAL MATCH (r)<-[:IN]-(p:Province)
        WITH r, p ORDER BY p.name_fr
        WITH r, [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE
                 {code: p.code, name_fr: p.name_fr, kind: 'Province', type: p.type} END)
                 WHERE x IS NOT NULL] AS provinces
        RETURN r.code AS code, r.name_fr AS name_fr, 'Region' AS kind,
               coalesce(r.programme, false) AS programme, provinces
        ORDER BY programme DESC, r.name_fr
        """
    )


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
