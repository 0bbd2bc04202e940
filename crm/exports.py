"""Exports of lists (CSV for spreadsheets), scoped, audited, without opposed people."""

from __future__ import annotations

import csv
import io

from crm import audit
from crm.access import Actor, require_role
from graph import contacts

__all__ = ["people_csv"]

EXPORT_ROLES = ("admin", "manager", "officer", "analyst")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def people_csv(actor: Actor) -> str:
    """The people the actor may see, as CSV (UTF-8 with BOM so Excel reads Arabic)."""
    require_role(actor, *EXPORT_ROLES)
    rows = contacts.export_people(actor.scope.as_params())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        ["Nom", "Prénom", "الاسم العائلي", "الاسم الشخصي", "Genre", "Téléphone", "E-mail",
         "Commune", "Fonctions actuelles"]
    )  # fmt: skip
    for r in rows:
        writer.writerow(
            _cell(v)
            for v in (
                r["last_name"], r["first_name"], r["last_name_ar"], r["first_name_ar"],
                r["gender"], ", ".join(r["phones"] or []), ", ".join(r["emails"] or []),
                r["commune"], "; ".join(r["functions"]),
            )
        )  # fmt: skip
    audit.record(
        actor,
        "export",
        target_kind="person",
        summary=f"Export CSV des personnes ({len(rows)} fiches)",
        details={
            "format": "csv",
            "count": len(rows),
            "scope": "national" if actor.scope.national else sorted(actor.scope.communes)[:50],
        },
    )
    return out.getvalue()


def _cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
