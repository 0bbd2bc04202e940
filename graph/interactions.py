"""Interactions, their follow-ups and the ties they keep alive: the Cypher behind those pages
(the lists and actions of "Mes suivis" are in ``graph.followups``).

Visibility
    An interaction is visible to an actor when at least one person or organisation it is
    ``WITH`` is visible (``graph.scope``). Whatever is shown of an interaction, its other
    participants are listed only when they are visible too, so a shared institution's timeline
    never reveals records of another region.

Editing
    An interaction is *editable* under a scope when every person it is ``WITH`` is writable
    and every organisation visible (a shared national institution takes part in everyone's
    meetings without being theirs to change): changing it changes what is recorded about
    each of them (``interaction_editable``).

Every read takes ``scope`` (``crm.access.Scope.as_params()``). Writes run in one transaction:
an interaction, its ``WITH`` and ``HELD_IN`` links and its follow-ups are written (or
deleted) together or not at all. Interactions logged before statuses existed have no
``status`` and count as held (``coalesce(i.status, 'held')``).
"""

from __future__ import annotations

from graph import kinds, last_contact
from graph.database import atomic, run
from graph.records import StaleVersion, update_versioned
from graph.scope import (
    inner_variable,
    organisation_visible,
    person_visible,
    person_writable,
)

__all__ = [
    "FOLLOW_UPS_CLAUSE",
    "INTERACTION_KINDS",
    "INTERACTION_MAP",
    "INTERACTION_STATUSES",
    "MissingRecord",
    "PARTICIPANTS_CLAUSE",
    "assignable_users",
    "create_interaction",
    "delete_interaction",
    "edit_access",
    "form_start",
    "get_interaction",
    "interaction_editable",
    "interaction_visible",
    "set_status",
    "timeline",
    "update_interaction",
]

# code -> French label; the allowlist of interaction kinds.
INTERACTION_KINDS: dict[str, str] = {
    "meeting": "Réunion",
    "call": "Appel",
    "visit": "Visite",
    "email": "E-mail",
    "message": "Message",
}

# code -> French label; the allowlist of statuses (see the module docstring).
INTERACTION_STATUSES: dict[str, str] = {
    "held": "Tenue",
    "planned": "Prévue",
    "cancelled": "Annulée",
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
    person, organisation = inner_variable("ip", var), inner_variable("io", var)
    return (
        "(EXISTS { MATCH (" + var + ")-[:WITH]->(" + person + ":Person) WHERE "
        + person_visible(person) + " }"
        " OR EXISTS { MATCH (" + var + ")-[:WITH]->(" + organisation + ":Organisation) WHERE "
        + organisation_visible(organisation) + " })"
    )  # fmt: skip


def interaction_editable(var: str = "i") -> str:
    """Cypher predicate: every person the interaction ``var`` is WITH is writable, and every
    organisation visible (see the module docstring). Combine it with ``interaction_visible``."""
    person, organisation = inner_variable("ep", var), inner_variable("eo", var)
    return (
        "(NOT EXISTS { MATCH (" + var + ")-[:WITH]->(" + person + ":Person) WHERE NOT "
        + person_writable(person) + " }"
        " AND NOT EXISTS { MATCH (" + var + ")-[:WITH]->(" + organisation + ":Organisation)"
        " WHERE NOT " + organisation_visible(organisation) + " })"
    )  # fmt: skip


# What a list shows of an interaction ``i``: its visible participants, who logged it, where.
# People are written "Prénom NOM", as everywhere (``crm.labels.person_name``).
_PARTICIPANTS = (
    """
    CALL (i) {
        OPTIONAL MATCH (i)-[:WITH]->(p:Person) WHERE """
    + person_visible("p")
    + """
        WITH p ORDER BY toLower(p.last_name), toLower(p.first_name)
        RETURN [x IN collect(CASE WHEN p IS NULL THEN NULL ELSE
                {uid: p.uid, name: p.first_name + ' ' + toUpper(p.last_name)} END)
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
    OPTIONAL MATCH (i)-[:HELD_IN]->(place:Commune)
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

# Fragments other graph modules compose over an interaction bound to ``i``.
PARTICIPANTS_CLAUSE = _PARTICIPANTS
FOLLOW_UPS_CLAUSE = _FOLLOW_UPS

# (name, expression) of what a page shows of an interaction ``i`` (after ``_PARTICIPANTS``).
_FIELDS = (
    ("uid", "i.uid"),
    ("kind", "i.kind"),
    ("date", "i.date"),
    ("summary", "i.summary"),
    ("status", "coalesce(i.status, 'held')"),
    ("start_time", "i.start_time"),
    ("venue", "i.venue"),
    ("version", "i.version"),
    ("created_at", "i.created_at"),
    ("logged_by_uid", "logger.uid"),
    ("logged_by_name", "logger.display_name"),
    ("people", "people"),
    ("organisations", "organisations"),
    ("place", "CASE WHEN place IS NULL THEN NULL ELSE {code: place.code, "
     "name_fr: place.name_fr} END"),
)  # fmt: skip
# The same as RETURN items, and as a map (to collect interactions in a subquery).
_INTERACTION_FIELDS = " " + ", ".join(expr + " AS " + name for name, expr in _FIELDS) + " "
INTERACTION_MAP = "{" + ", ".join(name + ": " + expr for name, expr in _FIELDS) + "}"


# --- interactions ----------------------------------------------------------------------------


# Links an interaction ``i`` to the people and organisations of $person_uids and
# $organisation_uids, counting those found (a count short of the list: a record vanished).
_LINK_PARTICIPANTS = """
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
"""


def create_interaction(
    uid: str,
    props: dict,
    logged_by: str,
    person_uids: list[str],
    organisation_uids: list[str],
    follow_ups: list[dict],
    commune_code: str | None = None,
) -> None:
    """Write an interaction, its participants, place and follow-ups in one transaction.

    ``follow_ups`` items hold ``uid``, ``what``, ``due`` and ``assignee`` (a user uid). Raises
    ``MissingRecord`` (and writes nothing) if a participant, user or the commune does not
    exist.
    """
    with atomic():
        created = run(
            """
            MATCH (u:User {uid: $logged_by})
            CREATE (u)-[:LOGGED]->(i:Interaction)
            SET i = $props, i.uid = $uid, i.created_at = datetime(),
                i.updated_at = datetime(), i.version = 1, i.logger_uid = u.uid
            WITH i
            """
            + _LINK_PARTICIPANTS
            + """
            CALL (i) {
                UNWIND $follow_ups AS follow_up
                MATCH (a:User {uid: follow_up.assignee})
                CREATE (f:FollowUp)-[:ABOUT]->(i)
                SET f.uid = follow_up.uid, f.what = follow_up.what, f.due = follow_up.due,
                    f.created_at = datetime(), f.updated_at = datetime()
                CREATE (f)-[:ASSIGNED_TO]->(a)
                RETURN count(f) AS follow_ups
            }
            CALL (i) {
                MATCH (c:Commune {code: $commune_code})
                CREATE (i)-[:HELD_IN]->(c)
                RETURN count(c) AS places
            }
            RETURN people, organisations, follow_ups, places
            """,
            uid=uid,
            props=props,
            logged_by=logged_by,
            person_uids=person_uids,
            organisation_uids=organisation_uids,
            follow_ups=follow_ups,
            commune_code=commune_code,
        )
        expected = {
            "people": len(person_uids),
            "organisations": len(organisation_uids),
            "follow_ups": len(follow_ups),
            "places": 1 if commune_code else 0,
        }
        if not created or created[0] != expected:
            raise MissingRecord(uid)  # leaving the block rolls everything back
        last_contact.refresh(person_uids, organisation_uids)


def get_interaction(uid: str, scope: dict) -> dict | None:
    """One interaction with its visible participants and its follow-ups, if visible;
    ``editable`` says whether the scope may change it (``interaction_editable``)."""
    rows = run(
        "MATCH (i:Interaction {uid: $uid}) WHERE "
        + interaction_visible("i")
        + _PARTICIPANTS
        + _FOLLOW_UPS
        + "RETURN "
        + _INTERACTION_FIELDS
        + ", follow_ups, "
        + interaction_editable("i")
        + " AS editable",
        uid=uid,
        **scope,
    )
    return rows[0] if rows else None


def edit_access(uid: str, scope: dict) -> dict:
    """``{exists, visible, editable, interaction}`` in one round trip; ``interaction`` (when
    visible) holds its properties, ``place`` (``{code, name_fr, province}``), ``follow_ups``
    (how many), and its ``people`` and ``organisations`` as their form labels need them
    (``_LABEL_FIELDS``)."""
    rows = run(
        """
        OPTIONAL MATCH (i:Interaction {uid: $uid})
        WITH i, CASE WHEN i IS NULL THEN false ELSE """
        + interaction_visible("i")
        + """ END AS visible
        RETURN i IS NOT NULL AS exists, visible,
               visible AND """
        + interaction_editable("i")
        + """ AS editable,
               CASE WHEN visible THEN i {
                   .*, status: coalesce(i.status, 'held'),
                   follow_ups: COUNT { (:FollowUp)-[:ABOUT]->(i) },
                   place: head([(i)-[:HELD_IN]->(c:Commune)-[:IN]->(p:Province) |
                                {code: c.code, name_fr: c.name_fr, province: p.name_fr}]),
                   people: [(i)-[:WITH]->(x:Person) WHERE """
        + person_visible("x")
        + " | "
        + _LABEL_FIELDS["person"]
        + """],
                   organisations: [(i)-[:WITH]->(x:Organisation) WHERE """
        + organisation_visible("x")
        + " | "
        + _LABEL_FIELDS["organisation"]
        + """]
               } END AS interaction
        """,
        uid=uid,
        **scope,
    )
    return rows[0]


def update_interaction(
    uid: str,
    expected_version: int,
    props: dict,
    person_uids: list[str],
    organisation_uids: list[str],
    commune_code: str | None,
) -> tuple[int, dict] | None:
    """Set ``props`` and replace the participants and the place, if the interaction is still
    at ``expected_version`` (else ``StaleVersion``); None if it is gone.

    Must run inside a write transaction. Returns ``(new_version, before)``: ``before`` holds
    the properties, ``people``, ``organisations`` (sorted uids) and ``commune`` as they were.
    Raises ``MissingRecord`` if a participant or the commune does not exist.
    """
    result = update_versioned("Interaction", uid, expected_version, props)
    if result is None:
        return None
    version, before = result
    rows = run(
        """
        MATCH (i:Interaction {uid: $uid})
        CALL (i) {
            OPTIONAL MATCH (i)-[w:WITH]->(x)
            WITH w, x ORDER BY x.uid
            WITH collect(x) AS old, collect(w) AS links
            FOREACH (link IN links | DELETE link)
            RETURN [y IN old WHERE y:Person | y.uid] AS old_people,
                   [y IN old WHERE y:Organisation | y.uid] AS old_organisations
        }
        CALL (i) {
            OPTIONAL MATCH (i)-[h:HELD_IN]->(c:Commune)
            WITH collect(c.code) AS codes, collect(h) AS links
            FOREACH (link IN links | DELETE link)
            RETURN head(codes) AS old_commune
        }
        """
        + _LINK_PARTICIPANTS
        + """
        CALL (i) {
            MATCH (c:Commune {code: $commune_code})
            CREATE (i)-[:HELD_IN]->(c)
            RETURN count(c) AS places
        }
        RETURN old_people, old_organisations, old_commune, people, organisations, places
        """,
        uid=uid,
        person_uids=person_uids,
        organisation_uids=organisation_uids,
        commune_code=commune_code,
    )
    row = rows[0]
    expected = (len(person_uids), len(organisation_uids), 1 if commune_code else 0)
    if (row["people"], row["organisations"], row["places"]) != expected:
        raise MissingRecord(uid)  # the caller's transaction rolls back
    last_contact.refresh(  # its former participants and its new ones, at its new date
        sorted({*row["old_people"], *person_uids}),
        sorted({*row["old_organisations"], *organisation_uids}),
    )
    return version, {
        **before,
        "people": row["old_people"],
        "organisations": row["old_organisations"],
        "commune": row["old_commune"],
    }


def set_status(uid: str, expected_version: int, props: dict) -> tuple[int, dict] | None:
    """A versioned change of ``status`` (and the date and summary a "held" mark sets)."""
    result = update_versioned("Interaction", uid, expected_version, props)
    if result is not None:
        last_contact.refresh_participants(uid)
    return result


def delete_interaction(uid: str, expected_version: int) -> dict | None:
    """Delete the interaction and its follow-ups if it is still at ``expected_version``
    (else ``StaleVersion``); None if it is gone.

    Must run inside a write transaction. Returns what was deleted, for the audit trail:
    ``before`` (properties), ``people``, ``organisations``, ``commune`` and ``follow_ups``
    (``{uid, what, due, done, assignee}``).
    """
    locked = run(
        "MATCH (i:Interaction {uid: $uid}) SET i._lock = true REMOVE i._lock "
        "RETURN i.version AS version, properties(i) AS props",
        uid=uid,
    )
    if not locked:
        return None
    if locked[0]["version"] != expected_version:
        raise StaleVersion(locked[0]["props"])
    row = run(
        """
        MATCH (i:Interaction {uid: $uid})
        CALL (i) {
            OPTIONAL MATCH (i)-[:WITH]->(x)
            WITH x ORDER BY x.uid
            RETURN [y IN collect(x) WHERE y:Person | y.uid] AS people,
                   [y IN collect(x) WHERE y:Organisation | y.uid] AS organisations
        }
        CALL (i) {
            OPTIONAL MATCH (f:FollowUp)-[:ABOUT]->(i)
            OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(a:User)
            WITH f, a ORDER BY f.due, f.created_at
            RETURN collect(f) AS nodes,
                   collect(CASE WHEN f IS NULL THEN NULL ELSE
                       {uid: f.uid, what: f.what, due: f.due, done: f.done_at IS NOT NULL,
                        assignee: a.uid} END) AS follow_ups
        }
        OPTIONAL MATCH (i)-[:HELD_IN]->(c:Commune)
        WITH i, people, organisations, nodes, follow_ups, c.code AS commune
        FOREACH (f IN nodes | DETACH DELETE f)
        DETACH DELETE i
        RETURN people, organisations, follow_ups, commune
        """,
        uid=uid,
    )[0]
    last_contact.refresh(row["people"], row["organisations"])
    return {"before": locked[0]["props"], **row}


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


# Interactions are opened from people and organisations only.
_FORM_START = {code: _form_start_query(code) for code in _LABEL_FIELDS}


def form_start(kind: str | None, uid: str | None, scope: dict) -> dict:
    """In one round trip: the accounts a follow-up can be given to (``assignees``) and, when
    the form is opened from a record, whether it ``exists``, is ``visible``, and what its
    label needs (``record``)."""
    if kind is None:
        rows = run(_ASSIGNEES + "RETURN assignees", roles=list(ASSIGNABLE_ROLES))
        return {"assignees": rows[0]["assignees"], "exists": False, "visible": False,
                "record": None}  # fmt: skip
    return run(_FORM_START[kind], uid=uid, roles=list(ASSIGNABLE_ROLES), **scope)[0]


# --- follow-ups: who may be given one ------------------------------------------------------


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


# --- who logged an interaction, on the interaction ---------------------------------------------
#
# ``Interaction.logger_uid`` repeats the uid of the user at the start of its ``LOGGED``
# relationship (written with it, never changed: nothing moves an interaction to another
# logger), so that a user's planned interactions are one seek of the composite index below
# instead of a walk over everything they ever logged (13,536 interactions for the Oriental
# officer at national scale, to find 1,119 planned ones).

LOGGER_INDEX = "interaction_logger_status"


def install_logger_index() -> None:
    """The composite index of (logger, status) the follow-ups page reads planned ones from."""
    run(
        "CREATE INDEX " + LOGGER_INDEX + " IF NOT EXISTS "
        "FOR (i:Interaction) ON (i.logger_uid, i.status)"
    )


def backfill_logger_uids(batch: int = 10000) -> int:
    """Write ``logger_uid`` on every interaction that has a logger and never had it, in
    transactions of ``batch``; returns how many were written."""
    total = 0
    while True:
        done = run(
            "MATCH (u:User)-[:LOGGED]->(i:Interaction) WHERE i.logger_uid IS NULL "
            "WITH u, i LIMIT $batch SET i.logger_uid = u.uid RETURN count(i) AS n",
            batch=batch,
        )[0]["n"]
        total += done
        if done < batch:
            return total


def loggers_out_of_date(limit: int = 20) -> list[dict]:
    """Interactions whose ``logger_uid`` is not the uid of the user who logged them (at most
    ``limit``): ``{uid, stored, logger}``."""
    return run(
        """
        MATCH (i:Interaction)
        OPTIONAL MATCH (u:User)-[:LOGGED]->(i)
        WITH i, u WHERE coalesce(i.logger_uid, '') <> coalesce(u.uid, '')
        RETURN i.uid AS uid, i.logger_uid AS stored, u.uid AS logger
        LIMIT $limit
        """,
        limit=limit,
    )
