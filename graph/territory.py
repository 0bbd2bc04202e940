"""Reads over the administrative geography for pages and forms."""

from __future__ import annotations

from datetime import date

from graph.database import run
from graph.interactions import INTERACTION_MAP, PARTICIPANTS_CLAUSE, interaction_visible
from graph.privacy import PERSON_NAMED
from graph.scope import event_visible, organisation_visible, person_visible

__all__ = [
    "commune_activity",
    "commune_agenda",
    "commune_detail",
    "commune_exists",
    "communes_assessed",
    "territory_named",
    "find_communes",
    "list_regions",
    "pilot_communes",
    "province_detail",
    "region_detail",
    "set_pilot",
    "territory_counts",
]


def list_regions() -> list[dict]:
    return run(
        """
        MATCH (r:Region)
        CALL (r) {
            OPTIONAL MATCH (r)<-[:IN]-(:Province)<-[:IN]-(c:Commune)
            RETURN count(c) AS communes, count(CASE WHEN c.pilot THEN 1 END) AS pilots
        }
        RETURN r.code AS code, r.name_fr AS name_fr, r.name_ar AS name_ar,
               r.programme AS programme, r.population_2024 AS population_2024,
               communes, pilots
        ORDER BY r.code
        """
    )


# The communes of a province ``p`` (pilot communes first), each with the number of visible
# organisations located there; ``$pilots_only`` keeps the pilot communes only.
_COMMUNES_OF_PROVINCE = (
    """
    CALL (p) {
        OPTIONAL MATCH (p)<-[:IN]-(c:Commune)
        WHERE NOT $pilots_only OR c.pilot = true
        WITH c ORDER BY coalesce(c.pilot, false) DESC, c.name_fr
        CALL (c) {
            OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(c) WHERE """
    + organisation_visible("o")
    + """
            RETURN count(o) AS organisations
        }
        RETURN [x IN collect(CASE WHEN c IS NULL THEN NULL ELSE {
                    code: c.code, name_fr: c.name_fr, name_ar: c.name_ar, type: c.type,
                    population_2024: c.population_2024, organisations: organisations,
                    pilot: coalesce(c.pilot, false), pilot_since: c.pilot_since} END)
                WHERE x IS NOT NULL] AS communes
    }
    """
)


def region_detail(code: str, scope: dict, pilots_only: bool = False) -> dict | None:
    """A region, its provinces (by name) and their communes (``_COMMUNES_OF_PROVINCE``)."""
    rows = run(
        """
        MATCH (r:Region {code: $code})
        OPTIONAL MATCH (r)<-[:IN]-(p:Province)
        WITH r, p ORDER BY p.name_fr
        """
        + _COMMUNES_OF_PROVINCE
        + """
        RETURN properties(r) AS region,
               [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE {
                   code: p.code, name_fr: p.name_fr, name_ar: p.name_ar, type: p.type,
                   communes: communes} END) WHERE x IS NOT NULL] AS provinces
        """,
        code=code,
        pilots_only=pilots_only,
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


def province_detail(code: str, scope: dict, pilots_only: bool = False) -> dict | None:
    """A province or prefecture, its region and its communes (``_COMMUNES_OF_PROVINCE``)."""
    rows = run(
        """
        MATCH (p:Province {code: $code})
        OPTIONAL MATCH (p)-[:IN]->(r:Region)
        """
        + _COMMUNES_OF_PROVINCE
        + """
        RETURN properties(p) AS province, communes,
               CASE WHEN r IS NULL THEN NULL ELSE
                   {code: r.code, name_fr: r.name_fr, name_ar: r.name_ar} END AS region
        """,
        code=code,
        pilots_only=pilots_only,
        **scope,
    )
    if not rows:
        return None
    row = rows[0]
    return {**row["province"], "region": row["region"], "communes": row["communes"]}


# The communes of a territory ``$prefix`` ("02." for a region, "02.411." for a province):
# HCP codes are hierarchical, and the unique index on Commune.code answers STARTS WITH.
_TERRITORY_COMMUNES = "MATCH (c:Commune) WHERE c.code STARTS WITH $prefix "


def territory_counts(code: str, scope: dict, today: date) -> dict:
    """What a region or province (``code``) holds, as far as ``scope`` sees, in one round trip.

    ``organisations``: ``[{kind, count}]`` of the organisations located in its communes, by
    kind; ``people``: the people located there or holding a current function (no end, or
    ending ``today`` or later) in an organisation located there — what the people list
    filtered on the territory counts; ``events``: the events held there; ``pilots``: its
    pilot communes (reference data, not scoped).
    """
    rows = run(
        """
        CALL () {
            """
        + _TERRITORY_COMMUNES
        + """
            MATCH (o:Organisation)-[:LOCATED_IN]->(c) WHERE """
        + organisation_visible("o")
        + """
            WITH o.kind AS kind, count(o) AS n ORDER BY n DESC, kind
            RETURN collect({kind: kind, count: n}) AS organisations
        }
        CALL () {
            """
        + _TERRITORY_COMMUNES
        + """
            CALL (c) {
                MATCH (p:Person)-[:LOCATED_IN]->(c) RETURN p
                UNION
                MATCH (p:Person)-[a:AFFILIATED_WITH]->(:Organisation)-[:LOCATED_IN]->(c)
                WHERE a.until IS NULL OR a.until >= $today
                RETURN p
            }
            WITH DISTINCT p WHERE """
        + person_visible("p")
        + """
            RETURN count(p) AS people
        }
        CALL () {
            """
        + _TERRITORY_COMMUNES
        + """
            MATCH (e:Event)-[:HELD_IN]->(c) WHERE """
        + event_visible("e")
        + """
            RETURN count(DISTINCT e) AS events
        }
        CALL () {
            """
        + _TERRITORY_COMMUNES
        + """
            AND c.pilot = true
            RETURN count(c) AS pilots
        }
        RETURN organisations, people, events, pilots
        """,
        prefix=code + ".",
        today=today,
        **scope,
    )
    return dict(rows[0])


def communes_assessed(
    scope: dict, territory: str | None, pilots_only: bool, with_records: list[str]
) -> list[dict]:
    """The communes a network analysis assesses, each with the organisations present there
    (as ``commune_detail`` lists them): in the scope and the territory, pilot ones only when
    asked, and — without ``pilots_only`` — only those among ``with_records`` (the communes of
    the analysed records) or pilot. One round trip."""
    return run(
        """
        MATCH (c:Commune)
        WHERE ($scope_national OR c.code IN $scope_communes)
          AND ($territory IS NULL OR c.code = $territory OR c.code STARTS WITH $territory + '.')
          AND (coalesce(c.pilot, false)
               OR (NOT $pilots_only AND c.code IN $with_records))
        CALL (c) {
            CALL (c) {
                MATCH (o:Organisation)-[:LOCATED_IN]->(c) RETURN o
                UNION
                MATCH (o:Organisation)-[:PART_OF]->(:Organisation {kind: 'commune_council'})
                      -[:LOCATED_IN]->(c)
                RETURN o
            }
            WITH o WHERE """
        + organisation_visible("o")
        + """
            OPTIONAL MATCH (o)-[:PART_OF]->(parent:Organisation)
            RETURN collect({uid: o.uid, name: o.name, acronym: o.acronym, kind: o.kind,
                            parent: CASE WHEN parent IS NULL THEN NULL ELSE {
                                name: parent.name, acronym: parent.acronym,
                                kind: parent.kind} END}) AS organisations
        }
        RETURN c.code AS code, c.name_fr AS name, coalesce(c.pilot, false) AS pilot,
               organisations
        ORDER BY c.code
        """,
        territory=territory,
        pilots_only=pilots_only,
        with_records=with_records,
        **scope,
    )


def commune_exists(code: str) -> bool:
    return bool(run("MATCH (c:Commune {code: $code}) RETURN c.code AS code", code=code))


def commune_detail(code: str, scope: dict) -> dict | None:
    """A commune and the organisations present there that the scope lets one see: located
    in it, or ``PART_OF`` a commune council located in it (its IECGAG, youth council and
    commissions, wherever they are recorded). Each organisation carries ``parent``, the
    organisation it is part of (uid, name, acronym, kind; ``None`` if it is part of none or
    of one the scope does not see)."""
    rows = run(
        """
        MATCH (c:Commune {code: $code})-[:IN]->(p:Province)-[:IN]->(r:Region)
        CALL (c) {
            CALL (c) {
                MATCH (o:Organisation)-[:LOCATED_IN]->(c) RETURN o
                UNION
                MATCH (o:Organisation)-[:PART_OF]->(:Organisation {kind: 'commune_council'})
                      -[:LOCATED_IN]->(c)
                RETURN o
            }
            WITH o WHERE """
        + organisation_visible("o")
        + """
            OPTIONAL MATCH (o)-[:PART_OF]->(parent:Organisation) WHERE """
        + organisation_visible("parent")
        + """
            WITH o, parent ORDER BY o.kind, toLower(o.name)
            RETURN collect({uid: o.uid, name: o.name, name_ar: o.name_ar,
                            acronym: o.acronym, kind: o.kind, shared: coalesce(o.shared, false),
                            parent: CASE WHEN parent IS NULL THEN NULL ELSE {
                                uid: parent.uid, name: parent.name, acronym: parent.acronym,
                                kind: parent.kind} END}) AS organisations
        }
        RETURN properties(c) AS commune,
               {code: p.code, name_fr: p.name_fr, name_ar: p.name_ar} AS province,
               {code: r.code, name_fr: r.name_fr, name_ar: r.name_ar} AS region,
               organisations
        """,
        code=code,
        **scope,
    )
    if not rows:
        return None
    row = rows[0]
    return {
        **row["commune"],
        "pilot": bool(row["commune"].get("pilot")),
        "province": row["province"],
        "region": row["region"],
        "organisations": row["organisations"],
    }


# The interactions of a commune ``c``: held there, or WITH a person or organisation located
# there (as the agenda reads them).
_INTERACTIONS_OF_COMMUNE = """
    CALL (c) {
        MATCH (i:Interaction)-[:HELD_IN]->(c) RETURN i
        UNION
        MATCH (i:Interaction)-[:WITH]->()-[:LOCATED_IN]->(c) RETURN i
    }
"""


def commune_activity(code: str, scope: dict, today: date, limit: int) -> dict:
    """What happens in a commune, as far as ``scope`` sees, in one round trip.

    ``functions``: the current functions (no end, or ending ``today`` or later) held in the
    visible organisations located there, by visible people, at most ``limit``; a person under
    opposition or anonymised is not named (``named`` false, no uid nor name).
    ``function_total``: how many there are in all.
    ``interactions``: the last ``limit`` held interactions (dated up to ``today``) of the
    commune, newest first, that the scope sees; each lists its visible organisations and its
    visible named people, and counts its visible people not named (``unnamed``).
    ``follow_ups``: the open follow-ups (not done) about the visible interactions of the
    commune, soonest due first, at most ``limit``, with the account they are assigned to.
    """
    rows = run(
        """
        MATCH (c:Commune {code: $code})
        CALL (c) {
            OPTIONAL MATCH (p:Person)-[a:AFFILIATED_WITH]->(o:Organisation)-[:LOCATED_IN]->(c)
            WHERE (a.until IS NULL OR a.until >= $today) AND """
        + organisation_visible("o")
        + " AND "
        + person_visible("p")
        + """
            WITH p, a, o, """
        + PERSON_NAMED
        + """ AS named
            ORDER BY named DESC, toLower(p.last_name), toLower(p.first_name), toLower(o.name)
            WITH [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE {
                     named: named,
                     uid: CASE WHEN named THEN p.uid END,
                     first_name: CASE WHEN named THEN p.first_name END,
                     last_name: CASE WHEN named THEN p.last_name END,
                     role: a.role, focal_point: coalesce(a.focal_point, false),
                     organisation_uid: o.uid, organisation_name: o.name} END)
                  WHERE x IS NOT NULL] AS all_functions
            RETURN all_functions[..$limit] AS functions, size(all_functions) AS function_total
        }
        CALL (c) {
            """
        + _INTERACTIONS_OF_COMMUNE
        + """
            WITH i WHERE coalesce(i.status, 'held') = 'held' AND i.date <= $today AND """
        + interaction_visible("i")
        + """
            WITH i ORDER BY i.date DESC, i.created_at DESC LIMIT $limit
            CALL (i) {
                OPTIONAL MATCH (i)-[:WITH]->(p:Person) WHERE """
        + person_visible("p")
        + """
                WITH p, """
        + PERSON_NAMED
        + """ AS named ORDER BY toLower(p.last_name), toLower(p.first_name)
                RETURN [x IN collect(CASE WHEN p IS NOT NULL AND named THEN
                            {uid: p.uid, first_name: p.first_name, last_name: p.last_name}
                        END) WHERE x IS NOT NULL] AS people,
                       count(CASE WHEN p IS NOT NULL AND NOT named THEN 1 END) AS unnamed
            }
            CALL (i) {
                OPTIONAL MATCH (i)-[:WITH]->(o:Organisation) WHERE """
        + organisation_visible("o")
        + """
                WITH o ORDER BY toLower(o.name)
                RETURN [x IN collect(CASE WHEN o IS NULL THEN NULL ELSE
                        {uid: o.uid, name: o.name} END) WHERE x IS NOT NULL] AS organisations
            }
            RETURN collect({uid: i.uid, kind: i.kind, date: i.date, summary: i.summary,
                            people: people, unnamed: unnamed,
                            organisations: organisations}) AS interactions
        }
        CALL (c) {
            """
        + _INTERACTIONS_OF_COMMUNE
        + """
            MATCH (f:FollowUp)-[:ABOUT]->(i) WHERE f.done_at IS NULL AND """
        + interaction_visible("i")
        + """
            OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(u:User)
            WITH DISTINCT f, i, u ORDER BY f.due, f.created_at LIMIT $limit
            RETURN collect({uid: f.uid, what: f.what, due: f.due, interaction_uid: i.uid,
                            interaction_date: i.date, interaction_kind: i.kind,
                            assignee_name: u.display_name}) AS follow_ups
        }
        RETURN functions, function_total, interactions, follow_ups
        """,
        code=code,
        today=today,
        limit=limit,
        **scope,
    )
    if not rows:
        return {"functions": [], "function_total": 0, "interactions": [], "follow_ups": []}
    return dict(rows[0])


def set_pilot(code: str, pilot: bool, since: date | None) -> dict | None:
    """Mark the commune ``code`` as a pilot commune since ``since``, or not a pilot (its date
    removed); return what it was before (``pilot``, ``pilot_since``), or None if no such
    commune."""
    rows = run(
        """
        MATCH (c:Commune {code: $code})
        WITH c, {pilot: coalesce(c.pilot, false), pilot_since: c.pilot_since} AS before
        SET c.pilot = $pilot, c.pilot_since = $since
        REMOVE c.pilot_generated
        RETURN before
        """,
        code=code,
        pilot=pilot,
        since=since if pilot else None,
    )
    return rows[0]["before"] if rows else None


def pilot_communes() -> list[dict]:
    """Every pilot commune with its province and region, by region, province and name."""
    return run(
        """
        MATCH (c:Commune) WHERE c.pilot = true
        MATCH (c)-[:IN]->(p:Province)-[:IN]->(r:Region)
        RETURN c.code AS code, c.name_fr AS name_fr, c.name_ar AS name_ar,
               c.pilot_since AS pilot_since, p.code AS province_code,
               p.name_fr AS province, r.code AS region_code, r.name_fr AS region
        ORDER BY r.code, p.name_fr, c.name_fr
        """
    )


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
