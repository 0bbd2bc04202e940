"""Snapshots of the network analysis: a scope's figures and gaps saved at a date under a name
(baseline, midline, endline…), and the comparison of two of them.

A snapshot is immutable (there is no use case to change or delete one) and its creation is
audited. It keeps figures, gaps and the uids they rest on — never a person's name — and the
communes it covered: an actor reads it when their scope holds all of those communes.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from crm import audit, network
from crm.access import Actor, require_write
from crm.errors import Invalid, NotFound
from crm.text import clean_text
from crm.transactions import reads, writes
from graph import snapshots as store

__all__ = ["FIGURES", "compare", "compare_snapshots", "list_snapshots", "save_snapshot"]

MAX_NAME = 100
NAME_TAKEN = "Ce nom est déjà pris par un autre instantané : choisissez-en un autre."

# figure -> (French label, True when a higher value is better)
FIGURES: dict[str, tuple[str, bool]] = {
    "nodes": ("Acteurs", True),
    "ties": ("Liens", True),
    "density": ("Densité", True),
    "cross_sector_ties": ("Liens entre secteurs", True),
    "cross_sector_share": ("Part des liens entre secteurs", True),
    "women_share": ("Part des femmes parmi les participants", True),
    "gaps": ("Lacunes de coordination", False),
}


@writes
def save_snapshot(actor: Actor, name: str, form: dict, today: date) -> str:
    """Analyse ``form``'s scope now (``crm.network.analyse``) and save it as ``name``;
    returns the snapshot's uid. ``Invalid`` on ``name`` (empty, too long, taken) and on the
    scope's fields."""
    require_write(actor)
    name = clean_text(name)
    if not name:
        raise Invalid({"name": "Donnez un nom à l'instantané (ex. « Référence 2026 »)."})
    if len(name) > MAX_NAME:
        raise Invalid({"name": f"Le nom ne doit pas dépasser {MAX_NAME} caractères."})
    analysis = network.analyse(actor, form, today)
    uid = uuid.uuid4().hex
    try:
        store.create_snapshot(
            uid,
            name,
            today,
            actor.uid,
            json.dumps(analysis["scope"], default=str, ensure_ascii=False),
            # Who may read it: actors whose scope holds these communes (an analysis that
            # assessed none keeps the author's territory, never "everyone").
            analysis["communes"] or sorted(actor.scope.communes),
            json.dumps(analysis["summary"], default=str, ensure_ascii=False),
        )
    except store.NameTaken:
        raise Invalid({"name": NAME_TAKEN}) from None
    audit.record(
        actor,
        "create",
        target_kind="snapshot",
        target_uid=uid,
        summary=f"Instantané « {name} »",
        details={"scope": analysis["scope"], "overall": analysis["summary"]["overall"]},
    )
    return uid


@reads
def list_snapshots(actor: Actor) -> list[dict]:
    """The snapshots the actor may read, newest first."""
    rows = store.list_snapshots(actor.scope.as_params())
    return [{**row, "scope": json.loads(row["scope"])} for row in rows]


@reads
def compare_snapshots(actor: Actor, before_uid: str, after_uid: str) -> dict:
    """``compare`` of two snapshots the actor may read (NotFound otherwise), with their names."""
    if before_uid == after_uid:
        raise Invalid({"after": "Choisissez deux instantanés différents."})
    found = {
        row["uid"]: row
        for row in store.get_snapshots([before_uid, after_uid], actor.scope.as_params())
    }
    if before_uid not in found or after_uid not in found:
        raise NotFound(after_uid if before_uid in found else before_uid)
    before, after = found[before_uid], found[after_uid]
    return {
        "before": {"uid": before_uid, "name": before["name"], "taken_on": before["taken_on"]},
        "after": {"uid": after_uid, "name": after["name"], "taken_on": after["taken_on"]},
        **compare(json.loads(before["summary"]), json.loads(after["summary"])),
    }


def compare(before: dict, after: dict) -> dict:
    """What improved and what worsened between two summaries (``crm.network`` format).

    Returns ``overall`` and, for every commune of either, ``communes``: rows ``{figure,
    label, before, after, delta, trend}`` (``trend``: "better", "worse", "same", or "" when
    a value is missing), plus ``gaps_closed`` and ``gaps_opened`` (overall and per commune),
    a gap being identified by its ``key``.

    >>> compare({"overall": {"density": 0.1}, "communes": {}, "gaps": []},
    ...         {"overall": {"density": 0.2}, "communes": {}, "gaps": []})["overall"][0]["trend"]
    'better'
    """
    closed, opened = _gap_changes(before.get("gaps") or [], after.get("gaps") or [])
    communes = []
    codes = sorted(set(before.get("communes") or {}) | set(after.get("communes") or {}))
    for code in codes:
        old = (before.get("communes") or {}).get(code) or {}
        new = (after.get("communes") or {}).get(code) or {}
        communes.append(
            {
                "code": code,
                "name": new.get("name") or old.get("name") or code,
                "figures": _rows(old, new),
                "gaps_closed": [g for g in closed if g.get("commune") == code],
                "gaps_opened": [g for g in opened if g.get("commune") == code],
            }
        )
    return {
        "overall": _rows(before.get("overall") or {}, after.get("overall") or {}),
        "communes": communes,
        "gaps_closed": closed,
        "gaps_opened": opened,
    }


def _rows(old: dict, new: dict) -> list[dict]:
    rows = []
    for figure, (label, higher_is_better) in FIGURES.items():
        if figure not in old and figure not in new:
            continue
        a, b = old.get(figure), new.get(figure)
        if a is None or b is None:
            delta, trend = None, ""
        else:
            delta = b - a
            if abs(delta) < 1e-9:
                trend = "same"
            else:
                trend = "better" if (delta > 0) == higher_is_better else "worse"
        rows.append(
            {"figure": figure, "label": label, "before": a, "after": b, "delta": delta,
             "trend": trend}
        )  # fmt: skip
    return rows


def _gap_changes(before: list[dict], after: list[dict]) -> tuple[list[dict], list[dict]]:
    old = {gap["key"]: gap for gap in before}
    new = {gap["key"]: gap for gap in after}
    closed = [old[key] for key in old if key not in new]
    opened = [new[key] for key in new if key not in old]
    return closed, opened
