"""The programme's pilot communes: which they are, since when, edited by managers.

Rules
    * The list is the programme's (60 communes across its 5 regions, ``PILOT_TARGET``):
      managers add a commune, change the date it joined, or remove it. Other roles read it.
    * A pilot commune has the date it joined the programme, which cannot be after today
      (the programme's date, ``crm.clock``). Removing a commune clears the date.
    * Every change is audited as target "commune" / the commune's HCP code, with the
      changes of ``pilot`` and ``pilot_since``: the commune's page shows that history. A
      submission that changes nothing writes nothing.
"""

from __future__ import annotations

from datetime import date

from crm import audit, clock
from crm.access import Actor, require_role
from crm.errors import Invalid, NotFound
from crm.history import changes
from crm.territory import resolve_commune
from crm.transactions import reads, writes
from crm.validation import Errors, parse_date
from graph import territory as store

__all__ = ["PILOT_TARGET", "add_pilot", "pilot_communes", "set_pilot"]

PILOT_TARGET = 60
_EDITORS = ("manager",)


@writes
def set_pilot(
    actor: Actor, code: str, pilot: bool, since: object = None, today: date | None = None
) -> bool:
    """Make the commune ``code`` a pilot commune since ``since`` (a date or "AAAA-MM-JJ"),
    or no longer one; managers only. Returns whether anything changed.

    ``Invalid`` on "since" when a pilot commune gets no date, an unreadable one, or one
    after today; ``NotFound`` when there is no such commune.
    """
    require_role(actor, *_EDITORS)
    joined = _joined(since, pilot, today) if pilot else None
    before = store.set_pilot(code, pilot, joined)
    if before is None:
        raise NotFound(code)
    after = {"pilot": pilot, "pilot_since": joined}
    changed = changes(before, after)
    if not changed:
        return False
    if not before["pilot"]:
        summary = "Commune ajoutée aux communes pilotes"
    elif not pilot:
        summary = "Commune retirée des communes pilotes"
    else:
        summary = "Date d'entrée de la commune pilote modifiée"
    audit.record(
        actor,
        "update",
        target_kind="commune",
        target_uid=code,
        summary=summary,
        details={"changes": changed},
    )
    return True


@writes
def add_pilot(actor: Actor, commune: str, since: object, today: date | None = None) -> str:
    """Add the commune typed in a form (``crm.territory.resolve_commune``: the suggested
    label, a code or a name only one commune bears) to the pilot communes; return its code.

    ``Invalid`` on "commune" (empty, unknown, ambiguous, already a pilot) or "since".
    """
    require_role(actor, *_EDITORS)
    code, problem = resolve_commune(commune)
    if code is None:
        raise Invalid({"commune": problem or "Indiquez la commune."})
    if any(row["code"] == code for row in store.pilot_communes()):
        raise Invalid({"commune": "Cette commune est déjà une commune pilote."})
    set_pilot(actor, code, True, since, today)
    return code


@reads
def pilot_communes(actor: Actor) -> dict:
    """The pilot communes grouped by region: ``regions`` (``[{code, name_fr, communes}]``,
    communes by province and name with ``pilot_since``), ``total`` and ``target``."""
    regions: dict[str, dict] = {}
    rows = store.pilot_communes()
    for row in rows:
        region = regions.setdefault(
            row["region_code"],
            {"code": row["region_code"], "name_fr": row["region"], "communes": []},
        )
        region["communes"].append(row)
    return {"regions": list(regions.values()), "total": len(rows), "target": PILOT_TARGET}


def _joined(since: object, pilot: bool, today: date | None) -> date:
    errors = Errors()
    joined = parse_date(errors, "since", since)
    errors.check("since", joined is not None or bool(errors), "Indiquez la date d'entrée.")
    if joined is not None:
        errors.check(
            "since",
            joined <= (today or clock.today()),
            "La date d'entrée ne peut pas être postérieure à aujourd'hui.",
        )
    errors.raise_if_any()
    return joined
