"""The Cypher of list exports that the list pages' own readers do not cover.

The lists themselves are read by the pages' queries (``graph.search``, ``graph.events``,
``graph.interactions``); exports add the attendance of many events at once and which of
the people a list names may not be named in an export (``graph.privacy.PERSON_NAMED``).
"""

from __future__ import annotations

from graph.database import run
from graph.privacy import PERSON_NAMED
from graph.scope import event_visible, organisation_visible, person_visible

__all__ = ["attendance_of_events", "not_nameable"]


def attendance_of_events(event_uids: list[str], scope: dict) -> list[dict]:
    """The participants of the events ``event_uids`` that ``scope`` sees, events in the
    order given, people by name within an event (as an event's page lists them).

    Only participants visible under ``scope`` who may be named are returned (the pages
    count the others without naming them); "came for" names a visible organisation only.
    """
    if not event_uids:
        return []
    return run(
        """
        UNWIND range(0, size($event_uids) - 1) AS position
        MATCH (e:Event {uid: $event_uids[position]})
        WHERE """
        + event_visible("e")
        + """
        MATCH (e)-[:HELD_IN]->(c:Commune)
        MATCH (p:Person)-[a:ATTENDED]->(e)
        WHERE """
        + person_visible("p")
        + " AND "
        + PERSON_NAMED
        + """
        OPTIONAL MATCH (fo:Organisation {uid: a.for_organisation})
        WITH position, e, c, p, a,
             CASE WHEN fo IS NOT NULL AND """
        + organisation_visible("fo")
        + """ THEN fo.name END AS for_organisation_name
        ORDER BY position, toLower(p.last_name), toLower(p.first_name)
        RETURN e.uid AS event_uid, e.title AS event_title, e.kind AS event_kind,
               e.starts_at AS starts_at, e.ends_at AS ends_at, e.start_date AS start_date,
               e.cancelled_at IS NOT NULL AS cancelled, c.name_fr AS commune_name,
               p.uid AS person_uid, p.last_name AS last_name, p.first_name AS first_name,
               p.last_name_ar AS last_name_ar, p.first_name_ar AS first_name_ar,
               p.gender AS gender, p.phones AS phones, p.emails AS emails,
               a.role AS role, for_organisation_name
        """,
        event_uids=event_uids,
        **scope,
    )


def not_nameable(person_uids: list[str]) -> set[str]:
    """Those of ``person_uids`` who opposed or were anonymised: never named in an export."""
    if not person_uids:
        return set()
    rows = run(
        "MATCH (p:Person) WHERE p.uid IN $uids AND NOT " + PERSON_NAMED + " RETURN p.uid AS uid",
        uids=list(person_uids),
    )
    return {row["uid"] for row in rows}
