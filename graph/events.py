"""Events and their attendance: the Cypher behind the event pages.

An event is held in one commune (``HELD_IN``), which decides whose scope it is in
(``graph.scope.event_visible``); organisers are organisations (``ORGANISED``); participants
are people (``ATTENDED``, one relationship per person and event, carrying the role and the
organisation the person came for). Every reader takes ``scope`` and names a participant only
when the person is visible to it and may be named (``graph.privacy.PERSON_NAMED``): the
others are counted, never named.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from graph import paging
from graph.database import atomic, run
from graph.privacy import PERSON_NAMED
from graph.records import update_versioned
from graph.scope import event_visible, events_in_scope, organisation_visible, person_visible

__all__ = [
    "EVENT_SORTS",
    "MissingRecord",
    "add_attendance",
    "cancel_event",
    "create_event",
    "event_detail",
    "events_of_commune",
    "events_of_organisation",
    "events_of_person",
    "remove_attendance",
    "search_events",
    "update_event",
]

# sort code -> ORDER BY over the event ``e`` (the allowlist of the list's sorts).
EVENT_SORTS = {
    "recent": "e.start_date DESC, e.starts_at DESC, e.title",
    "upcoming": "e.start_date, e.starts_at, e.title",
    "title": "e.search_key, e.start_date DESC",
}


class MissingRecord(LookupError):
    """The commune, an organiser or the person named disappeared while the form was open."""


# A participant as readers see it (the fields of a map over ``p`` and ``a``): named only
# when visible and nameable.
_PARTICIPANT_FIELDS = (
    "attendance_uid: a.uid, role: a.role, for_organisation: a.for_organisation, "
    "added_at: a.added_at, named: " + person_visible("p") + " AND " + PERSON_NAMED + ", "
    "person_uid: CASE WHEN " + person_visible("p") + " THEN p.uid END, "
    "first_name: CASE WHEN " + person_visible("p") + " AND " + PERSON_NAMED + " "
    "THEN p.first_name END, "
    "last_name: CASE WHEN " + person_visible("p") + " AND " + PERSON_NAMED + " "
    "THEN p.last_name END, gender: p.gender, age_band: p.age_band"
)

_EVENT_ROW = (
    "{uid: e.uid, title: e.title, kind: e.kind, starts_at: e.starts_at, ends_at: e.ends_at, "
    "start_date: e.start_date, venue: e.venue, themes: e.themes, module: e.module, "
    "cancelled_at: e.cancelled_at, commune_code: c.code, commune_name: c.name_fr, "
    "participants: COUNT { (:Person)-[:ATTENDED]->(e) }}"
)


def create_event(uid: str, props: dict, commune_code: str, organiser_uids: list[str]) -> None:
    """A new event, its commune and its organisers, in one statement (``MissingRecord`` if
    the commune or an organiser does not exist)."""
    rows = run(
        """
        MATCH (c:Commune {code: $commune})
        OPTIONAL MATCH (o:Organisation) WHERE o.uid IN $organisers
        WITH c, collect(o) AS organisers
        WHERE size(organisers) = size($organisers)
        CREATE (e:Event)-[:HELD_IN]->(c)
        SET e = $props, e.uid = $uid, e.created_at = datetime(), e.updated_at = datetime(),
            e.version = 1
        FOREACH (o IN organisers | CREATE (o)-[:ORGANISED]->(e))
        RETURN e.uid AS uid
        """,
        uid=uid,
        props=props,
        commune=commune_code,
        organisers=organiser_uids,
    )
    if not rows:
        raise MissingRecord(uid)


def update_event(
    uid: str, expected_version: int, props: dict, commune_code: str, organiser_uids: list[str]
) -> tuple[int, dict] | None:
    """A versioned update with the new commune and organisers, in one transaction.

    Returns ``(new_version, properties_before)`` with ``commune`` and ``organisers`` (uids)
    among the properties before, ``None`` if there is no such event; raises
    ``graph.records.StaleVersion`` or ``MissingRecord``."""
    with atomic():
        before = run(
            """
            MATCH (e:Event {uid: $uid})
            OPTIONAL MATCH (e)-[:HELD_IN]->(c:Commune)
            RETURN c.code AS commune,
                   COLLECT { MATCH (o:Organisation)-[:ORGANISED]->(e) RETURN o.uid } AS organisers
            """,
            uid=uid,
        )
        result = update_versioned("Event", uid, expected_version, props)
        if result is None:
            return None
        linked = run(
            """
            MATCH (e:Event {uid: $uid}), (c:Commune {code: $commune})
            OPTIONAL MATCH (e)-[old:HELD_IN]->(:Commune)
            DELETE old
            WITH DISTINCT e, c
            CREATE (e)-[:HELD_IN]->(c)
            WITH e
            OPTIONAL MATCH (:Organisation)-[gone:ORGANISED]->(e)
            DELETE gone
            WITH DISTINCT e
            OPTIONAL MATCH (o:Organisation) WHERE o.uid IN $organisers
            WITH e, collect(o) AS organisers
            WHERE size(organisers) = size($organisers)
            FOREACH (o IN organisers | CREATE (o)-[:ORGANISED]->(e))
            RETURN e.uid AS uid
            """,
            uid=uid,
            commune=commune_code,
            organisers=organiser_uids,
        )
        if not linked:
            raise MissingRecord(uid)
        new_version, props_before = result
        return new_version, {**props_before, **before[0]}


def cancel_event(uid: str, expected_version: int, reason: str) -> tuple[int, dict] | None:
    """Mark the event cancelled now (versioned, like an edit)."""
    return update_versioned(
        "Event", uid, expected_version, {"cancelled_at": datetime.now(UTC), "cancel_reason": reason}
    )


_DETAIL = (
    "MATCH (e:Event {uid: $uid}) WHERE "
    + event_visible("e")
    + """
    MATCH (e)-[:HELD_IN]->(c:Commune)-[:IN]->(pr:Province)-[:IN]->(r:Region)
    RETURN properties(e) AS event,
           {code: c.code, name_fr: c.name_fr, name_ar: c.name_ar, province: pr.name_fr,
            region: r.name_fr, region_code: r.code} AS commune,
           COLLECT { MATCH (o:Organisation)-[:ORGANISED]->(e) WHERE """
    + organisation_visible("o")
    + """
                     RETURN {uid: o.uid, name: o.name, acronym: o.acronym, kind: o.kind}
                     ORDER BY o.name } AS organisers,
           COUNT { (:Organisation)-[:ORGANISED]->(e) } AS organiser_count,
           COLLECT { MATCH (p:Person)-[a:ATTENDED]->(e)
                     OPTIONAL MATCH (fo:Organisation {uid: a.for_organisation})
                     WITH p, a, fo ORDER BY toLower(p.last_name), toLower(p.first_name)
                     RETURN {"""
    + _PARTICIPANT_FIELDS
    + ", for_organisation_name: CASE WHEN fo IS NOT NULL AND "
    + organisation_visible("fo")
    + " THEN fo.name END} } AS participants"
)


def event_detail(uid: str, scope: dict) -> dict | None:
    """The event with its commune, visible organisers and every participant (named only
    when visible and nameable: see the module docstring), or None when not visible."""
    rows = run(_DETAIL, uid=uid, **scope)
    if not rows:
        return None
    row = rows[0]
    return {
        **row["event"],
        "commune": row["commune"],
        "organisers": row["organisers"],
        "hidden_organisers": row["organiser_count"] - len(row["organisers"]),
        "participants": row["participants"],
    }


def search_events(
    scope: dict,
    *,
    text_key: str = "",
    kind: str | None = None,
    territory: str | None = None,
    theme: str | None = None,
    start: date | None = None,
    end: date | None = None,
    sort: str = "recent",
    skip: int = 0,
    limit: int = 25,
) -> tuple[list[dict], int]:
    """One page of the events of the scope matching the filters, and their number.

    ``territory``: a region, province or commune code (HCP codes nest: "02", "02.411",
    "02.411.01.23"); ``start``/``end``: the period the event's start date falls in
    (inclusive); ``text_key``: a normalised fragment of the title (``crm.text.search_key``).
    """
    match = (
        events_in_scope("e", national=bool(scope["scope_national"]))
        + "MATCH (e)-[:HELD_IN]->(c:Commune) "
        "WHERE ($kind IS NULL OR e.kind = $kind) "
        "AND ($theme IS NULL OR $theme IN e.themes) "
        "AND ($start IS NULL OR e.start_date >= $start) "
        "AND ($end IS NULL OR e.start_date <= $end) "
        "AND ($text = '' OR e.search_key CONTAINS $text) "
        "AND ($territory IS NULL OR c.code = $territory OR c.code STARTS WITH $territory + '.')"
    )
    return paging.page(
        match,
        EVENT_SORTS.get(sort, EVENT_SORTS["recent"]),
        _EVENT_ROW,
        skip,
        limit,
        kind=kind,
        theme=theme,
        start=start,
        end=end,
        text=text_key,
        territory=territory,
        **scope,
    )


def add_attendance(event_uid: str, person_uid: str, props: dict) -> str | None:
    """Add a participant; returns the attendance uid, "duplicate" when the person is already
    listed, ``None`` when the event or the person does not exist.

    The event is locked first, so two officers adding the same person at once cannot list
    them twice."""
    rows = run(
        """
        MATCH (e:Event {uid: $event})
        SET e._lock = true REMOVE e._lock
        WITH e
        MATCH (p:Person {uid: $person})
        CALL (p, e) {
            WITH p, e WHERE NOT EXISTS { (p)-[:ATTENDED]->(e) }
            CREATE (p)-[a:ATTENDED]->(e)
            SET a = $props, a.uid = randomUUID(), a.added_at = datetime()
            RETURN a.uid AS created
        UNION
            WITH p, e WHERE EXISTS { (p)-[:ATTENDED]->(e) }
            RETURN 'duplicate' AS created
        }
        SET e.updated_at = datetime()
        RETURN created
        """,
        event=event_uid,
        person=person_uid,
        props=props,
    )
    return rows[0]["created"] if rows else None


def remove_attendance(event_uid: str, attendance_uid: str) -> dict | None:
    """Remove one participant; returns what the attendance was (person uid, role), or None."""
    rows = run(
        """
        MATCH (p:Person)-[a:ATTENDED {uid: $attendance}]->(e:Event {uid: $event})
        WITH p, a, e, {person_uid: p.uid, role: a.role, for_organisation: a.for_organisation}
             AS gone
        DELETE a
        SET e.updated_at = datetime()
        RETURN gone
        """,
        event=event_uid,
        attendance=attendance_uid,
    )
    return rows[0]["gone"] if rows else None


def attendance_of(event_uid: str, attendance_uid: str) -> dict | None:
    """The person and role of one attendance of the event (None if there is none)."""
    rows = run(
        """
        MATCH (p:Person)-[a:ATTENDED {uid: $attendance}]->(:Event {uid: $event})
        RETURN p.uid AS person_uid, a.role AS role
        """,
        event=event_uid,
        attendance=attendance_uid,
    )
    return rows[0] if rows else None


_OF_PERSON = (
    "MATCH (:Person {uid: $uid})-[a:ATTENDED]->(e:Event) WHERE "
    + event_visible("e")
    + """
    MATCH (e)-[:HELD_IN]->(c:Commune)
    OPTIONAL MATCH (fo:Organisation {uid: a.for_organisation})
    WITH e, c, a, fo ORDER BY e.start_date DESC, e.starts_at DESC LIMIT $limit
    RETURN e.uid AS uid, e.title AS title, e.kind AS kind, e.starts_at AS starts_at,
           e.cancelled_at AS cancelled_at, c.name_fr AS commune_name, c.code AS commune_code,
           a.role AS role,
           CASE WHEN fo IS NOT NULL AND """
    + organisation_visible("fo")
    + " THEN fo.name END AS for_organisation_name"
)


def events_of_person(uid: str, scope: dict, limit: int = 50) -> list[dict]:
    """The visible events the person attended, newest first."""
    return run(_OF_PERSON, uid=uid, limit=limit, **scope)


_OF_ORGANISATION = (
    """
    MATCH (o:Organisation {uid: $uid})
    CALL (o) {
        MATCH (o)-[:ORGANISED]->(e:Event) RETURN e, true AS organised
        UNION
        MATCH (:Person)-[a:ATTENDED {for_organisation: $uid}]->(e:Event)
        RETURN DISTINCT e, false AS organised
    }
    WITH e, max(organised) AS organised WHERE """
    + event_visible("e")
    + """
    MATCH (e)-[:HELD_IN]->(c:Commune)
    WITH e, c, organised ORDER BY e.start_date DESC, e.starts_at DESC LIMIT $limit
    RETURN e.uid AS uid, e.title AS title, e.kind AS kind, e.starts_at AS starts_at,
           e.cancelled_at AS cancelled_at, c.name_fr AS commune_name, c.code AS commune_code,
           organised,
           COUNT { (:Person)-[:ATTENDED {for_organisation: $uid}]->(e) } AS delegates
    """
)


def events_of_organisation(uid: str, scope: dict, limit: int = 50) -> list[dict]:
    """The visible events the organisation organised or sent people to (``delegates``: how
    many came for it), newest first."""
    return run(_OF_ORGANISATION, uid=uid, limit=limit, **scope)


_OF_COMMUNE = (
    "MATCH (e:Event)-[:HELD_IN]->(c:Commune {code: $code}) WHERE "
    + event_visible("e")
    + """
    WITH e, c ORDER BY e.start_date >= $today DESC,
         CASE WHEN e.start_date >= $today THEN e.start_date END,
         e.start_date DESC LIMIT $limit
    RETURN e.uid AS uid, e.title AS title, e.kind AS kind, e.starts_at AS starts_at,
           e.ends_at AS ends_at, e.cancelled_at AS cancelled_at, c.name_fr AS commune_name,
           c.code AS commune_code, e.start_date >= $today AS upcoming,
           COUNT { (:Person)-[:ATTENDED]->(e) } AS participants
    """
)


def events_of_commune(code: str, scope: dict, today: date, limit: int = 20) -> list[dict]:
    """The visible events held in the commune: the upcoming ones (soonest first), then the
    past ones (newest first)."""
    return run(_OF_COMMUNE, code=code, today=today, limit=limit, **scope)
