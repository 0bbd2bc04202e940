"""Interactions, their follow-ups and the ties they keep alive: the Cypher behind those pages.

Visibility
    An interaction is visible to an actor when at least one person or organisation it is
    ``WITH`` is visible (``graph.scope``). Whatever is shown of an interaction, its other
    participants are listed only when they are visible too, so a shared institution's timeline
    never reveals records of another region.

Every read takes ``scope`` (``crm.access.Scope.as_params()``). Writes run in one transaction:
an interaction, its ``WITH`` links and its follow-ups are written together or not at all.
"""

from __future__ import annotations

from datetime import date, datetime

from graph import kinds, paging
from graph.database import atomic, run
from graph.scope import (
    organisation_visible,
    organisation_writable,
    person_visible,
    person_writable,
)

__all__ = [
    "INTERACTION_KINDS",
    "MissingRecord",
    "assignable_users",
    "create_interaction",
    "form_start",
    "follow_up_access",
    "follow_ups_of",
    "get_interaction",
    "interaction_visible",
    "mark_follow_up_done",
    "reassign_follow_up",
    "ties_past_cadence",
    "timeline",
]

# code -> French label; the allowlist of interaction kinds.
INTERACTION_KINDS: dict[str, str] = {
    "meeting": "Réunion",
    "call": "Appel",
    "visit": "Visite",
    "email": "E-mail",
    "message": "Message",
}

# Roles that may be given a follow-up (they can act on it: mark it done, reassign it).
ASSIGNABLE_ROLES = ("admin", "manager", "officer")


class MissingRecord(LookupError):
    """A person, organisation or user named in a write does not exist (the write is undone)."""


def interaction_visible(var: str = "i") -> str:
    """Cypher predicate: the interaction ``var`` is WITH at least one visible record.

    ``var`` must be a plain identifier (else ``ValueError``); the participants' variables are
    derived from it (``_ip_i``, ``_io_i``), so the calling query may bind ``p`` and ``o``.
    """
    from graph.scope import inner_variable

    person, organisation = inner_variable("ip", var), inner_variable("io", var)
    return (
        "(EXISTS { MATCH (" + var + ")-[:WITH]->(" + person + ":Person) WHERE "
        + person_visible(person) + " }"
        " OR EXISTS { MATCH (" + var + ")-[:WITH]->(" + organisation + ":Organisation) WHERE "
        + organisation_visible(organisation) + " })"
    )  # fmt: skip


# What a list shows of an interaction ``i``: its visible participants and who logged it.
_PARTICIPANTS = (
    """
    CALL (i) {
        OPTIONAL MATCH (i)-[:WITH]->(p:Person) WHERE """
    + person_visible("p")
    + """
        WITH p ORDER BY toLower(p.last_name), toLower(p.first_name)
        RETURN [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE
                {uid: p.uid, name: p.first_name + ' ' + p.last_name} END)
                WHERE x IS NOT NULL] AS people
    }
    CALL (i) {
        OPTIONAL MATCH (i)-[:WITH]->(o:Organisation) WHERE """
    + organisation_visible("o")
    + """
        WITH o ORDER BY toLower(o.name)
        RETURN [x IN collect(CASE WHEN o IS NULL THEN NULL ELSE
                {uid: o.uid, name: o.name, kind: o.kind} END)
                WHERE x IS NOT NULL] AS organisations
    }
    OPTIONAL MATCH (i)<-[:LOGGED]-(logger:User)
    """
)

_FOLLOW_UPS = """
    CALL (i) {
        OPTIONAL MATCH (f:FollowUp)-[:ABOUT]->(i)
        OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(assignee:User)
        WITH f, assignee ORDER BY f.due, f.created_at
        RETURN [x IN collect(CASE WHEN f IS NULL THEN NULL ELSE
                {uid: f.uid, what: f.what, due: f.due, done_at: f.done_at,
                 assignee_uid: assignee.uid, assignee_name: assignee.display_name} END)
                WHERE x IS NOT NULL] AS follow_ups
    }
"""

_INTERACTION_FIELDS = """
    i.uid AS uid, i.kind AS kind, i.date AS date, i.summary AS summary,
    i.created_at AS created_at, logger.uid AS logged_by_uid,
    logger.display_name AS logged_by_name, people, organisations
"""


# --- interactions ----------------------------------------------------------------------------


def create_interaction(
    uid: str,
    props: dict,
    logged_by: str,
    person_uids: list[str],
    organisation_uids: list[str],
    follow_ups: list[dict],
) -> None:
    """Write an interaction, its participants and follow-ups in one transaction.

    ``follow_ups`` items hold ``uid``, ``what``, ``due`` and ``assignee`` (a user uid). Raises
    ``MissingRecord`` (and writes nothing) if a participant or user does not exist.
    """
    with atomic():
        created = run(
            """
            MATCH (u:User {uid: $logged_by})
            CREATE (u)-[:LOGGED]->(i:Interaction)
            SET i = $props, i.uid = $uid, i.created_at = datetime(),
                i.updated_at = datetime(), i.version = 1
            WITH i
            CALL (i) {
                UNWIND $person_uids AS person_uid
                MATCH (x:Person {uid: person_uid})
                CREATE (i)-[:WITH]->(x)
                RETURN count(x) AS people
            }
            CALL (i) {
                UNWIND $organisation_uids AS organisation_uid
                MATCH (x:Organisation {uid: organisation_uid})
                CREATE (i)-[:WITH]->(x)
                RETURN count(x) AS organisations
            }
            CALL (i) {
                UNWIND $follow_ups AS follow_up
                MATCH (a:User {uid: follow_up.assignee})
                CREATE (f:FollowUp)-[:ABOUT]->(i)
                SET f.uid = follow_up.uid, f.what = follow_up.what, f.due = follow_up.due,
                    f.created_at = datetime(), f.updated_at = datetime()
                CREATE (f)-[:ASSIGNED_TO]->(a)
                RETURN count(f) AS follow_ups
            }
            RETURN people, organisations, follow_ups
            """,
            uid=uid,
            props=props,
            logged_by=logged_by,
            person_uids=person_uids,
            organisation_uids=organisation_uids,
            follow_ups=follow_ups,
        )
        expected = {
            "people": len(person_uids),
            "organisations": len(organisation_uids),
            "follow_ups": len(follow_ups),
        }
        if not created or created[0] != expected:
            raise MissingRecord(uid)  # leaving the block rolls everything back


def get_interaction(uid: str, scope: dict) -> dict | None:
    """One interaction with its visible participants and its follow-ups, if visible."""
    rows = run(
        "MATCH (i:Interaction {uid: $uid}) WHERE "
        + interaction_visible("i")
        + _PARTICIPANTS
        + _FOLLOW_UPS
        + "RETURN "
        + _INTERACTION_FIELDS
        + ", follow_ups",
        uid=uid,
        **scope,
    )
    return rows[0] if rows else None


def timeline(kind: str, uid: str, scope: dict, limit: int) -> tuple[list[dict], int] | None:
    """Interactions WITH one person or organisation, newest first, and how many there are.

    None when the record is not visible (``graph.kinds``). An interaction WITH a visible
    record is visible, so the whole timeline is shown; only the other participants are
    filtered.
    """
    if run(kinds.record_kind(kind).match("x") + "WHERE " + kinds.KINDS[kind].visible("x")
           + " RETURN 1 AS ok", uid=uid, **scope):  # fmt: skip
        return timeline_of_visible(kind, uid, scope, limit)
    return None


def timeline_of_visible(kind: str, uid: str, scope: dict, limit: int) -> tuple[list[dict], int]:
    """``timeline`` of a record the caller has already found visible, in one round trip."""
    rows = run(_TIMELINE[kind], uid=uid, limit=limit, **scope)
    total = rows[0]["total"] if rows else 0
    return [{k: v for k, v in row.items() if k != "total"} for row in rows], total


def _timeline_query(kind: str) -> str:
    return (
        kinds.record_kind(kind).match("x")
        + """
        WITH x, COUNT { (x)<-[:WITH]-(:Interaction) } AS total
        MATCH (i:Interaction)-[:WITH]->(x)
        WITH i, total ORDER BY i.date DESC, i.created_at DESC LIMIT $limit
        """
        + _PARTICIPANTS
        + _FOLLOW_UPS
        + "RETURN "
        + _INTERACTION_FIELDS
        + ", follow_ups, total ORDER BY date DESC, created_at DESC"
    )


_TIMELINE = {code: _timeline_query(code) for code in kinds.KINDS}


# --- the "new interaction" form ------------------------------------------------------------

_ASSIGNEES = """
    CALL () {
        MATCH (u:User) WHERE u.active AND u.role IN $roles
        WITH u ORDER BY toLower(u.display_name), u.email
        RETURN collect({uid: u.uid, display_name: u.display_name, email: u.email}) AS assignees
    }
"""

# kind -> what a form field's label needs of the record ``x``.
_LABEL_FIELDS = {
    "person": "{uid: x.uid, first_name: x.first_name, last_name: x.last_name, "
    "organisations: [(x)-[a:AFFILIATED_WITH]->(o:Organisation) WHERE a.until IS NULL AND "
    + organisation_visible("o")
    + " | o.name]}",
    "organisation": "{uid: x.uid, name: x.name, "
    "commune_name: head([(x)-[:LOCATED_IN]->(c:Commune) | c.name_fr])}",
}


def _form_start_query(kind: str) -> str:
    record_kind = kinds.record_kind(kind)
    return (
        _ASSIGNEES
        + "OPTIONAL MATCH (x:"
        + record_kind.label
        + " {uid: $uid}) "
        + "WITH assignees, x, CASE WHEN x IS NULL THEN false ELSE "
        + record_kind.visible("x")
        + " END AS visible "
        + "RETURN assignees, x IS NOT NULL AS exists, visible, "
        + "CASE WHEN visible THEN "
        + _LABEL_FIELDS[kind]
        + " END AS record"
    )


_FORM_START = {code: _form_start_query(code) for code in kinds.KINDS}


def form_start(kind: str | None, uid: str | None, scope: dict) -> dict:
    """In one round trip: the accounts a follow-up can be given to (``assignees``) and, when
    the form is opened from a record, whether it ``exists``, is ``visible``, and what its
    label needs (``record``)."""
    if kind is None:
        rows = run(_ASSIGNEES + "RETURN assignees", roles=list(ASSIGNABLE_ROLES))
        return {"assignees": rows[0]["assignees"], "exists": False, "visible": False,
                "record": None}  # fmt: skip
    return run(_FORM_START[kind], uid=uid, roles=list(ASSIGNABLE_ROLES), **scope)[0]


# --- follow-ups ------------------------------------------------------------------------------


def assignable_users() -> list[dict]:
    """Active accounts that can be given a follow-up, by name."""
    return run(
        """
        MATCH (u:User) WHERE u.active AND u.role IN $roles
        RETURN u.uid AS uid, u.display_name AS display_name, u.email AS email
        ORDER BY toLower(u.display_name), u.email
        """,
        roles=list(ASSIGNABLE_ROLES),
    )


def follow_ups_of(user_uid: str, done_since: datetime, scope: dict) -> list[dict]:
    """Follow-ups assigned to the user: all open ones, and those done since the instant
    ``done_since`` (the caller turns the programme's date into an instant).

    The interaction's summary is returned only when the interaction is visible under
    ``scope``; its participants only when each is visible.
    """
    return run(
        """
        MATCH (f:FollowUp)-[:ASSIGNED_TO]->(:User {uid: $user_uid})
        WHERE f.done_at IS NULL OR f.done_at >= $done_since
        MATCH (f)-[:ABOUT]->(i:Interaction)
        """
        + _PARTICIPANTS
        + """
        RETURN f.uid AS uid, f.what AS what, f.due AS due, f.done_at AS done_at,
               i.uid AS interaction_uid, i.kind AS kind, i.date AS date,
               CASE WHEN size(people) + size(organisations) > 0 THEN i.summary END AS summary,
               size(people) + size(organisations) > 0 AS visible,
               logger.display_name AS logged_by_name, people, organisations
        ORDER BY f.due, f.created_at
        """,
        user_uid=user_uid,
        done_since=done_since,
        **scope,
    )


def follow_up_access(uid: str, scope: dict) -> dict | None:
    """Who a follow-up concerns, whether it is done, and whether its interaction is visible."""
    rows = run(
        """
        MATCH (f:FollowUp {uid: $uid})-[:ABOUT]->(i:Interaction)
        OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(a:User)
        OPTIONAL MATCH (i)<-[:LOGGED]-(l:User)
        RETURN f.what AS what, f.done_at IS NOT NULL AS done, a.uid AS assignee_uid,
               a.display_name AS assignee_name, l.uid AS logged_by_uid,
               """
        + interaction_visible("i")
        + " AS visible",
        uid=uid,
        **scope,
    )
    return rows[0] if rows else None


def mark_follow_up_done(uid: str) -> bool:
    """Mark an open follow-up done; False if it was already done (or is gone)."""
    rows = run(
        """
        MATCH (f:FollowUp {uid: $uid}) WHERE f.done_at IS NULL
        SET f.done_at = datetime(), f.updated_at = datetime()
        RETURN f.uid AS uid
        """,
        uid=uid,
    )
    return bool(rows)


def reassign_follow_up(uid: str, assignee_uid: str) -> bool:
    """Give an open follow-up to another active user; False if either is gone or it is done."""
    with atomic():
        rows = run(
            """
            MATCH (f:FollowUp {uid: $uid}) WHERE f.done_at IS NULL
            MATCH (a:User {uid: $assignee_uid}) WHERE a.active
            OPTIONAL MATCH (f)-[old:ASSIGNED_TO]->(:User)
            DELETE old
            WITH DISTINCT f, a
            CREATE (f)-[:ASSIGNED_TO]->(a)
            SET f.updated_at = datetime()
            RETURN f.uid AS uid
            """,
            uid=uid,
            assignee_uid=assignee_uid,
        )
        return bool(rows)


# --- ties and cadence ------------------------------------------------------------------------


def ties_past_cadence(
    actor_uid: str,
    cadences: dict[str, int],
    default_cadence: int,
    today: date,
    skip: int,
    limit: int,
    scope: dict,
) -> tuple[list[dict], int]:
    """The actor's ties whose last interaction is older than their cadence, most overdue first.

    A tie is a person or organisation with at least one interaction that is either in the
    actor's own territory (visible without the shared-institution clause), or visible and
    one the actor logged an interaction with. ``cadences`` maps "person" and organisation
    kinds to a number of days.
    """
    ties = (
        """
        CALL () {
            MATCH (i:Interaction)-[:WITH]->(p:Person)
            WITH p, max(i.date) AS last, count(i) AS interactions
            WHERE """
        + person_visible("p")
        + " AND ("
        + person_writable("p")
        + """ OR EXISTS {
                MATCH (p)<-[:WITH]-(:Interaction)<-[:LOGGED]-(:User {uid: $actor_uid}) })
            OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
            RETURN 'person' AS record, 'person' AS kind, p.uid AS uid,
                   p.first_name + ' ' + p.last_name AS name, c.name_fr AS commune,
                   last, interactions
            UNION ALL
            MATCH (i:Interaction)-[:WITH]->(o:Organisation)
            WITH o, max(i.date) AS last, count(i) AS interactions
            WHERE """
        + organisation_visible("o")
        + " AND ("
        + organisation_writable("o")
        + """ OR EXISTS {
                MATCH (o)<-[:WITH]-(:Interaction)<-[:LOGGED]-(:User {uid: $actor_uid}) })
            OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
            RETURN 'organisation' AS record, o.kind AS kind, o.uid AS uid, o.name AS name,
                   c.name_fr AS commune, last, interactions
        }
        WITH record, kind, uid, name, commune, last, interactions,
             duration.inDays(last, $today).days AS days_since,
             coalesce($cadences[kind], $default_cadence) AS cadence
        WITH *, days_since - cadence AS overdue
        WHERE overdue > 0
        """
    )
    params = {
        "actor_uid": actor_uid,
        "cadences": cadences,
        "default_cadence": default_cadence,
        "today": today,
        **scope,
    }
    row = (
        "{record: record, kind: kind, uid: uid, name: name, commune: commune, last: last, "
        "interactions: interactions, days_since: days_since, cadence: cadence, overdue: overdue}"
    )
    return paging.page(ties, "overdue DESC, toLower(name)", row, skip, limit, **params)
