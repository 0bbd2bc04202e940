"""The last held interaction of each person and organisation, kept on the record itself.

``last_contact`` (date of its latest held interaction; absent when none) and
``held_interactions`` (how many held interactions it is ``WITH``; absent when it has never
had an interaction) are derived data: every write of interactions updates them in its own
transaction — a new, edited, re-dated, cancelled or deleted interaction, its participants
changed, a merge — so that "losing touch" (``ties_past_cadence``, below) and the
home page read one property per record instead of aggregating every interaction of the
scope (about 3 s nationally after each write, measured). Like search keys they change
neither ``version`` nor ``updated_at``: nobody's edit in progress becomes stale.

A held interaction is one whose ``status`` is "held" or missing (interactions logged before
statuses existed). ``backfill`` computes both for records that never had them (a database
from before this field, a restored backup of one); ``out_of_date`` lists records whose
stored values differ from their interactions (tests, checks).
"""

from __future__ import annotations

from datetime import date, timedelta

from graph.database import run
from graph.scope import organisations_writable_in_scope, people_writable_in_scope

__all__ = [
    "GENERATED_INCREMENT",
    "backfill",
    "install_index",
    "out_of_date",
    "refresh",
    "refresh_participants",
    "ties_past_cadence",
]

# For each record ``n``: its latest held interaction's date and how many there are.
_COMPUTED = """
    CALL (n) {
        OPTIONAL MATCH (i:Interaction)-[:WITH]->(n)
        WHERE coalesce(i.status, 'held') = 'held'
        RETURN max(i.date) AS last, count(i) AS held
    }
"""
_SET = "SET n.last_contact = last, n.held_interactions = held "


def refresh(person_uids: list[str], organisation_uids: list[str]) -> None:
    """Compute both values again for these people and organisations (in the caller's
    transaction)."""
    if not person_uids and not organisation_uids:
        return
    run(
        """
        CALL () {
            UNWIND $people AS uid MATCH (n:Person {uid: uid}) RETURN n
            UNION
            UNWIND $organisations AS uid MATCH (n:Organisation {uid: uid}) RETURN n
        }
        """
        + _COMPUTED
        + _SET,
        people=list(person_uids),
        organisations=list(organisation_uids),
    )


def refresh_participants(interaction_uid: str) -> None:
    """Compute both values again for everyone the interaction is ``WITH`` (after its status
    or date changed)."""
    run(
        "MATCH (:Interaction {uid: $uid})-[:WITH]->(n) WHERE n:Person OR n:Organisation "
        "WITH DISTINCT n " + _COMPUTED + _SET,
        uid=interaction_uid,
    )


# Appended to a statement that has just created interaction ``i`` WITH ``p`` (one row per
# participant): counts it in, without reading the participant's other interactions (the
# generator writes millions of new interactions; a new one can only move the date forward).
GENERATED_INCREMENT = """
    FOREACH (_ IN CASE WHEN coalesce(i.status, 'held') = 'held' THEN [1] ELSE [] END |
        SET p.held_interactions = coalesce(p.held_interactions, 0) + 1,
            p.last_contact = CASE WHEN p.last_contact IS NULL OR i.date > p.last_contact
                                  THEN i.date ELSE p.last_contact END)
    FOREACH (_ IN CASE WHEN coalesce(i.status, 'held') = 'held' THEN [] ELSE [1] END |
        SET p.held_interactions = coalesce(p.held_interactions, 0))
"""


def backfill(batch: int = 5000) -> int:
    """Compute both values for every record that has interactions and never had them, in
    transactions of ``batch`` records; returns how many were computed."""
    total = 0
    for label in ("Person", "Organisation"):
        while True:
            done = run(
                "MATCH (n:" + label + ") WHERE n.held_interactions IS NULL "
                "AND EXISTS { (n)<-[:WITH]-(:Interaction) } "
                "WITH n LIMIT $batch " + _COMPUTED + _SET + "RETURN count(n) AS n",
                batch=batch,
            )[0]["n"]
            total += done
            if done < batch:
                break
    return total


def out_of_date(limit: int = 20) -> list[dict]:
    """Records whose stored values are not those of their interactions (at most ``limit``):
    ``{uid, stored, computed}``, each a ``[last_contact, held_interactions]`` pair."""
    return run(
        """
        MATCH (n) WHERE (n:Person OR n:Organisation)
          AND (n.held_interactions IS NOT NULL OR EXISTS { (n)<-[:WITH]-(:Interaction) })
        """
        + _COMPUTED
        + """
        WITH n, last, held WHERE n.held_interactions IS NULL OR n.held_interactions <> held
             OR coalesce(n.last_contact, date('0001-01-01')) <> coalesce(last, date('0001-01-01'))
        RETURN n.uid AS uid, [n.last_contact, n.held_interactions] AS stored,
               [last, held] AS computed
        LIMIT $limit
        """,
        limit=limit,
    )


# --- losing touch ----------------------------------------------------------------------------

_INDEX = "organisation_kind_last_contact"
PERSON = "person"  # the cadence of people; the other keys are organisation kinds


def install_index() -> None:
    """The composite index the national list reads each organisation kind from, oldest
    contact first (``Person.last_contact`` has its own, from the model)."""
    run(
        "CREATE INDEX " + _INDEX + " IF NOT EXISTS FOR (o:Organisation) ON (o.kind, o.last_contact)"
    )


def ties_past_cadence(
    actor_uid: str,
    cadences: dict[str, int],
    default_cadence: int,
    today: date,
    skip: int,
    limit: int,
    scope: dict,
) -> tuple[list[dict], int]:
    """The actor's ties whose last interaction is older than their cadence, most overdue
    first (then by name, then uid): ``(rows, total)``.

    Only held interactions count (a planned or cancelled one keeps no tie alive): their
    latest date and number are the stored ``last_contact`` and ``held_interactions``. A tie
    is a person or organisation with at least one held interaction that is either in the
    actor's own territory (writable: visible without the shared-institution clause), or
    visible and one the actor logged an interaction with. ``cadences`` maps "person" and
    organisation kinds to a number of days; a kind it does not name has ``default_cadence``.

    A national scope holds every record with a last contact: each kind's ties past their
    cadence are read from an index in order of last contact (the oldest first is the most
    overdue within a kind), only the first ``skip + limit`` of each, and counted from the
    index — nothing sorts the country's 150,000 overdue ties for one page. A territorial
    scope walks its writable records once, from its communes, with the few records of the
    shared institutions the actor logged with, and counts and pages that one pass.
    """
    person_cadence = cadences.get(PERSON, default_cadence)
    kinds = [
        {"kind": kind, "cadence": days, "cutoff": today - timedelta(days=days)}
        for kind, days in sorted(cadences.items())
        if kind != PERSON
    ]
    found = run(
        _NATIONAL if scope["scope_national"] else _TERRITORIAL,
        actor_uid=actor_uid,
        today=today,
        person_cadence=person_cadence,
        person_cutoff=today - timedelta(days=person_cadence),
        kinds=kinds,
        cadences={row["kind"]: row["cadence"] for row in kinds},
        known_kinds=[row["kind"] for row in kinds],
        default_cadence=default_cadence,
        default_cutoff=today - timedelta(days=default_cadence),
        skip=skip,
        limit=limit,
        top=skip + limit,
        **scope,
    )[0]
    return found["rows"], found["total"]


_PERSON_NAME = "{v}.first_name + ' ' + toUpper({v}.last_name)"
# Every branch returns the tie ``n`` and these columns; ``_ORDERED`` keeps the ties past
# their cadence, most overdue first, as maps ``t``; ``_ROW`` is what a row of the list holds.
_ORDERED = """
    WITH n, record, kind, cadence, sort_name,
         duration.inDays(n.last_contact, $today).days AS days_since
    WITH *, days_since - cadence AS overdue
    ORDER BY overdue DESC, sort_name, n.uid
"""
_TIE = (
    "{n: n, record: record, kind: kind, cadence: cadence, days_since: days_since, overdue: overdue}"
)
_ROW = (
    "{record: t.record, kind: t.kind, uid: n.uid, "
    "name: CASE t.record WHEN 'person' THEN " + _PERSON_NAME.format(v="n") + " ELSE n.name END, "
    "commune: head([(n)-[:LOCATED_IN]->(c:Commune) | c.name_fr]), last: n.last_contact, "
    "interactions: n.held_interactions, days_since: t.days_since, cadence: t.cadence, "
    "overdue: t.overdue}"
)
# The rows of the ties of ``page``, a list of ``_TIE`` maps (empty when it is).
_ROWS = "CALL (page) { UNWIND page AS t WITH t, t.n AS n RETURN collect(" + _ROW + ") AS rows } "

# National: every record with a last contact is a tie. Per branch (people; each known
# organisation kind; organisations of any other kind), the ties past their cadence are an
# index range below a cut-off date; the first ``$top`` of each, oldest first, hold the page.
_NATIONAL = (
    """
    CALL () {
        MATCH (p:Person) WHERE p.last_contact < $person_cutoff RETURN count(p) AS n
        UNION ALL
        UNWIND $kinds AS k
        CALL (k) {
            MATCH (o:Organisation) WHERE o.kind = k.kind AND o.last_contact < k.cutoff
            RETURN count(o) AS n
        }
        RETURN n
        UNION ALL
        MATCH (o:Organisation)
        WHERE o.last_contact < $default_cutoff AND NOT coalesce(o.kind, '') IN $known_kinds
        RETURN count(o) AS n
    }
    WITH sum(n) AS total
    CALL () {
        CALL () {
            MATCH (p:Person) WHERE p.last_contact < $person_cutoff
            WITH p, toLower("""
    + _PERSON_NAME.format(v="p")
    + """) AS sort_name
            ORDER BY p.last_contact, sort_name, p.uid LIMIT $top
            RETURN p AS n, 'person' AS record, 'person' AS kind, $person_cadence AS cadence,
                   sort_name
            UNION ALL
            UNWIND $kinds AS k
            CALL (k) {
                MATCH (o:Organisation) WHERE o.kind = k.kind AND o.last_contact < k.cutoff
                WITH o, toLower(o.name) AS sort_name
                // o.kind is one value here; named, it lets the planner read the composite
                // index in order (a partial top of a few rows, not every tie of the kind).
                ORDER BY o.kind, o.last_contact, sort_name, o.uid LIMIT $top
                RETURN o, sort_name
            }
            RETURN o AS n, 'organisation' AS record, k.kind AS kind, k.cadence AS cadence,
                   sort_name
            UNION ALL
            MATCH (o:Organisation)
            WHERE o.last_contact < $default_cutoff AND NOT coalesce(o.kind, '') IN $known_kinds
            WITH o, toLower(o.name) AS sort_name
            ORDER BY o.last_contact, sort_name, o.uid LIMIT $top
            RETURN o AS n, 'organisation' AS record, o.kind AS kind,
                   $default_cadence AS cadence, sort_name
        }
        """
    + _ORDERED
    + "SKIP $skip LIMIT $limit WITH collect("
    + _TIE
    + ") AS page "
    + _ROWS
    + """RETURN rows
    }
    RETURN total, rows
    """
)


def _logged_by_actor(var: str) -> str:
    return (
        "EXISTS { MATCH ("
        + var
        + ")<-[:WITH]-(:Interaction)<-[:LOGGED]-(:User {uid: $actor_uid}) }"
    )


# Territorial: one walk of the scope's records, counted and paged from the same ordered list.
# A tie is writable, or visible and logged by the actor; a visible record that is not
# writable is a shared institution or one of its people (``graph.scope``), so the ties are
# the scope's writable records and, of those few, the ones the actor logged with.
_TERRITORIAL = (
    "CALL () { "
    "CALL () { " + people_writable_in_scope("p") + "RETURN p "
    "UNION "
    # From the shared institutions (a few dozen): the planner would rather test every
    # person of the country with a last contact.
    "MATCH (so:Organisation) WHERE so.shared = true "
    "CALL (so) { MATCH (p:Person)-[:AFFILIATED_WITH]->(so) RETURN p } "
    "WITH DISTINCT p WHERE p.last_contact < $person_cutoff AND " + _logged_by_actor("p") + " "
    "RETURN p "
    "} "
    "WITH p WHERE p.last_contact < $person_cutoff "
    "RETURN p AS n, 'person' AS record, 'person' AS kind, $person_cadence AS cadence, "
    "toLower(" + _PERSON_NAME.format(v="p") + ") AS sort_name "
    "UNION ALL "
    "CALL () { " + organisations_writable_in_scope("o") + "RETURN o "
    "UNION "
    "MATCH (o:Organisation {shared: true}) WHERE o.last_contact IS NOT NULL AND "
    + _logged_by_actor("o")
    + " RETURN o "
    "} "
    "WITH o, coalesce($cadences[o.kind], $default_cadence) AS cadence "
    "WHERE duration.inDays(o.last_contact, $today).days > cadence "
    "RETURN o AS n, 'organisation' AS record, o.kind AS kind, cadence, "
    "toLower(o.name) AS sort_name "
    "} "
    + _ORDERED
    + "WITH collect("
    + _TIE
    + ") AS ties WITH size(ties) AS total, ties[$skip..$skip + $limit] AS page "
    + _ROWS
    + "RETURN total, rows"
)
