"""The batch path that brings records in: a spreadsheet import's commit (``crm.imports``) and
the generator (``seeds.generator``) write people, organisations and their functions with the
same statements, ``BATCH`` rows per UNWIND, sent by the same background sender.

Rows
    records ``{uid, commune, props}``: ``props`` become the node's properties; its
        ``created_at``, ``updated_at`` and ``version`` are kept when given (generated
        history), else the write's ``now`` and version 1. ``commune`` (HCP code or None)
        places the record.
    functions ``{person, organisation, props, existing}``: ``props`` become the
        ``AFFILIATED_WITH`` relationship's, with their own ``uid`` and ``created_at`` when
        given; ``existing`` (the person was there before the write) moves the person's
        version, as a function added by hand does.

    events ``{commune, organisers, props}``: ``props`` (with ``uid`` and the history:
        ``created_at``, ``updated_at``, ``version``) become the event's; it is held in
        ``commune`` and organised by the organisations of ``organisers`` (uids).
    attendance ``{person, event, props}`` and partnerships ``{first, second, props}``:
        ``props`` (with ``uid`` and dates) become the relationship's.

Events, attendance and partnerships are written by the generator and the demo loader
(``graph.bulk``); the app's own forms write them one at a time (``graph.events``,
``graph.partnerships``).

An import links what it writes to its ``Import`` record (``import_uid``: ``CREATED`` links
and ``import_uid`` on functions, for the undo); generated records carry the extra label
``Generated`` (``generated=True``), by which they are removed.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Generic, TypeVar

from graph import scope_keys
from graph.database import run

__all__ = [
    "BATCH",
    "RECORD_LABELS",
    "Sender",
    "add_attendance",
    "add_functions",
    "add_partnerships",
    "create_events",
    "create_records",
]

BATCH = 1000  # rows per statement

RECORD_LABELS = ("Person", "Organisation")
_GENERATED = "Generated"  # graph.bulk.GENERATED


def _create_statement(label: str, linked: bool, generated: bool) -> str:
    if label not in RECORD_LABELS:
        raise ValueError(f"not a record label: {label!r}")
    labels = label + (":" + _GENERATED if generated else "")
    return (
        ("MATCH (i:Import {uid: $import}) " if linked else "")
        + "UNWIND $rows AS row CREATE (n:" + labels + ") "
        "SET n = row.props, n.uid = row.uid, "
        "n.created_at = coalesce(row.props.created_at, $now), "
        "n.updated_at = coalesce(row.props.updated_at, row.props.created_at, $now), "
        "n.version = coalesce(row.props.version, 1) "
        # A person's words of graph.scope_keys: their commune's code (functions append theirs;
        # callers give existing communes only).
        + (", n.scope_key = coalesce(row.commune, '') " if label == "Person" else "")
        + ("CREATE (i)-[:CREATED]->(n) " if linked else "")
        + "WITH n, row WHERE row.commune IS NOT NULL "
        "MATCH (c:Commune {code: row.commune}) "
        "CREATE (n)-[:LOCATED_IN]->(c)"
    )  # fmt: skip


# (label, linked to an import, generated) -> statement
_CREATE = {
    (label, linked, generated): _create_statement(label, linked, generated)
    for label in RECORD_LABELS
    for linked in (False, True)
    for generated in (False, True)
}


def create_records(
    label: str,
    rows: list[dict],
    now: datetime | None,
    *,
    import_uid: str | None = None,
    generated: bool = False,
) -> None:
    """Create people or organisations (``label``), one statement for ``rows``."""
    statement = _CREATE.get((label, import_uid is not None, generated))
    if statement is None:
        raise ValueError(f"not a record label: {label!r}")
    run(statement, rows=rows, now=now, **{"import": import_uid})


_FUNCTIONS = (
    """
UNWIND $rows AS row
MATCH (p:Person {uid: row.person}), (o:Organisation {uid: row.organisation})
WITH p, o, row WHERE NOT $skip_held OR NOT EXISTS {
    MATCH (p)-[a:AFFILIATED_WITH]->(o) WHERE a.role = row.props.role AND a.until IS NULL
}
CREATE (p)-[a:AFFILIATED_WITH]->(o)
SET a = row.props, a.uid = coalesce(row.props.uid, randomUUID()),
    a.created_at = coalesce(row.props.created_at, $now), a.import_uid = $import
FOREACH (_ IN CASE WHEN row.existing THEN [1] ELSE [] END |
    SET p.updated_at = $now, p.version = p.version + 1)
"""
    + scope_keys.append_organisation_words("p", "o")
    + """
RETURN count(a) AS n
"""
)


def add_functions(
    rows: list[dict],
    now: datetime | None,
    *,
    import_uid: str | None = None,
    skip_held: bool = True,
) -> int:
    """Add functions (``AFFILIATED_WITH``); with ``skip_held`` one the person already holds
    (same role at the same organisation, still open) is not added twice. Returns how many
    were added."""
    found = run(_FUNCTIONS, rows=rows, now=now, skip_held=skip_held, **{"import": import_uid})
    return found[0]["n"] if found else 0


def _events_statement(generated: bool) -> str:
    labels = "Event" + (":" + _GENERATED if generated else "")
    return (
        "UNWIND $rows AS row "
        "MATCH (c:Commune {code: row.commune}) "
        "CREATE (e:" + labels + ")-[:HELD_IN]->(c) "
        "SET e = row.props "
        "WITH e, row "
        "CALL (e, row) { "
        "  UNWIND row.organisers AS organiser "
        "  MATCH (o:Organisation {uid: organiser}) "
        "  CREATE (o)-[:ORGANISED]->(e) "
        "}"
    )  # fmt: skip


_EVENTS = {generated: _events_statement(generated) for generated in (False, True)}


def create_events(rows: list[dict], *, generated: bool = False) -> None:
    """Create events, each held in its commune and organised by its organisers."""
    run(_EVENTS[bool(generated)], rows=rows)


_ATTENDANCE = """
UNWIND $rows AS row
MATCH (p:Person {uid: row.person}), (e:Event {uid: row.event})
CREATE (p)-[a:ATTENDED]->(e)
SET a = row.props
"""


def add_attendance(rows: list[dict]) -> None:
    """Add people's attendance of events (``ATTENDED``)."""
    run(_ATTENDANCE, rows=rows)


_PARTNERSHIPS = """
UNWIND $rows AS row
MATCH (a:Organisation {uid: row.first}), (b:Organisation {uid: row.second})
CREATE (a)-[r:PARTNERS_WITH]->(b)
SET r = row.props
"""


def add_partnerships(rows: list[dict]) -> None:
    """Add partnerships between two organisations (``PARTNERS_WITH``)."""
    run(_PARTNERSHIPS, rows=rows)


T = TypeVar("T")


class Sender(Generic[T]):
    """Sends batches from a thread of its own while the caller prepares the next ones (its
    Python work and Neo4j's writes overlap), in the caller's context: inside a unit of work,
    the same transaction, used by one thread at a time (the sender, until it is done).

    ``work(batch)`` writes one batch; at most ``depth`` batches wait. The first error stops
    the writing: the batches after it are dropped, and the error is raised to the caller by
    the next ``send`` or on leaving the ``with`` block.
    """

    def __init__(self, work: Callable[[T], None], depth: int = 2) -> None:
        self.work = work
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        context = contextvars.copy_context()
        self.thread = threading.Thread(target=context.run, args=(self._run,), daemon=True)

    def __enter__(self) -> Sender[T]:
        self.thread.start()
        return self

    def send(self, batch: T) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((batch,))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.queue.put(None)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the caller raises the error
            try:
                self.work(item[0])
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                self.error = error
