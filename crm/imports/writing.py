"""The commit of an import: each row's decisions resolved to records, then written in
batches (UNWIND) inside the caller's one transaction, with the ``Import`` record and its
audit entry."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from crm import audit
from crm.access import Actor
from crm.clock import now
from crm.errors import Invalid
from crm.imports.plan import Part, RowPlan
from graph import imports as store

__all__ = ["write_import"]

PARTS = ("person", "organisation")


@dataclass
class _Writes:
    new: dict[str, list[dict]] = field(default_factory=lambda: {p: [] for p in PARTS})
    linked: dict[str, set[str]] = field(default_factory=lambda: {p: set() for p in PARTS})
    functions: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def write_import(
    actor: Actor,
    analysis,
    decisions: dict[str, str],
    undecided: str,
    progress: Callable[[int, int], None] | None,
) -> str:
    draft = analysis.draft
    kind = draft["kind"]
    writes = _resolve(analysis.plans, kind, decisions, undecided)
    _check_writable(actor, writes)
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
            "rows": len(analysis.plans),
            "rejected": len(analysis.rejected),
        },
    )
    steps = _steps(import_uid, writes, draft.get("event_uid"), stamp)
    for done, step in enumerate(steps, start=1):
        step()
        if progress is not None:
            progress(done, len(steps))
    writes.counts["rejected"] = len(analysis.rejected)
    writes.counts["rows"] = len(analysis.plans)
    store.finish_import(import_uid, {"counts": json.dumps(writes.counts)})
    audit.record(
        actor,
        "create",
        target_kind="import",
        target_uid=import_uid,
        summary=summary(kind, writes.counts),
        details={"kind": kind, "counts": writes.counts, "event": draft.get("event_uid")},
    )
    return import_uid


def summary(kind: str, counts: dict[str, int]) -> str:
    """ "Import : 12 créations, 3 liaisons, 2 lignes ignorées, 1 refusée" (no names)."""
    created = counts.get("person_created", 0) + counts.get("organisation_created", 0)
    linked = counts.get("person_linked", 0) + counts.get("organisation_linked", 0)
    return (
        f"Import ({kind}) : {created} fiche(s) créée(s), {linked} liée(s), "
        f"{counts.get('skipped', 0)} ligne(s) ignorée(s), {counts.get('rejected', 0)} refusée(s)"
    )


def _resolve(plans: list[RowPlan], kind: str, decisions: dict, undecided: str) -> _Writes:
    """Each row's records: a new uid, an existing uid, or nothing (skipped)."""
    writes = _Writes()
    targets: dict[str, dict[int, tuple[str, bool] | None]] = {p: {} for p in PARTS}
    attending: set[str] = set()
    for plan in plans:
        if not plan.ok:
            continue
        resolved = {}
        for part in PARTS:
            found: Part | None = getattr(plan, part)
            if found is None:
                continue
            action = _decided(plan, part, found, decisions, undecided)
            resolved[part] = _target(plan, part, action, targets[part], writes)
            targets[part][plan.number] = resolved[part]
        primary = "organisation" if kind == "organisations" else "person"
        if resolved.get(primary) is None:
            writes.count("skipped")
            continue
        if kind == "affiliations":
            if resolved.get("organisation") is None:
                writes.count("skipped")
                continue
            person_uid, person_existing = resolved["person"]
            writes.functions.append({
                "person": person_uid, "organisation": resolved["organisation"][0],
                "props": plan.check.link, "existing": person_existing,
            })  # fmt: skip
        if kind == "attendance":
            person_uid = resolved["person"][0]
            if person_uid in attending:
                writes.count("duplicate_attendance")
                continue
            attending.add(person_uid)
            org = resolved.get("organisation")
            writes.attendance.append({
                "person": person_uid,
                "props": {**plan.check.link, "for_organisation": org[0] if org else None},
            })  # fmt: skip
    return writes


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


def _target(
    plan: RowPlan, part: str, action: str, earlier: dict, writes: _Writes
) -> tuple[str, bool] | None:
    """``(uid, existed before)`` of the row's ``part``, or None when skipped."""
    if action == "skip":
        writes.count(f"{part}_skipped")
        return None
    if action.startswith("link:"):
        uid = action.removeprefix("link:")
        if uid not in writes.linked[part]:
            writes.count(f"{part}_linked")
        writes.linked[part].add(uid)
        return uid, True
    if action.startswith("same:"):
        target = earlier.get(int(action.removeprefix("same:")))
        if target is not None:
            writes.count(f"{part}_same_as_earlier_row")
            return target
    uid = uuid.uuid4().hex
    props = plan.check.person if part == "person" else plan.check.organisation
    commune = plan.check.person_commune if part == "person" else plan.check.organisation_commune
    writes.new[part].append({"uid": uid, "props": props, "commune": commune})
    writes.count(f"{part}_created")
    return uid, False


def _check_writable(actor: Actor, writes: _Writes) -> None:
    """Existing records linked must still be writable by the actor (inside the commit's
    transaction: what the preview saw may have changed)."""
    scope = actor.scope.as_params()
    for part in PARTS:
        wanted = sorted(writes.linked[part])
        lost = set(wanted) - store.writable_uids(part, wanted, scope)
        if lost:
            raise Invalid(
                {"": f"{len(lost)} fiche(s) existante(s) choisie(s) dans l'aperçu ne sont plus "
                     "modifiables par vous (supprimées, fusionnées ou hors de votre territoire). "
                     "Vérifiez l'aperçu et validez de nouveau."}
            )  # fmt: skip


def _steps(import_uid: str, writes: _Writes, event_uid: str | None, stamp) -> list[Callable]:
    """The batched statements of the commit, in order."""
    steps: list[Callable] = []

    def batches(rows: list, write: Callable[[list], object]) -> None:
        for start in range(0, len(rows), store.BATCH):
            chunk = rows[start : start + store.BATCH]
            steps.append(lambda chunk=chunk: write(chunk))

    for part, label in (("organisation", "Organisation"), ("person", "Person")):
        batches(
            writes.new[part],
            lambda rows, label=label: store.create_records(label, import_uid, rows, stamp),
        )
        batches(sorted(writes.linked[part]),
                lambda uids, label=label: store.mark_matched(label, import_uid, uids))  # fmt: skip

    def functions(rows: list) -> None:
        added = store.add_affiliations(import_uid, rows, stamp)
        writes.counts["functions_added"] = writes.counts.get("functions_added", 0) + added
        writes.counts["functions_present"] = (
            writes.counts.get("functions_present", 0) + len(rows) - added
        )

    def attendance(rows: list) -> None:
        added = store.add_attendance(import_uid, event_uid, rows, stamp)
        writes.counts["attendance_added"] = writes.counts.get("attendance_added", 0) + added
        writes.counts["attendance_present"] = (
            writes.counts.get("attendance_present", 0) + len(rows) - added
        )

    batches(writes.functions, functions)
    if event_uid:
        batches(writes.attendance, attendance)
    return steps
