"""Use cases about follow-ups: what was promised during an interaction, by whom, by when.

Rules
    * "My follow-ups" sorts the open follow-ups assigned to the actor by due date against the
      programme's today (``crm.clock``): overdue (before today), today, within the next 7
      days, later. Those done in the last ``DONE_SHOWN_DAYS`` days are listed apart. The page
      shows the first ``FIRST_SHOWN`` of each list with its total; one list can be opened on
      its own, ``PER_PAGE`` at a time. The export has every one of them.
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
from crm.pagination import PER_PAGE, Page, page_bounds
from crm.records import deny
from crm.transactions import reads, writes
from graph import followups as store
from graph import interactions as interaction_store

__all__ = [
    "BUCKETS",
    "DONE_SHOWN_DAYS",
    "FIRST_SHOWN",
    "LISTS",
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
# The lists of the page: the buckets, those done lately, the planned interactions.
LISTS = (*BUCKETS, "done", "planned")
FIRST_SHOWN = 10  # of each list, when the page shows them all
EVERY = 10**9  # "no limit" for a list slice (the export)


@reads
def my_follow_ups(
    actor: Actor, today: date | None = None, focus: str | None = None, page: object = 1,
    every: bool = False,
) -> dict:  # fmt: skip
    """The actor's follow-ups by list: each bucket of ``BUCKETS`` and ``done`` (in the last
    ``DONE_SHOWN_DAYS`` days, newest first), and ``planned`` (the planned interactions they
    logged, soonest first; ``passed`` marks those whose date is before today): the first
    ``FIRST_SHOWN`` of each, and ``totals`` per list. With ``focus`` (one of ``LISTS``), that
    list alone, ``PER_PAGE`` at a time (``page``: a ``Page`` of it, the last one when
    ``page`` is past the end); with ``every``, every item of every list (the export). Also
    ``as_of`` (the date used) and ``assignees`` (``[(uid, name)]``, to reassign)."""
    today = today or clock.today()
    # The start of that day in the programme's zone, as a UTC instant (the stored kind).
    first_day = today - timedelta(days=DONE_SHOWN_DAYS)
    done_since = datetime.combine(first_day, time(), clock.zone()).astimezone(UTC)
    focus = focus if focus in LISTS else None
    number = _whole(page)
    if every:
        slices = {name: (0, EVERY) for name in LISTS}
    elif focus:
        slices = {name: (0, 0) for name in LISTS}
        slices[focus] = ((number - 1) * PER_PAGE, PER_PAGE)
    else:
        slices = {name: (0, FIRST_SHOWN) for name in LISTS}
    scope = actor.scope.as_params()
    follow_ups = {name: skip_limit for name, skip_limit in slices.items() if name != "planned"}
    lists = store.follow_ups_shown(actor.uid, done_since, today, today + WEEK, scope, follow_ups)
    totals = {name: lists.get(name, {}).get("total", 0) for name in follow_ups}
    skip, limit = slices["planned"]
    planned, totals["planned"] = store.planned_logged_by(actor.uid, scope, skip, limit)
    last = -(-totals[focus] // PER_PAGE) if focus else 0
    if focus and number > max(1, last):
        return my_follow_ups(actor, today, focus, last)
    shown: dict[str, list[dict]] = {}
    for name in follow_ups:
        shown[name] = []
        for row in lists.get(name, {}).get("items", []):
            item = {**row, "kind_label": INTERACTION_KINDS.get(row["kind"], row["kind"])}
            if name != "done":
                item["days_late"] = (today - row["due"].to_native()).days
            shown[name].append(item)
    shown["planned"] = [
        {
            **row,
            "kind_label": INTERACTION_KINDS.get(row["kind"], row["kind"]),
            "status_label": INTERACTION_STATUSES["planned"],
            "passed": row["date"].to_native() < today,
        }
        for row in planned
    ]
    return {
        **shown,
        "totals": totals,
        "focus": focus,
        "page": Page(shown[focus], totals[focus], number) if focus else None,
        "as_of": today,
        "assignees": assignees(actor),
    }


def _whole(value: object) -> int:
    """A page number from a query string: 1 unless a whole number of at least 1."""
    try:
        return page_bounds(int(str(value).strip()))[0]
    except ValueError:
        return 1


def assignees(actor: Actor) -> list[tuple[str, str]]:
    """Accounts a follow-up can be given to, as (uid, display name)."""
    return [(u["uid"], u["display_name"]) for u in interaction_store.assignable_users()]


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


def _reach(actor: Actor, uid: str) -> dict:
    """The follow-up if the actor may act on it, else NotFound (and a trace)."""
    follow_up = store.follow_up_access(uid, actor.scope.as_params())
    if follow_up is None or not (
        follow_up["visible"] or actor.uid in (follow_up["assignee_uid"], follow_up["logged_by_uid"])
    ):
        deny(actor, "follow_up", uid)
    return follow_up
