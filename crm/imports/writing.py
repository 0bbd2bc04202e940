"""The commit of an import: each row's decisions resolved to records, written in batches
(UNWIND) inside the caller's one transaction as the rows are planned, with the ``Import``
record and its audit entry."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from crm import audit
from crm.access import Actor
from crm.clock import now
from crm.errors import Invalid
from crm.imports.plan import Part, RowPlan
from graph import batches
from graph import imports as store

__all__ = ["write_import"]

PARTS = ("person", "organisation")


@dataclass
class _Writes:
    """What a batch of rows writes."""

    new: dict[str, list[dict]] = field(default_factory=lambda: {p: [] for p in PARTS})
    linked: dict[str, list[str]] = field(default_factory=lambda: {p: [] for p in PARTS})
    functions: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)


def write_import(
    actor: Actor,
    analysis,
    plans: Iterator[RowPlan],
    decisions: dict[str, str],
    undecided: str,
    progress: Callable[[int, int], None] | None,
) -> str:
    """Resolve and write the rows as they are planned, in the caller's transaction.

    The statements of a batch are sent by a second thread (``graph.batches.Sender``, the
    generator's path too) while this one plans the next rows (Python's checks and Neo4j's
    writes overlap); the transaction is only ever used by one thread at a time.
    ``analysis.plans`` receives every row's plan, for the report's rejected rows.
    """
    draft = analysis.draft
    kind = draft["kind"]
    import_uid = uuid.uuid4().hex
    stamp = now()
    store.create_import(
        import_uid,
        {
            "kind": kind,
            "filename": draft["filename"],
            "by_uid": actor.uid,
            "by_email": actor.email,
            "status": "done",
            "event_uid": draft.get("event_uid"),
            "draft_uid": draft["uid"],
        },
    )
    resolver = _Resolver(kind, decisions, undecided)
    expected = -(-int(draft.get("row_count") or 1) // batches.BATCH) + 1
    writer = _Writer(actor, import_uid, draft.get("event_uid"), stamp, resolver.counts,
                     progress, expected)  # fmt: skip
    with writer:
        for plan in plans:
            analysis.plans.append(plan)
            resolver.add(plan)
            if resolver.pending >= batches.BATCH:
                writer.send(resolver.take())
        writer.send(resolver.take())
    counts = resolver.counts
    counts["rejected"] = len(analysis.rejected)
    counts["rows"] = len(analysis.plans)
    store.finish_import(
        import_uid,
        {"counts": json.dumps(counts), "rows": counts["rows"], "rejected": counts["rejected"]},
    )
    audit.record(
        actor,
        "create",
        target_kind="import",
        target_uid=import_uid,
        summary=summary(kind, counts),
        details={"kind": kind, "counts": counts, "event": draft.get("event_uid")},
    )
    return import_uid


class _Writer(batches.Sender):
    """Sends each batch's statements (``graph.batches.Sender``) in the caller's transaction:
    checked writable, written, progress reported."""

    def __init__(self, actor, import_uid, event_uid, stamp, counts, progress, expected) -> None:
        super().__init__(self._write_batch)
        self.actor, self.import_uid, self.event_uid, self.stamp = (
            actor, import_uid, event_uid, stamp)  # fmt: skip
        self.counts, self.progress, self.expected = counts, progress, expected
        self.done = 0

    def _write_batch(self, writes: _Writes) -> None:
        _check_writable(self.actor, writes)
        _write(self.import_uid, writes, self.event_uid, self.stamp, self.counts)
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.expected), self.expected)


def summary(kind: str, counts: dict[str, int]) -> str:
    """ "Import : 12 créations, 3 liaisons, 2 lignes ignorées, 1 refusée" (no names)."""
    created = counts.get("person_created", 0) + counts.get("organisation_created", 0)
    linked = counts.get("person_linked", 0) + counts.get("organisation_linked", 0)
    return (
        f"Import ({kind}) : {created} fiche(s) créée(s), {linked} liée(s), "
        f"{counts.get('skipped', 0)} ligne(s) ignorée(s), {counts.get('rejected', 0)} refusée(s)"
    )


class _Uids:
    """Random (version 4) UUIDs as hex, like ``uuid.uuid4().hex``, drawn from the system's
    random source a thousand at a time rather than one system call per record."""

    AT_ONCE = 1000

    def __init__(self) -> None:
        self.pool: list[str] = []

    def new(self) -> str:
        if not self.pool:
            entropy = os.urandom(16 * self.AT_ONCE)
            self.pool = [
                uuid.UUID(bytes=entropy[i : i + 16], version=4).hex
                for i in range(0, len(entropy), 16)
            ]
        return self.pool.pop()


class _Resolver:
    """Each row's records: a new uid, an existing uid, or nothing (skipped), gathered into
    batches to write."""

    def __init__(self, kind: str, decisions: dict, undecided: str) -> None:
        self.kind, self.decisions, self.undecided = kind, decisions, undecided
        self.targets: dict[str, dict[int, tuple[str, bool] | None]] = {p: {} for p in PARTS}
        self.attending: set[str] = set()
        self.linked: dict[str, set[str]] = {p: set() for p in PARTS}
        self.counts: dict[str, int] = {}
        self.writes = _Writes()
        self.pending = 0
        self.uids = _Uids()

    def take(self) -> _Writes:
        writes, self.writes, self.pending = self.writes, _Writes(), 0
        return writes

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def add(self, plan: RowPlan) -> None:
        if not plan.ok:
            return
        self.pending += 1
        resolved = {}
        for part in PARTS:
            found: Part | None = getattr(plan, part)
            if found is None:
                continue
            action = _decided(plan, part, found, self.decisions, self.undecided)
            resolved[part] = self._target(plan, part, action)
            self.targets[part][plan.number] = resolved[part]
        primary = "organisation" if self.kind == "organisations" else "person"
        if resolved.get(primary) is None:
            self.count("skipped")
            return
        if self.kind == "affiliations":
            if resolved.get("organisation") is None:
                self.count("skipped")
                return
            person_uid, person_existing = resolved["person"]
            self.writes.functions.append({
                "person": person_uid, "organisation": resolved["organisation"][0],
                "props": plan.check.link, "existing": person_existing,
            })  # fmt: skip
        if self.kind == "attendance":
            person_uid = resolved["person"][0]
            if person_uid in self.attending:
                self.count("duplicate_attendance")
                return
            self.attending.add(person_uid)
            org = resolved.get("organisation")
            self.writes.attendance.append({
                "person": person_uid,
                "props": {**plan.check.link, "for_organisation": org[0] if org else None},
            })  # fmt: skip

    def _target(self, plan: RowPlan, part: str, action: str) -> tuple[str, bool] | None:
        """``(uid, existed before)`` of the row's ``part``, or None when skipped."""
        if action == "skip":
            self.count(f"{part}_skipped")
            return None
        if action.startswith("link:"):
            uid = action.removeprefix("link:")
            if uid not in self.linked[part]:
                self.count(f"{part}_linked")
                self.linked[part].add(uid)
                self.writes.linked[part].append(uid)
            return uid, True
        if action.startswith("same:"):
            target = self.targets[part].get(int(action.removeprefix("same:")))
            if target is not None:
                self.count(f"{part}_same_as_earlier_row")
                return target
        uid = self.uids.new()
        check = plan.check
        props = check.person if part == "person" else check.organisation
        commune = check.person_commune if part == "person" else check.organisation_commune
        self.writes.new[part].append({"uid": uid, "props": props, "commune": commune})
        self.count(f"{part}_created")
        return uid, False


def _decided(plan: RowPlan, part: str, found: Part, decisions: dict, undecided: str) -> str:
    if found.certain:
        return found.action
    chosen = decisions.get(f"{plan.number}-{part}") or undecided
    allowed = {"create", "skip"} | {"link:" + c.uid for c in found.candidates}
    if found.same_as is not None:
        allowed.add(f"same:{found.same_as}")
    if chosen not in allowed:
        raise Invalid(
            {"": f"Ligne {plan.number} : le choix fait dans l'aperçu n'est plus proposé "
                 "(les fiches ont changé entre-temps). Vérifiez l'aperçu et validez de nouveau."}
        )  # fmt: skip
    return chosen


def _check_writable(actor: Actor, writes: _Writes) -> None:
    """Existing records linked must still be writable by the actor (inside the commit's
    transaction: what the preview saw may have changed)."""
    scope = actor.scope.as_params()
    for part in PARTS:
        wanted = writes.linked[part]
        if not wanted:
            continue
        lost = set(wanted) - store.writable_uids(part, wanted, scope)
        if lost:
            raise Invalid(
                {"": f"{len(lost)} fiche(s) existante(s) choisie(s) dans l'aperçu ne sont plus "
                     "modifiables par vous (supprimées, fusionnées ou hors de votre territoire). "
                     "Vérifiez l'aperçu et validez de nouveau."}
            )  # fmt: skip


def _write(import_uid: str, writes: _Writes, event_uid: str | None, stamp, counts: dict) -> None:
    """One batch's statements, in order: organisations, people, then their ties."""
    for part, label in (("organisation", "Organisation"), ("person", "Person")):
        if writes.new[part]:
            batches.create_records(label, writes.new[part], stamp, import_uid=import_uid)
        if writes.linked[part]:
            store.mark_matched(label, import_uid, writes.linked[part])
    if writes.functions:
        added = batches.add_functions(writes.functions, stamp, import_uid=import_uid)
        counts["functions_added"] = counts.get("functions_added", 0) + added
        counts["functions_present"] = (
            counts.get("functions_present", 0) + len(writes.functions) - added
        )
    if event_uid and writes.attendance:
        added = store.add_attendance(import_uid, event_uid, writes.attendance, stamp)
        counts["attendance_added"] = counts.get("attendance_added", 0) + added
        counts["attendance_present"] = (
            counts.get("attendance_present", 0) + len(writes.attendance) - added
        )
