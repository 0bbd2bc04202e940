"""The home page: the actor's day.

An officer lands on what needs them today, in their own territory only: their follow-ups
due today or overdue, the first ties past their cadence (``crm.cadence``), the planned
interactions of the next ``PLANNED_DAYS`` days and the latest interactions held there
(``graph.home`` says which interactions belong to a territory). A national scope (manager,
administrator, analyst or viewer without territory) sees the same across every region,
with a count per region.
"""

from __future__ import annotations

from datetime import date, timedelta

from crm import cadence, clock, versioned_cache
from crm.access import Actor
from crm.interactions import INTERACTION_KINDS, INTERACTION_STATUSES
from crm.transactions import reads
from graph import home as store

__all__ = ["PLANNED_DAYS", "RECENT_DAYS", "TIES_SHOWN", "my_day"]

PLANNED_DAYS = 14  # planned interactions shown: from today to today + PLANNED_DAYS
RECENT_DAYS = 30  # the per-region count of held interactions covers these last days
TIES_SHOWN = 5
LISTED = 10  # planned and recent interactions listed, each


@reads
def my_day(actor: Actor, today: date | None = None) -> dict:
    """What the home page shows, read in one transaction.

    Returns ``as_of`` (the date), ``national`` (bool), ``regions`` (``{code, name_fr,
    programme}`` the scope reaches), ``overdue`` and ``due_today`` (the actor's open
    follow-ups: the first ``LISTED`` of each) with ``overdue_total`` and ``due_today_total``,
    ``ties`` (the first ``TIES_SHOWN`` past their cadence) and ``ties_total``,
    ``planned`` (next ``PLANNED_DAYS`` days), ``recent`` (latest held interactions),
    ``by_region`` (national scopes only: ``{code, name_fr, recent, planned, overdue}`` for
    every region with something, programme regions always).
    """
    today = today or clock.today()
    national = actor.scope.national
    planned_until = today + timedelta(days=PLANNED_DAYS)
    found = store.day(actor.uid, actor.scope.as_params(), today, planned_until, LISTED)
    follow_ups = [_kind_labelled(row) for row in found["due_follow_ups"]]
    for row in follow_ups:
        row["days_late"] = (today - row["due"].to_native()).days
    ties = cadence.losing_touch(actor, 1, today=today)
    return {
        "as_of": today,
        "national": national,
        "regions": found["regions"],
        "overdue": [row for row in follow_ups if row["days_late"] > 0],
        "overdue_total": found["overdue_total"],
        "due_today": [row for row in follow_ups if row["days_late"] == 0],
        "due_today_total": found["due_today_total"],
        "ties": ties.items[:TIES_SHOWN],
        "ties_total": ties.total,
        "planned": [_kind_labelled(row) for row in found["planned"]],
        "recent": [_kind_labelled(row) for row in found["recent"]],
        "by_region": _by_region(found["regions"], _counts(today, planned_until))
        if national
        else [],
    }


def _counts(today: date, planned_until: date) -> list[dict]:
    """The per-region counts of the national overview: the same for every national scope,
    so computed once per day and data version (every interaction of the window is read)."""
    recent_since = today - timedelta(days=RECENT_DAYS)
    return versioned_cache.cached(
        "home.by_region",
        (today, planned_until, recent_since),
        lambda: store.counts_by_region(today, planned_until, recent_since),
    )


def _by_region(regions: list[dict], counts: list[dict]) -> list[dict]:
    """Every region with something to count, and the programme's regions in any case."""
    by_code = {row["region"]: row for row in counts}
    zero = {"recent": 0, "planned": 0, "overdue": 0}
    rows = []
    for region in regions:
        count = by_code.get(region["code"])
        if count is None and not region["programme"]:
            continue
        numbers = {key: (count or zero)[key] for key in zero}
        rows.append({"code": region["code"], "name_fr": region["name_fr"], **numbers})
    return rows


def _kind_labelled(row: dict) -> dict:
    status = row.get("status") or "held"
    return {
        **row,
        "kind_label": INTERACTION_KINDS.get(row["kind"], row["kind"]),
        "status_label": INTERACTION_STATUSES.get(status, status),
    }
