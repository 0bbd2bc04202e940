"""Use cases about follow-ups: what was promised during an interaction, by whom, by when.

Rules
    * "My follow-ups" sorts the open follow-ups assigned to the actor by due date against the
      programme's today (``crm.clock``): overdue (before today), today, within the next 7
      days, later. Those done in the last ``DONE_SHOWN_DAYS`` days are listed apart.
    * A follow-up can be marked done or reassigned by a user who can write and who is its
      assignee, logged its interaction, or can see that interaction; for anyone else it does
      not exist. Only open follow-ups change, and only to an active account that can act on
      them (officer, manager, administrator). Marking one done can be undone by the same
      users ("reopen"); each change is audited, without the follow-up's text (free text may
      name a person: the trail refers to it by uid).
    * "Mes suivis" also lists the planned interactions the actor logged ("Interactions
      prévues"), soonest first; those whose date has passed are still to be marked held or
      cancelled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from crm import audit, clock
from crm.access import Actor, require_write
from crm.errors import Invalid
from crm.interactions import INTERACTION_KINDS, INTERACTION_STATUSES
from crm.records import deny
from crm.transactions import reads, writes
from graph import interactions as store

__all__ = [
    "BUCKETS",
    "DONE_SHOWN_DAYS",
    "assignees",
    "mark_done",
    "my_follow_ups",
    "reassign",
    "reopen",
]

# bucket code -> French heading, in the order the page shows them.
BUCKETS: dict[str, str] = {
    "overdue": "En retard",
    "today": "À faire aujourd'hui",
    "week": "Dans les 7 prochains jours",
    "later": "Plus tard",
}
WEEK = timedelta(days=7)
DONE_SHOWN_DAYS = 30


@reads
def my_follow_ups(actor: Actor, today: date | None = None) -> dict:
    """The actor's follow-ups by bucket (see ``BUCKETS``), plus ``done`` (recent, newest
    first), ``as_of`` (the date used), ``assignees`` (``[(uid, name)]``, to reassign) and
    ``planned`` (the planned interactions they logged, soonest first; ``passed`` marks
    those whose date is before today)."""
    today = today or clock.today()
    # The start of that day in the programme's zone, as a UTC instant (the stored kind).
    first_day = today - timedelta(days=DONE_SHOWN_DAYS)
    done_since = datetime.combine(first_day, time(), clock.zone()).astimezone(UTC)
    rows = store.follow_ups_of(actor.uid, done_since, actor.scope.as_params())
    buckets: dict[str, list[dict]] = {code: [] for code in BUCKETS}
    done = []
    for row in rows:
        item = {**row, "kind_label": INTERACTION_KINDS.get(row["kind"], row["kind"])}
        if row["done_at"] is not None:
            done.append(item)
            continue
        due = row["due"].to_native()
        item["days_late"] = (today - due).days
        buckets[_bucket(due, today)].append(item)
    done.sort(key=lambda item: item["done_at"].to_native(), reverse=True)
    planned = [
        {
            **row,
            "kind_label": INTERACTION_KINDS.get(row["kind"], row["kind"]),
            "status_label": INTERACTION_STATUSES["planned"],
            "passed": row["date"].to_native() < today,
        }
        for row in store.planned_logged_by(actor.uid, actor.scope.as_params())
    ]
    return {
        **buckets,
        "done": done,
        "planned": planned,
        "as_of": today,
        "assignees": assignees(actor),
    }


def assignees(actor: Actor) -> list[tuple[str, str]]:
    """Accounts a follow-up can be given to, as (uid, display name)."""
    return [(u["uid"], u["display_name"]) for u in store.assignable_users()]


@writes
def mark_done(actor: Actor, uid: str) -> None:
    require_write(actor)
    follow_up = _reach(actor, uid)
    if follow_up["done"] or not store.mark_follow_up_done(uid):
        raise Invalid({"": "Ce suivi est déjà marqué comme fait."})
    audit.record(
        actor,
        "update",
        target_kind="follow_up",
        target_uid=uid,
        summary="Suivi fait",
        details={"changes": {"done": [False, True]}},
    )


@writes
def reopen(actor: Actor, uid: str) -> None:
    """Undo "done": the follow-up is open again (by the users who may mark it done)."""
    require_write(actor)
    follow_up = _reach(actor, uid)
    if not follow_up["done"] or not store.reopen_follow_up(uid):
        raise Invalid({"": "Ce suivi n'est pas marqué comme fait."})
    audit.record(
        actor,
        "update",
        target_kind="follow_up",
        target_uid=uid,
        summary="Suivi rouvert (fait annulé)",
        details={"changes": {"done": [True, False]}},
    )


@writes
def reassign(actor: Actor, uid: str, assignee_uid: str) -> None:
    """Give the follow-up to another active account."""
    require_write(actor)
    follow_up = _reach(actor, uid)
    if follow_up["done"]:
        raise Invalid({"": "Ce suivi est déjà fait : il ne peut plus être réassigné."})
    names = dict(assignees(actor))
    if assignee_uid not in names:
        raise Invalid({"assignee": "Choisissez un compte actif dans la liste."})
    if assignee_uid == follow_up["assignee_uid"]:
        raise Invalid({"assignee": f"Ce suivi est déjà confié à {names[assignee_uid]}."})
    if not store.reassign_follow_up(uid, assignee_uid):
        raise Invalid({"": "Ce suivi vient d'être modifié : rechargez la page."})
    audit.record(
        actor,
        "update",
        target_kind="follow_up",
        target_uid=uid,
        summary=f"Suivi réassigné à {names[assignee_uid]}",
        details={"changes": {"assignee": [follow_up["assignee_uid"], assignee_uid]}},
    )


def _bucket(due: date, today: date) -> str:
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    if due <= today + WEEK:
        return "week"
    return "later"


def _reach(actor: Actor, uid: str) -> dict:
    """The follow-up if the actor may act on it, else NotFound (and a trace)."""
    follow_up = store.follow_up_access(uid, actor.scope.as_params())
    if follow_up is None or not (
        follow_up["visible"] or actor.uid in (follow_up["assignee_uid"], follow_up["logged_by_uid"])
    ):
        deny(actor, "follow_up", uid)
    return follow_up
