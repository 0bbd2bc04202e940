"""Bulk loading of generated records (demo and benchmark data), in batches with UNWIND, and
the removal of generated data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from graph import batches, last_contact, versions
from graph.database import atomic, run
from graph.last_contact import GENERATED_INCREMENT

__all__ = [
    "GENERATED",
    "GENERATED_ROWS",
    "data_changed",
    "generated_counts",
    "load_activity",
    "load_generated",
    "load_people_and_organisations",
    "mark_generated_pilots",
    "mark_generated_users",
    "remove_generated",
]


def load_people_and_organisations(organisations: list[dict], people: list[dict]) -> None:
    """Create organisations (with their commune) and people (with commune and one function,
    ``{uid, commune, organisation, role, props}``) by the import's statements
    (``graph.batches``), each batch a transaction."""
    now = datetime.now(UTC)
    for start in range(0, len(organisations), batches.BATCH):
        with atomic():
            part = organisations[start : start + batches.BATCH]
            batches.create_records("Organisation", part, now)
    for start in range(0, len(people), batches.BATCH):
        part = people[start : start + batches.BATCH]
        functions = [
            {"person": p["uid"], "organisation": p["organisation"], "props": {"role": p["role"]}}
            for p in part
        ]
        with atomic():
            batches.create_records("Person", part, now)
            batches.add_functions(functions, now, skip_held=False)


BATCH = 5000


def load_activity(events: list[dict], attendance: list[dict], partnerships: list[dict]) -> None:
    """Create events (``{uid, commune, organiser, props}``: held in their commune, organised
    by ``organiser``), attendance (``{event, person, organisation}``: a participant for that
    organisation) and partnerships (``{first, second, props}``), by the statements of
    ``graph.batches``, each batch a transaction."""
    now = datetime.now(UTC)
    history = {"created_at": now, "updated_at": now}
    written = (
        (batches.create_events, [
            {"commune": e["commune"], "organisers": [e["organiser"]],
             "props": {**e["props"], "uid": e["uid"], **history, "version": 1}}
            for e in events
        ]),
        (batches.add_attendance, [
            {"event": a["event"], "person": a["person"],
             "props": {"uid": str(uuid.uuid4()), "role": "participant",
                       "for_organisation": a["organisation"], "added_at": now}}
            for a in attendance
        ]),
        (batches.add_partnerships, [
            {"first": p["first"], "second": p["second"], "props": {**p["props"], **history}}
            for p in partnerships
        ]),
    )  # fmt: skip
    for write, rows in written:
        for start in range(0, len(rows), BATCH):
            with atomic():
                write(rows[start : start + BATCH])


# --- generated data (``seeds.generator``) ------------------------------------------------------
#
# Every node the generator writes carries the label ``:Generated`` besides its own; its
# relationships go with it when it is removed. Rows come from ``seeds.generator.Chunk``.

GENERATED = "Generated"

# name of a list of rows -> the statement that writes one batch of them (people,
# organisations, functions, events, attendance and partnerships: ``graph.batches``).
_GENERATED_STATEMENTS: dict[str, str] = {
    "part_of": """
        UNWIND $rows AS row
        MATCH (o:Organisation {uid: row.child}), (parent:Organisation {uid: row.parent})
        CREATE (o)-[:PART_OF]->(parent)
        """,
    "interactions": """
        UNWIND $rows AS row
        MATCH (u:User {email: row.logger})
        CREATE (u)-[:LOGGED]->(i:Interaction:Generated)
        SET i = row.props, i.logger_uid = u.uid
        WITH i, row
        CALL (i, row) {
            UNWIND row.people AS person
            MATCH (p:Person {uid: person})
            CREATE (i)-[:WITH]->(p)
            """
    + GENERATED_INCREMENT
    + """
        }
        CALL (i, row) {
            UNWIND row.organisations AS organisation
            MATCH (p:Organisation {uid: organisation})
            CREATE (i)-[:WITH]->(p)
            """
    + GENERATED_INCREMENT
    + """
        }
        CALL (i, row) {
            MATCH (c:Commune {code: row.commune})
            CREATE (i)-[:HELD_IN]->(c)
        }
        """,
    "follow_ups": """
        UNWIND $rows AS row
        MATCH (i:Interaction {uid: row.interaction}), (u:User {email: row.assignee})
        CREATE (f:FollowUp:Generated)-[:ABOUT]->(i)
        SET f = row.props
        CREATE (f)-[:ASSIGNED_TO]->(u)
        """,
}
# The lists of a ``seeds.generator.Chunk``, in the order they are written (a row refers to
# records of the lists before it).
GENERATED_ROWS = (
    "organisations", "part_of", "people", "affiliations", "events", "attendance",
    "interactions", "follow_ups", "partnerships",
)  # fmt: skip


def _writers() -> dict[str, Callable[[list[dict]], object]]:
    """name of a list of rows -> how one batch of it is written: people, organisations,
    functions, events, attendance and partnerships by ``graph.batches`` (people and
    organisations keep their generated history and get the label ``Generated``; generated
    handovers hold a role twice in turn, so every function is written)."""
    return {
        "organisations": partial(batches.create_records, "Organisation", now=None,
                                 generated=True),
        "people": partial(batches.create_records, "Person", now=None, generated=True),
        "affiliations": partial(batches.add_functions, now=None, skip_held=False),
        "events": partial(batches.create_events, generated=True),
        "attendance": batches.add_attendance,
        "partnerships": batches.add_partnerships,
        **{name: partial(run, statement) for name, statement in
           _GENERATED_STATEMENTS.items()},
    }  # fmt: skip


def load_generated(rows: dict[str, list[dict]], batch: int = BATCH) -> None:
    """Write generated rows (keys of ``GENERATED_ROWS``), ``batch`` rows per transaction."""
    writers = _writers()
    for name in GENERATED_ROWS:
        items = rows.get(name) or []
        for start in range(0, len(items), batch):
            writers[name](rows=items[start : start + batch])


def mark_generated_users(uids: list[str]) -> None:
    """Mark the accounts made for generated data, so that removing it removes them."""
    run("MATCH (u:User) WHERE u.uid IN $uids SET u:Generated", uids=uids)


def mark_generated_pilots(rows: list[dict]) -> int:
    """Make the communes of ``rows`` (``{code, since}``) pilot communes, only when no commune
    is one yet (a manager's choice is never overridden); ``pilot_generated`` tells removal
    which to unmark. Returns how many were marked."""
    return run(
        """
        OPTIONAL MATCH (existing:Commune {pilot: true})
        WITH count(existing) AS existing
        UNWIND CASE WHEN existing = 0 THEN $rows ELSE [] END AS row
        MATCH (c:Commune {code: row.code})
        SET c.pilot = true, c.pilot_since = row.since, c.pilot_generated = true
        RETURN count(c) AS n
        """,
        rows=rows,
    )[0]["n"]


def generated_counts() -> dict[str, int]:
    """How many generated nodes there are, per label (empty when there are none)."""
    rows = run(
        """
        MATCH (n:Generated)
        UNWIND labels(n) AS label
        WITH label WHERE label <> 'Generated'
        RETURN label, count(*) AS n ORDER BY label
        """
    )
    return {row["label"]: row["n"] for row in rows}


def remove_generated(batch: int = BATCH) -> dict[str, int]:
    """Delete every generated node with its relationships, ``batch`` nodes per transaction,
    and unmark the pilot communes the generation marked; returns the counts per label."""
    counts = generated_counts()
    # Records that stay but took part in generated interactions: their last contact changes.
    kept = run(
        """
        MATCH (:Interaction:Generated)-[:WITH]->(n) WHERE NOT n:Generated
        WITH DISTINCT n
        RETURN collect(CASE WHEN n:Person THEN n.uid END) AS people,
               collect(CASE WHEN n:Organisation THEN n.uid END) AS organisations
        """
    )[0]
    while run(
        "MATCH (n:Generated) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS n",
        batch=batch,
    )[0]["n"]:
        pass
    run(
        """
        MATCH (c:Commune {pilot_generated: true})
        SET c.pilot = false
        REMOVE c.pilot_since, c.pilot_generated
        """
    )
    last_contact.refresh(kept["people"], kept["organisations"])
    data_changed()
    return counts


def data_changed() -> None:
    """Raise the data's version: cached analyses must not outlive a bulk write."""
    versions.bump()
