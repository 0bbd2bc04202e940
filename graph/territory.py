"""Reads over the administrative geography for pages and forms."""

from __future__ import annotations

from datetime import date

from graph.database import run
from graph.interactions import INTERACTION_MAP, PARTICIPANTS_CLAUSE, interaction_visible
from graph.scope import organisation_visible

__all__ = [
    "commune_agenda",
    "commune_detail",
    "commune_exists",
    "territory_named",
    "find_communes",
    "list_regions",
    "region_detail",
]


def list_regions() -> list[dict]:
    return run(
        """
        MATCH (r:Region)
        OPTIONAL MATCH (r)<-[:IN]-(:Province)<-[:IN]-(c:Commune)
        RETURN r.code AS code, r.name_fr AS name_fr, r.name_ar AS name_ar,
               r.programme AS programme, r.population_2024 AS population_2024,
               count(c) AS communes
        ORDER BY r.code
        """
    )


def region_detail(code: str, scope: dict) -> dict | None:
    rows = run(
        """
        MATCH (r:Region {code: $code})
        OPTIONAL MATCH (r)<-[:IN]-(p:Province)
        WITH r, p ORDER BY p.name_fr
        OPTIONAL MATCH (p)<-[:IN]-(c:Commune)
        WITH r, p, c ORDER BY c.name_fr
        CALL (c) {
            OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(c) WHERE """
        + organisation_visible("o")
        + """
            RETURN count(o) AS organisations
        }
        WITH r, p, c, organisations
        WITH r, p, collect({code: c.code, name_fr: c.name_fr, name_ar: c.name_ar,
                            type: c.type, population_2024: c.population_2024,
                            organisations: organisations}) AS communes
        RETURN properties(r) AS region,
               collect({code: p.code, name_fr: p.name_fr, name_ar: p.name_ar, type: p.type,
                        communes: communes}) AS provinces
        """,
        code=code,
        **scope,
    )
    if not rows:
        return None
    return {**rows[0]["region"], "provinces": rows[0]["provinces"]}


def territory_named(code: str) -> dict | None:
    """``{code, name, level}`` of the region, province or commune with this HCP code."""
    rows = run(
        """
        CALL () {
            MATCH (n:Region {code: $code}) RETURN n, 'region' AS level
            UNION
            MATCH (n:Province {code: $code}) RETURN n, 'province' AS level
            UNION
            MATCH (n:Commune {code: $code}) RETURN n, 'commune' AS level
        }
        RETURN n.code AS code, n.name_fr AS name, level
        """,
        code=code,
    )
    return rows[0] if rows else None


def commune_exists(code: str) -> bool:
    return bool(run("MATCH (c:Commune {code: $code}) RETURN c.code AS code", code=code))


def commune_detail(code: str, scope: dict) -> dict | None:
    """A commune with the organisations located there that the scope lets one see."""
    rows = run(
        """
        MATCH (c:Commune {code: $code})-[:IN]->(p:Province)-[:IN]->(r:Region)
        OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(c) WHERE """
        + organisation_visible("o")
        + """
        WITH c, p, r, o ORDER BY o.kind, o.name
        RETURN properties(c) AS commune,
               {code: p.code, name_fr: p.name_fr, name_ar: p.name_ar} AS province,
               {code: r.code, name_fr: r.name_fr, name_ar: r.name_ar} AS region,
               [x IN collect(CASE WHEN o IS NULL THEN NULL ELSE {
                   uid: o.uid, name: o.name, name_ar: o.name_ar, acronym: o.acronym,
                   kind: o.kind} END) WHERE x IS NOT NULL] AS organisations
        """,
        code=code,
        **scope,
    )
    if not rows:
        return None
    row = rows[0]
    return {
        **row["commune"],
        "province": row["province"],
        "region": row["region"],
        "organisations": row["organisations"],
    }


_AGENDA = (
    """
    MATCH (c:Commune {code: $code})
    CALL (c) {
        MATCH (i:Interaction {status: 'planned'})-[:HELD_IN]->(c) RETURN i
        UNION
        MATCH (i:Interaction {status: 'planned'})-[:WITH]->()-[:LOCATED_IN]->(c) RETURN i
    }
    WITH i WHERE i.date >= $today AND """
    + interaction_visible("i")
    + """
    WITH i ORDER BY i.date, i.start_time LIMIT $limit
    """
    + PARTICIPANTS_CLAUSE
    + "RETURN "
    + INTERACTION_MAP
    + " AS interaction"
)


def commune_agenda(code: str, scope: dict, today: date, limit: int) -> list[dict]:
    """The commune's agenda: planned interactions from ``today`` on, soonest first, that
    are held in the commune or WITH a person or organisation located there, and that the
    scope can see (participants listed only when visible, as everywhere)."""
    rows = run(_AGENDA, code=code, today=today, limit=limit, **scope)
    return [row["interaction"] for row in rows]


def find_communes(key: str, limit: int = 20) -> list[dict]:
    """Communes whose normalised name contains ``key`` (exact names first)."""
    return run(
        """
        MATCH (c:Commune)-[:IN]->(p:Province)
        WHERE c.search_key CONTAINS $key OR c.code = $raw
        RETURN c.code AS code, c.name_fr AS name_fr, c.name_ar AS name_ar,
               p.name_fr AS province
        ORDER BY c.search_key STARTS WITH $key DESC, size(c.name_fr), c.name_fr
        LIMIT $limit
        """,
        key=key,
        raw=key,
        limit=limit,
    )
