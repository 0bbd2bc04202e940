"""Participation figures and the monitoring report: the Cypher that counts.

Definitions (the same in the pages, the XLSX export and the tests):

- Only events that are not cancelled count, in the periods and territories asked.
- *Participants* of an event: its ``ATTENDED`` ties (one per person). Over a territory and a
  period, *participations* count ties and *people* count distinct persons.
- *Women* and *men* count people by their recorded gender; *youth* counts the age bands of
  ``graph.vocabulary.YOUTH_AGE_BANDS`` (18-34). Shares are given over the people whose gender
  (or age band) is recorded, and the unrecorded are counted apart.
- *Organisations represented*: distinct organisations participants came for; *actor kinds*:
  their distinct kinds.
- *First-time participants*: people who had attended no event (not cancelled) on an earlier
  day — for a period, people of its events who had attended none before the period began.
- *People trained per module*: distinct people who attended a training of that module.
- *Associations engaged* (kinds ``osc``, ``cooperative``, ``osc_network``): in the period,
  organised an event, sent someone to one (``for_organisation``), or took part in a held
  interaction (with the association or with someone holding a function in it).
- A pilot commune *has a council–association tie* in the period when its commune council and
  an association located in it took part in the same held interaction, or the same event
  (organising it or sending someone to it).

People are counted, never named here: these figures include people under opposition or
anonymised (``graph.privacy``), which is why no row of this module carries a name.
"""

from __future__ import annotations

from datetime import date

from graph.database import run
from graph.scope import events_in_scope
from graph.vocabulary import YOUTH_AGE_BANDS

__all__ = [
    "ASSOCIATION_KINDS",
    "associations_engaged",
    "event_figures",
    "events_by_kind",
    "period_figures",
    "pilot_council_ties",
]

ASSOCIATION_KINDS = ("osc", "cooperative", "osc_network")
_YOUTH = sorted(YOUTH_AGE_BANDS)

# The figures of a set of attendances ``a`` of people ``p`` at events ``e`` (bound per row,
# grouped by the caller), with ``first`` true when it is the person's first event.
_FIGURES = """
    count(a) AS participations,
    count(DISTINCT p) AS people,
    count(DISTINCT CASE WHEN p.gender = 'f' THEN p END) AS women,
    count(DISTINCT CASE WHEN p.gender = 'm' THEN p END) AS men,
    count(DISTINCT CASE WHEN p.age_band IN $youth THEN p END) AS youth,
    count(DISTINCT CASE WHEN coalesce(p.age_band, '') <> '' THEN p END) AS age_known,
    count(DISTINCT a.for_organisation) AS organisations,
    count(DISTINCT CASE WHEN first THEN p END) AS first_time,
    collect(DISTINCT a.for_organisation) AS organisation_uids
"""

# Is this attendance the person's first event ever (no earlier event, not cancelled)?
_FIRST = """
    NOT EXISTS {
        MATCH (p)-[:ATTENDED]->(earlier:Event)
        WHERE earlier.cancelled_at IS NULL AND earlier.start_date < e.start_date
    } AS first
"""


def event_figures(uid: str) -> dict:
    """The participation figures of one event (see the module docstring)."""
    rows = run(
        """
        MATCH (e:Event {uid: $uid})
        OPTIONAL MATCH (p:Person)-[a:ATTENDED]->(e)
        WITH e, p, a, """
        + _FIRST
        + """
        WITH """
        + _FIGURES
        + """
        RETURN participations, people, women, men, youth, age_known, organisations,
               first_time,
               COLLECT { MATCH (o:Organisation) WHERE o.uid IN organisation_uids
                         RETURN DISTINCT o.kind } AS kinds
        """,
        uid=uid,
        youth=_YOUTH,
    )
    return _shares(rows[0])


def _period_events(national: bool) -> str:
    """Binds ``e``: the events of the scope in the territory and period, not cancelled."""
    return (
        events_in_scope("e", national=national) + "MATCH (e)-[:HELD_IN]->(c:Commune) "
        "WHERE e.cancelled_at IS NULL AND e.start_date >= $start AND e.start_date <= $end "
        "AND ($territory IS NULL OR c.code = $territory OR c.code STARTS WITH $territory + '.') "
    )


def period_figures(scope: dict, territory: str | None, start: date, end: date) -> dict:
    """Participation over the events of a territory and period: the figures of
    ``event_figures`` for all of them, plus ``events``, ``trainings`` and ``trained``
    (``[{module, trainings, people}]``)."""
    params = {"territory": territory, "start": start, "end": end, "youth": _YOUTH, **scope}
    national = bool(scope["scope_national"])
    rows = run(
        _period_events(national)
        + """
        WITH collect(e) AS chosen
        CALL (chosen) {
            UNWIND chosen AS e
            MATCH (p:Person)-[a:ATTENDED]->(e)
            WITH e, p, a, NOT EXISTS {
                MATCH (p)-[:ATTENDED]->(earlier:Event)
                WHERE earlier.cancelled_at IS NULL AND earlier.start_date < $start
            } AS first
            WITH """
        + _FIGURES
        + """
            RETURN participations, people, women, men, youth, age_known, organisations,
                   first_time, organisation_uids
        }
        CALL (chosen) {
            UNWIND chosen AS e
            WITH e WHERE e.kind = 'training'
            OPTIONAL MATCH (p:Person)-[:ATTENDED]->(e)
            WITH e.module AS module, count(DISTINCT e) AS trainings, count(DISTINCT p) AS people
            ORDER BY module
            RETURN collect({module: module, trainings: trainings, people: people}) AS trained
        }
        RETURN size(chosen) AS events, participations, people, women, men, youth, age_known,
               organisations, first_time, trained,
               size([e IN chosen WHERE e.kind = 'training']) AS trainings,
               COLLECT { MATCH (o:Organisation) WHERE o.uid IN organisation_uids
                         RETURN DISTINCT o.kind } AS kinds
        """,
        **params,
    )
    return _shares(rows[0])


def events_by_kind(scope: dict, territory: str | None, start: date, end: date) -> list[dict]:
    """``[{kind, events, participations}]`` over the territory and period."""
    return run(
        _period_events(bool(scope["scope_national"]))
        + """
        WITH e.kind AS kind, count(e) AS events,
             sum(COUNT { (:Person)-[:ATTENDED]->(e) }) AS participations
        RETURN kind, events, participations ORDER BY events DESC, kind
        """,
        territory=territory,
        start=start,
        end=end,
        **scope,
    )


def associations_engaged(scope: dict, territory: str | None, start: date, end: date) -> list[dict]:
    """Per commune of the territory in scope: the associations engaged in the period
    (``[{commune_code, commune_name, pilot, associations: [{uid, name}]}]``), communes
    without any left out."""
    return run(
        """
        CALL () {
            MATCH (o:Organisation)-[:LOCATED_IN]->(c:Commune)
            WHERE o.kind IN $association_kinds
              AND ($scope_national OR c.code IN $scope_communes)
              AND ($territory IS NULL OR c.code = $territory
                   OR c.code STARTS WITH $territory + '.')
            RETURN o, c
        }
        WITH o, c WHERE EXISTS {
                MATCH (o)-[:ORGANISED]->(e:Event)
                WHERE e.cancelled_at IS NULL AND e.start_date >= $start AND e.start_date <= $end
            } OR EXISTS {
                MATCH (:Person)-[:ATTENDED {for_organisation: o.uid}]->(e:Event)
                WHERE e.cancelled_at IS NULL AND e.start_date >= $start AND e.start_date <= $end
            } OR EXISTS {
                MATCH (i:Interaction {status: 'held'})-[:WITH]->(o)
                WHERE i.date >= $start AND i.date <= $end
            } OR EXISTS {
                MATCH (i:Interaction {status: 'held'})-[:WITH]->(:Person)-[:AFFILIATED_WITH]->(o)
                WHERE i.date >= $start AND i.date <= $end
            }
        WITH c, o ORDER BY o.name
        WITH c, collect({uid: o.uid, name: o.name}) AS associations
        RETURN c.code AS commune_code, c.name_fr AS commune_name,
               coalesce(c.pilot, false) AS pilot, associations
        ORDER BY size(associations) DESC, c.name_fr
        """,
        association_kinds=list(ASSOCIATION_KINDS),
        territory=territory,
        start=start,
        end=end,
        **scope,
    )


def pilot_council_ties(scope: dict, territory: str | None, start: date, end: date) -> list[dict]:
    """Every pilot commune of the territory in scope, with ``tied`` (its council and an
    association of the commune took part in the same held interaction or event of the
    period), and the ``interactions`` and ``events`` that show it (uids)."""
    return run(
        """
        MATCH (c:Commune {pilot: true})
        WHERE ($scope_national OR c.code IN $scope_communes)
          AND ($territory IS NULL OR c.code = $territory OR c.code STARTS WITH $territory + '.')
        OPTIONAL MATCH (c)-[:IN]->(:Province)-[:IN]->(r:Region)
        CALL (c) {
            OPTIONAL MATCH (council:Organisation {kind: 'commune_council'})-[:LOCATED_IN]->(c)
            OPTIONAL MATCH (association:Organisation)-[:LOCATED_IN]->(c)
            WHERE association.kind IN $association_kinds
            WITH collect(DISTINCT council) AS councils,
                 collect(DISTINCT association) AS associations
            CALL (councils, associations) {
                UNWIND councils AS council
                CALL (council) {
                    MATCH (i:Interaction {status: 'held'})-[:WITH]->(council) RETURN i
                    UNION
                    MATCH (i:Interaction {status: 'held'})-[:WITH]->(:Person)
                          -[:AFFILIATED_WITH]->(council)
                    RETURN i
                }
                WITH i, associations WHERE i.date >= $start AND i.date <= $end
                  AND EXISTS {
                      MATCH (i)-[:WITH]->(y) WHERE y IN associations
                         OR EXISTS { MATCH (y)-[:AFFILIATED_WITH]->(a) WHERE a IN associations }
                  }
                RETURN collect(DISTINCT i.uid) AS interactions
            }
            CALL (councils, associations) {
                UNWIND councils AS council
                UNWIND associations AS association
                MATCH (e:Event)
                WHERE e.cancelled_at IS NULL AND e.start_date >= $start AND e.start_date <= $end
                  AND (EXISTS { (council)-[:ORGANISED]->(e) }
                       OR EXISTS { (:Person)-[:ATTENDED {for_organisation: council.uid}]->(e) })
                  AND (EXISTS { (association)-[:ORGANISED]->(e) }
                       OR EXISTS { (:Person)-[:ATTENDED {for_organisation: association.uid}]->(e) })
                RETURN collect(DISTINCT e.uid) AS events
            }
            RETURN interactions, events, size(councils) > 0 AS has_council
        }
        RETURN c.code AS commune_code, c.name_fr AS commune_name, r.name_fr AS region,
               has_council, interactions, events,
               size(interactions) + size(events) > 0 AS tied
        ORDER BY r.name_fr, c.name_fr
        """,
        association_kinds=list(ASSOCIATION_KINDS),
        territory=territory,
        start=start,
        end=end,
        **scope,
    )


def _shares(row: dict) -> dict:
    known_gender = row["women"] + row["men"]
    figures = {
        **{k: v for k, v in row.items() if k != "organisation_uids"},
        "gender_unknown": row["people"] - known_gender,
        "age_unknown": row["people"] - row["age_known"],
        "women_share": row["women"] / known_gender if known_gender else None,
        "youth_share": row["youth"] / row["age_known"] if row["age_known"] else None,
        "kinds": sorted(k for k in row.get("kinds") or [] if k),
    }
    return figures
