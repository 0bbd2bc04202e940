"""The administrative geography as pages and forms need it."""

from __future__ import annotations

import re
from datetime import date

from crm import checklist, clock
from crm.access import Actor
from crm.errors import NotFound
from crm.history import record_history
from crm.labels import person_name
from crm.text import search_key
from crm.transactions import reads
from graph import territory as store
from graph.vocabulary import ORGANISATION_KINDS

__all__ = [
    "commune_field",
    "DESK_LIMIT",
    "commune",
    "commune_desk",
    "find_communes",
    "province",
    "region",
    "regions",
    "resolve_commune",
]

# At most this many functions, interactions and follow-ups on a commune's page.
DESK_LIMIT = 20
# How the commune's page groups the organisations present there (kind -> group); the kinds
# not named here are "others". Bodies are also the organisations PART_OF a commune council.
_GROUPS = {
    "commune_council": "council",
    "council_body": "bodies",
    "osc": "associations",
    "cooperative": "associations",
    "osc_network": "associations",
    "deconcentrated_service": "services",
    "national_agency": "services",
}

_CODE_IN_TEXT = re.compile(r"\[(\d{2}\.\d{3}\.\d{2}\.\d{1,2})\]\s*$")
_CODE = re.compile(r"^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$")


@reads
def regions(actor: Actor) -> list[dict]:
    return store.list_regions()


@reads
def region(actor: Actor, code: str, pilots_only: bool = False, today: date | None = None) -> dict:
    """A region, its provinces and communes (pilot communes first; only them with
    ``pilots_only``), and ``counts`` (``graph.territory.territory_counts``, organisations by
    kind with their labels). Every commune carries ``in_scope`` (the actor sees its
    records), and so does the region when the actor's territory holds one of its communes."""
    scope = actor.scope.as_params()
    found = store.region_detail(code, scope, pilots_only)
    if found is None:
        raise NotFound(code)
    for province in found["provinces"]:
        for c in province["communes"]:
            c["in_scope"] = actor.scope.covers(c["code"])
    found["in_scope"] = _territory_in_scope(actor, code)
    found["counts"] = _counts(code, scope, today)
    return found


@reads
def province(actor: Actor, code: str, pilots_only: bool = False, today: date | None = None) -> dict:
    """A province or prefecture, like ``region``: its communes and its ``counts``."""
    scope = actor.scope.as_params()
    found = store.province_detail(code, scope, pilots_only)
    if found is None:
        raise NotFound(code)
    for c in found["communes"]:
        c["in_scope"] = actor.scope.covers(c["code"])
    found["in_scope"] = _territory_in_scope(actor, code)
    found["counts"] = _counts(code, scope, today)
    return found


def _territory_in_scope(actor: Actor, code: str) -> bool:
    prefix = code + "."
    return actor.scope.national or any(c.startswith(prefix) for c in actor.scope.communes)


def _counts(code: str, scope: dict, today: date | None) -> dict:
    counts = store.territory_counts(code, scope, today or clock.today())
    counts["organisations"] = [
        {**row, "label": ORGANISATION_KINDS.get(row["kind"], row["kind"])}
        for row in counts["organisations"]
    ]
    counts["organisation_total"] = sum(row["count"] for row in counts["organisations"])
    return counts


@reads
def commune(actor: Actor, code: str) -> dict:
    """A commune and the organisations located there that the actor may see. ``in_scope``
    says whether the commune is in the actor's territory: outside it, only the shared
    national institutions show, so an empty list does not mean that nothing is there."""
    found = store.commune_detail(code, actor.scope.as_params())
    if found is None:
        raise NotFound(code)
    found["in_scope"] = actor.scope.covers(found["code"])
    return found


def commune_desk(actor: Actor, code: str, today: date | None = None) -> dict:
    """The commune's page as an officer's desk, read in the caller's transaction.

    ``commune`` (as ``commune``), the organisations present grouped as ``council``,
    ``bodies`` (IECGAG, youth council, commissions: council bodies and whatever is PART_OF
    a commune council), ``associations``, ``services`` and ``others``; ``functions`` (and
    ``function_total``), ``interactions``, ``follow_ups`` (``graph.territory.
    commune_activity``: visible records only, people under opposition or anonymised not
    named); ``checklist`` (``crm.checklist.evaluate`` with the managers' rule set; empty
    outside the actor's territory, where the records are not visible); ``history`` (the
    pilot status's changes). Recent events and partnerships are added by their own modules
    (keys ``events`` and ``partnerships``; the template shows them when given).
    """
    found = commune(actor, code)
    today = today or clock.today()
    activity = store.commune_activity(code, actor.scope.as_params(), today, DESK_LIMIT)
    groups: dict[str, list[dict]] = {
        "council": [],
        "bodies": [],
        "associations": [],
        "services": [],
        "others": [],
    }
    for organisation in found["organisations"]:
        organisation["kind_label"] = ORGANISATION_KINDS.get(organisation["kind"], "")
        group = _GROUPS.get(organisation["kind"], "others")
        parent = organisation.get("parent") or {}
        if parent.get("kind") == "commune_council" and group != "council":
            group = "bodies"
        groups[group].append(organisation)
    for function in activity["functions"]:
        function["name"] = person_name(function["first_name"], function["last_name"])
    for interaction in activity["interactions"]:
        for person in interaction["people"]:
            person["name"] = person_name(person["first_name"], person["last_name"])
    for follow_up in activity["follow_ups"]:
        due = follow_up["due"]
        follow_up["late"] = due is not None and _native(due) < today
    in_scope = found["in_scope"]
    return {
        "commune": found,
        **groups,
        **activity,
        "checklist": checklist.evaluate(checklist.rules(), found["organisations"])
        if in_scope
        else [],
        "history": record_history([code]),
    }


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value


@reads
def find_communes(actor: Actor, text: str, limit: int = 20) -> list[dict]:
    key = search_key(text)
    if len(key) < 2:
        return []
    return store.find_communes(key, limit)


@reads
def commune_field(actor: Actor, code: str) -> str:
    """How a form field shows the commune ``code`` ("" when there is no such commune)."""
    rows = store.find_communes(code, 1) if code else []
    return commune_label(rows[0]) if rows and rows[0]["code"] == code else ""


def commune_label(row: dict) -> str:
    """How a commune is written in a form field: 'Oujda (Oujda-Angad) [02.411.01.01]'."""
    return f"{row['name_fr']} ({row['province']}) [{row['code']}]"


@reads  # joins its caller's unit of work; alone, a read transaction rather than a write
def resolve_commune(text: str) -> tuple[str | None, str | None]:
    """Read a commune typed in a form: its code, or (None, French error message).

    Accepts the label the autocomplete offers, a bare HCP code, or a name that only one
    commune bears.
    """
    text = (text or "").strip()
    if not text:
        return None, None
    match = _CODE_IN_TEXT.search(text)
    code = match.group(1) if match else (text if _CODE.match(text) else None)
    if code:
        return (code, None) if store.commune_exists(code) else (None, "Commune inconnue.")
    key = search_key(text)
    exact = [c for c in store.find_communes(key, 50) if search_key(c["name_fr"]) == key]
    if len(exact) == 1:
        return exact[0]["code"], None
    if len(exact) > 1:
        options = ", ".join(commune_label(c) for c in exact[:5])
        return None, f"Plusieurs communes portent ce nom, précisez : {options}."
    return None, "Commune inconnue : choisissez-la dans la liste proposée."
