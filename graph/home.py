"""The home page's day, read in one round trip: follow-ups due, planned and recent
interactions of the actor's territory, and (national scopes) counts per region.

"The actor's territory" for an interaction: one it can see (``interaction_visible``) that
is WITH a person or organisation of its own territory (writable: not through the shared
institutions every officer reads), held in one of its communes, or logged by the actor.
A meeting of another region with a shared institution (INDH…) is visible, but not part of
an officer's day. For a national scope that is every interaction.

The region of an interaction: that of the commune it is held in, and those of the communes
its participants are located in (an interaction may count for several regions).
"""

from __future__ import annotations

from datetime import date

from graph.database import run
from graph.interactions import (
    FOLLOW_UPS_CLAUSE,
    INTERACTION_MAP,
    PARTICIPANTS_CLAUSE,
    interaction_visible,
)
from graph.scope import organisation_writable, person_writable

__all__ = ["counts_by_region", "day"]


def _in_territory(var: str) -> str:
    """Cypher predicate: the interaction ``var`` belongs to the scope's own territory."""
    return (
        "(" + interaction_visible(var) + " AND ($scope_national"
        " OR EXISTS { MATCH (" + var + ")-[:WITH]->(tp:Person) WHERE " + person_writable("tp")
        + " }"
        " OR EXISTS { MATCH (" + var + ")-[:WITH]->(tor:Organisation) WHERE "
        + organisation_writable("tor") + " }"
        " OR EXISTS { MATCH (" + var + ")-[:HELD_IN]->(tc:Commune) "
        "WHERE tc.code IN $scope_communes }"
        " OR EXISTS { MATCH (" + var + ")<-[:LOGGED]-(:User {uid: $user_uid}) }))"
    )  # fmt: skip


# The regions of the interaction ``i``, one row each (see the module docstring).
_REGIONS_OF_I = """
        CALL (i) {
            MATCH (i)-[:HELD_IN]->(:Commune)-[:IN]->(:Province)-[:IN]->(r:Region)
            RETURN r
            UNION
            MATCH (i)-[:WITH]->()-[:LOCATED_IN]->(:Commune)-[:IN]->(:Province)-[:IN]->(r:Region)
            RETURN r
        }
"""

_DAY = (
    """
    CALL () {
        // From the user's follow-ups, tested after the walk: with the test in the pattern the
        // planner seeks every follow-up of the country due by today (index of due dates),
        // then keeps the user's (130 ms at national scale against 35).
        MATCH (u:User {uid: $user_uid})
        UNWIND [(u)<-[:ASSIGNED_TO]-(f) | f] AS f
        WITH f WHERE f:FollowUp AND f.done_at IS NULL AND f.due <= $today
        WITH f ORDER BY f.due, f.created_at
        WITH collect(f) AS due
        WITH [f IN due WHERE f.due < $today] AS overdue, [f IN due WHERE f.due = $today] AS now
        WITH size(overdue) AS overdue_total, size(now) AS due_today_total,
             overdue[..$limit] + now[..$limit] AS shown
        CALL (shown) {
            UNWIND range(0, size(shown) - 1) AS n
            WITH n, shown[n] AS f
            MATCH (f)-[:ABOUT]->(i:Interaction)
            WITH n, f, i ORDER BY n
            RETURN collect({uid: f.uid, what: f.what, due: f.due, interaction_uid: i.uid,
                            kind: i.kind, date: i.date}) AS due_follow_ups
        }
        RETURN overdue_total, due_today_total, due_follow_ups
    }
    CALL () {
        MATCH (i:Interaction {status: 'planned'})
        WHERE i.date >= $today AND i.date <= $planned_until AND """
    + _in_territory("i")
    + """
        WITH i ORDER BY i.date, i.start_time LIMIT $limit
        """
    + PARTICIPANTS_CLAUSE
    + "RETURN collect("
    + INTERACTION_MAP
    + """) AS planned
    }
    CALL () {
        MATCH (i:Interaction)
        WHERE coalesce(i.status, 'held') = 'held' AND i.date <= $today AND """
    + _in_territory("i")
    + """
        WITH i ORDER BY i.date DESC, i.created_at DESC LIMIT $limit
        """
    + PARTICIPANTS_CLAUSE
    + FOLLOW_UPS_CLAUSE
    + "RETURN collect("
    + INTERACTION_MAP[:-1]
    + """, follow_ups: follow_ups}) AS recent
    }
    CALL () {
        MATCH (r:Region)<-[:IN]-(:Province)<-[:IN]-(c:Commune)
        WHERE $scope_national OR c.code IN $scope_communes
        WITH DISTINCT r ORDER BY r.code
        RETURN collect({code: r.code, name_fr: r.name_fr, programme: r.programme}) AS regions
    }
    RETURN overdue_total, due_today_total, due_follow_ups, planned, recent, regions
    """
)

# Per region: held interactions since $recent_since, planned ones up to $planned_until, and
# overdue open follow-ups (the same for every national scope).
_BY_REGION = (
    """
    CALL () {
        MATCH (i:Interaction)
        WHERE i.date >= $recent_since AND i.date <= $planned_until
        """
    + _REGIONS_OF_I
    + """
        WITH r, i, coalesce(i.status, 'held') AS status
        RETURN r.code AS region,
               count(CASE WHEN status = 'held' AND i.date <= $today THEN 1 END) AS recent,
               count(CASE WHEN status = 'planned' AND i.date >= $today THEN 1 END) AS planned,
               0 AS overdue
        UNION ALL
        MATCH (f:FollowUp) WHERE f.done_at IS NULL AND f.due < $today
        MATCH (f)-[:ABOUT]->(i:Interaction)
        """
    + _REGIONS_OF_I
    + """
        RETURN r.code AS region, 0 AS recent, 0 AS planned, count(DISTINCT f) AS overdue
    }
    WITH region, sum(recent) AS recent, sum(planned) AS planned, sum(overdue) AS overdue
    ORDER BY region
    RETURN region, recent, planned, overdue
    """
)


def day(
    user_uid: str,
    scope: dict,
    today: date,
    planned_until: date,
    limit: int,
) -> dict:
    """What the home page shows for the user, in one statement.

    ``due_follow_ups``: the user's open follow-ups overdue, then due ``today``, earliest
    first (``limit`` of each), and how many there are: ``overdue_total``,
    ``due_today_total``. ``planned``: planned interactions of the territory from ``today``
    to ``planned_until``, soonest first; ``recent``: the latest held ones (``limit`` each).
    ``regions``: the regions the scope reaches (``{code, name_fr, programme}``).
    """
    return run(
        _DAY,
        user_uid=user_uid,
        today=today,
        planned_until=planned_until,
        limit=limit,
        **scope,
    )[0]


def counts_by_region(today: date, planned_until: date, recent_since: date) -> list[dict]:
    """Per region code, held interactions since ``recent_since``, planned ones up to
    ``planned_until``, and overdue open follow-ups (``{region, recent, planned, overdue}``;
    regions with none are left out): the national scope's overview, whoever asks."""
    return run(_BY_REGION, today=today, planned_until=planned_until, recent_since=recent_since)
