"""The Cypher of the two projections (``graph.projections``): one statement per level that
returns every node of the scope and one row per record tying two or more of them.

Each statement takes the parameters ``graph.projections._params`` makes (the actor's scope,
territory, pilot communes only, window, actor kinds, tie kinds, the day); the fragments below
are the conditions they share (a node is kept, a tie's dates overlap the window, an
interaction was held in it, the officers who logged one with a record).

Every edge row: ``{tie, record_kind, record_uid, date, since, until, people, members}``, where
``members`` are ``[{uid, people, since, until}]`` (the nodes the record ties; ``since`` and
``until`` are the dates of their function for shared members and shared affiliations).
"""

from __future__ import annotations

from graph.privacy import PERSON_NAMED
from graph.scope import (
    events_in_scope,
    inner_variable,
    organisation_visible,
    organisations_in_scope,
    people_in_scope,
    person_visible,
    variable,
)

__all__ = ["organisation_query", "person_query"]


def _in_territory(commune: str) -> str:
    """The commune ``commune`` is in the territory asked (pilot communes only if asked)."""
    c = variable(commune)
    return (
        "((NOT $pilots_only OR coalesce(" + c + ".pilot, false)) AND ($territory IS NULL OR "
        + c + ".code = $territory OR " + c + ".code STARTS WITH $territory + '.'))"
    )  # fmt: skip


def _overlaps(tie: str) -> str:
    """The dates of the relationship ``tie`` (``since``/``until``, open when missing) overlap
    the window."""
    t = variable(tie)
    return (
        "(($end IS NULL OR " + t + ".since IS NULL OR " + t + ".since <= $end) AND "
        "($start IS NULL OR " + t + ".until IS NULL OR " + t + ".until >= $start))"
    )


def _dated_in_window(day: str) -> str:
    return "(($start IS NULL OR " + day + " >= $start) AND ($end IS NULL OR " + day + " <= $end))"


def _held_in_window(interaction: str) -> str:
    i = variable(interaction)
    return "(coalesce(" + i + ".status, 'held') = 'held' AND " + _dated_in_window(i + ".date") + ")"


def _located_in_territory(var: str) -> str:
    commune = inner_variable("tc", var)
    return (
        "EXISTS { MATCH (" + var + ")-[:LOCATED_IN]->(" + commune + ":Commune) WHERE "
        + _in_territory(commune) + " }"
    )  # fmt: skip


def _organisation_kept(var: str = "o") -> str:
    """The organisation ``var`` is a node of the network: visible, of the kinds asked, and in
    the territory or placed nowhere."""
    o = variable(var)
    return (
        "(" + organisation_visible(o) + " AND ($org_kinds IS NULL OR " + o + ".kind IN $org_kinds)"
        " AND ($whole OR NOT EXISTS { (" + o + ")-[:LOCATED_IN]->(:Commune) } OR "
        + _located_in_territory(o) + "))"
    )  # fmt: skip


def _person_anchored(var: str) -> str:
    """The person ``var`` belongs to the territory: located in it, or holding (or having
    held) a function at an organisation located in it."""
    p = variable(var)
    org = inner_variable("ta", p)
    return (
        "($whole OR " + _located_in_territory(p) + " OR EXISTS { MATCH (" + p + ")"
        "-[:AFFILIATED_WITH]->(" + org + ":Organisation) WHERE " + _located_in_territory(org)
        + " })"
    )  # fmt: skip


def _person_kept(var: str = "p") -> str:
    """The person ``var`` is a node of the network: visible, in the territory or placed
    nowhere, and (``$org_kinds``) holding a function at an organisation of those kinds."""
    p = variable(var)
    org = inner_variable("tk", p)
    tie = inner_variable("tf", p)
    return (
        "(" + person_visible(p) + " AND (" + _person_anchored(p) + " OR ("
        "NOT EXISTS { (" + p + ")-[:LOCATED_IN]->(:Commune) } AND NOT EXISTS { (" + p + ")"
        "-[:AFFILIATED_WITH]->(:Organisation)-[:LOCATED_IN]->(:Commune) })) AND "
        "($org_kinds IS NULL OR EXISTS { MATCH (" + p + ")-[" + tie + ":AFFILIATED_WITH]->("
        + org + ":Organisation) WHERE " + org + ".kind IN $org_kinds AND " + _overlaps(tie)
        + " }))"
    )  # fmt: skip


def _officers(var: str) -> str:
    """The uids of the users who logged a held interaction WITH ``var`` in the window."""
    v = variable(var)
    user, interaction = inner_variable("ou", v), inner_variable("oi", v)
    return (
        "COLLECT { MATCH (" + user + ":User)-[:LOGGED]->(" + interaction + ":Interaction)"
        "-[:WITH]->(" + v + ") WHERE " + _held_in_window(interaction) + " RETURN DISTINCT "
        + user + ".uid }"
    )  # fmt: skip


def organisation_query(national: bool) -> str:
    """The organisation network's statement (``$parameters``: ``graph.projections._params``)."""
    return (
        "CALL () { "
        + organisations_in_scope("o", national=national)
        + "WITH o WHERE " + _organisation_kept("o") + " "
        """
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
        RETURN collect(o) AS organisations,
               collect({uid: o.uid, name: o.name, org_kind: o.kind,
                        shared: coalesce(o.shared, false), commune: c.code,
                        pilot: coalesce(c.pilot, false), anchored: $whole OR c IS NOT NULL,
                        officers: """ + _officers("o") + """}) AS nodes
        }
        CALL (organisations) {
            CALL (organisations) {
                UNWIND CASE WHEN 'partnership' IN $tie_kinds THEN organisations ELSE [] END AS a
                MATCH (a)-[r:PARTNERS_WITH]-(b:Organisation)
                WHERE a.uid < b.uid AND """ + _overlaps("r") + " AND " + _organisation_kept("b")
        + """
                RETURN {tie: 'partnership', record_kind: 'partnership', record_uid: r.uid,
                        date: NULL, since: r.since, until: r.until, people: [],
                        members: [{uid: a.uid, people: []}, {uid: b.uid, people: []}]} AS edge
              UNION ALL
                UNWIND CASE WHEN 'shared_member' IN $tie_kinds THEN organisations ELSE [] END
                       AS o
                MATCH (p:Person)-[f:AFFILIATED_WITH]->(o)
                WHERE """ + _overlaps("f") + """
                WITH p, collect({uid: o.uid, people: [], since: f.since, until: f.until})
                     AS members
                WHERE size(members) > 1
                RETURN {tie: 'shared_member', record_kind: 'person', record_uid: p.uid,
                        date: NULL, people: [p.uid], members: members} AS edge
              UNION ALL
                """ + events_in_scope("e", national=national) + """
                WITH e WHERE 'co_attendance' IN $tie_kinds AND e.cancelled_at IS NULL
                  AND """ + _dated_in_window("e.start_date") + """
                CALL (e) {
                    CALL (e) {
                        MATCH (o:Organisation)-[:ORGANISED]->(e) RETURN o, NULL AS p
                      UNION ALL
                        MATCH (p:Person)-[t:ATTENDED]->(e)
                        MATCH (o:Organisation {uid: t.for_organisation})
                        RETURN o, p
                    }
                    WITH o, p WHERE """ + _organisation_kept("o") + """
                    WITH o, collect(DISTINCT CASE WHEN """ + person_visible("p") + """
                                           THEN p.uid END) AS people
                    RETURN collect({uid: o.uid, people: people}) AS members
                }
                WITH e, members WHERE size(members) > 1
                RETURN {tie: 'co_attendance', record_kind: 'event', record_uid: e.uid,
                        date: e.start_date, people: [], members: members} AS edge
              UNION ALL
                UNWIND CASE WHEN 'interaction' IN $tie_kinds THEN organisations ELSE [] END
                       AS o
                CALL (o) {
                    MATCH (i:Interaction)-[:WITH]->(o) RETURN i
                  UNION
                    MATCH (i:Interaction)-[:WITH]->(:Person)-[f:AFFILIATED_WITH]->(o)
                    WHERE (f.since IS NULL OR f.since <= i.date)
                      AND (f.until IS NULL OR f.until >= i.date)
                    RETURN i
                }
                WITH DISTINCT i WHERE """ + _held_in_window("i") + """
                CALL (i) {
                    CALL (i) {
                        MATCH (i)-[:WITH]->(o:Organisation) RETURN o
                      UNION
                        MATCH (i)-[:WITH]->(:Person)-[f:AFFILIATED_WITH]->(o:Organisation)
                        WHERE (f.since IS NULL OR f.since <= i.date)
                          AND (f.until IS NULL OR f.until >= i.date)
                        RETURN o
                    }
                    WITH o WHERE """ + _organisation_kept("o") + """
                    RETURN collect({uid: o.uid, people: []}) AS members
                }
                WITH i, members WHERE size(members) > 1
                RETURN {tie: 'interaction', record_kind: 'interaction', record_uid: i.uid,
                        date: i.date, members: members,
                        people: COLLECT { MATCH (i)-[:WITH]->(p:Person) WHERE """
        + person_visible("p") + """ RETURN p.uid }} AS edge
            }
            RETURN collect(edge) AS edges
        }
        RETURN nodes, edges
        """
    )  # fmt: skip


def person_query(national: bool) -> str:
    """The person network's statement (``$parameters``: ``graph.projections._params``)."""
    return (
        "CALL () { "
        + people_in_scope("p", national=national)
        + "WITH p WHERE " + _person_kept("p") + " "
        """
        OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        WITH p, c, """ + PERSON_NAMED + """ AS named
        RETURN collect(p) AS people,
               collect({uid: p.uid, named: named,
                        first_name: CASE WHEN named THEN p.first_name END,
                        last_name: CASE WHEN named THEN p.last_name END,
                        gender: p.gender, age_band: p.age_band, commune: c.code,
                        pilot: coalesce(c.pilot, false),
                        anchored: """ + _person_anchored("p") + """,
                        function_kind: COLLECT {
                            MATCH (p)-[f:AFFILIATED_WITH]->(fo:Organisation)
                            WHERE (f.since IS NULL OR f.since <= $as_of)
                              AND (f.until IS NULL OR f.until >= $as_of)
                              AND """ + organisation_visible("fo") + """
                            RETURN fo.kind
                            ORDER BY coalesce(f.since, date('0001-01-01')) DESC, fo.name
                            LIMIT 1 }[0],
                        officers: """ + _officers("p") + """}) AS nodes
        }
        CALL (people) {
            CALL (people) {
                """ + events_in_scope("e", national=national) + """
                WITH e WHERE 'co_attendance' IN $tie_kinds AND e.cancelled_at IS NULL
                  AND """ + _dated_in_window("e.start_date") + """
                CALL (e) {
                    MATCH (p:Person)-[:ATTENDED]->(e)
                    WHERE """ + _person_kept("p") + """
                    RETURN collect({uid: p.uid, people: []}) AS members
                }
                WITH e, members WHERE size(members) > 1
                RETURN {tie: 'co_attendance', record_kind: 'event', record_uid: e.uid,
                        date: e.start_date, people: [], members: members} AS edge
              UNION ALL
                UNWIND CASE WHEN 'interaction' IN $tie_kinds THEN people ELSE [] END AS p
                MATCH (i:Interaction)-[:WITH]->(p)
                WITH DISTINCT i WHERE """ + _held_in_window("i") + """
                CALL (i) {
                    MATCH (i)-[:WITH]->(p:Person)
                    WHERE """ + _person_kept("p") + """
                    RETURN collect({uid: p.uid, people: []}) AS members
                }
                WITH i, members WHERE size(members) > 1
                RETURN {tie: 'interaction', record_kind: 'interaction', record_uid: i.uid,
                        date: i.date, people: [], members: members} AS edge
              UNION ALL
                UNWIND CASE WHEN 'shared_affiliation' IN $tie_kinds THEN people ELSE [] END
                       AS p
                MATCH (p)-[f:AFFILIATED_WITH]->(o:Organisation)
                WHERE """ + _overlaps("f") + """
                  AND ($org_kinds IS NULL OR o.kind IN $org_kinds)
                  AND """ + organisation_visible("o") + """
                WITH o, collect({uid: p.uid, people: [], since: f.since, until: f.until})
                     AS members
                WHERE size(members) > 1
                RETURN {tie: 'shared_affiliation', record_kind: 'affiliation',
                        record_uid: o.uid, date: NULL, people: [], members: members} AS edge
            }
            RETURN collect(edge) AS edges
        }
        RETURN nodes, edges
        """
    )  # fmt: skip
