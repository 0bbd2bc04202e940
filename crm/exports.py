"""Exports of lists (CSV for spreadsheets), scoped, audited, without opposed people.

An export holds what the list shows: the same search and filters (``crm.people.search_people``),
every page of it, in the same order, within the actor's scope.
"""

from __future__ import annotations

import csv
import io

from crm import audit, labels
from crm.access import Actor, require_role
from crm.csvcell import safe_cell
from crm.search import build_query
from crm.transactions import reads
from graph import contacts

__all__ = ["EXPORT_ROLES", "list_filters", "people_csv", "people_to_export"]

EXPORT_ROLES = ("admin", "manager", "officer", "analyst")
# "Every page" of a search: more than any scope holds, and a 64-bit LIMIT for Neo4j.
_ALL = 2**31 - 1


@reads
def people_csv(
    actor: Actor, text: str = "", sort: str = "", *, territory: str = "", theme: str = ""
) -> str:
    """The people of the list as CSV (UTF-8 with BOM so Excel reads Arabic).

    Arguments as for ``crm.people.search_people``; raises ``Invalid`` (on "commune") for a
    commune that does not exist.
    """
    rows = people_to_export(actor, text, sort, territory=territory, theme=theme)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        ["Nom", "Prénom", "الاسم العائلي", "الاسم الشخصي", "Genre", "Téléphone", "E-mail",
         "Commune", "Fonctions actuelles"]
    )  # fmt: skip
    for r in rows:
        writer.writerow(
            safe_cell(v)
            for v in (
                r["last_name"], r["first_name"], r["last_name_ar"], r["first_name_ar"],
                labels.value_text("gender", r["gender"]),
                ", ".join(r["phones"] or []), ", ".join(r["emails"] or []),
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
            "filters": list_filters(text, sort, territory, theme),
            "scope": "national" if actor.scope.national else sorted(actor.scope.communes)[:50],
        },
    )
    return out.getvalue()


@reads
def people_to_export(
    actor: Actor, text: str = "", sort: str = "", *, territory: str = "", theme: str = ""
) -> list[dict]:
    """The rows of ``graph.contacts.export_people`` for the people of the list, in its order.

    Export roles only; people who opposed or were anonymised are left out. Not audited: the
    caller records the export with its format.
    """
    require_role(actor, *EXPORT_ROLES)
    scope = actor.scope.as_params()
    query = build_query(
        text, sort, contacts.PEOPLE_SORTS, 0, _ALL, territory=territory, theme=theme
    )
    if not (query.params()["lucene"] or query.territory or query.theme) and query.sort == "name":
        return contacts.export_people(scope)  # the whole list, already in name order
    found, _ = contacts.search_people(query, scope)
    position = {row["uid"]: i for i, row in enumerate(found)}
    rows = contacts.export_people(scope, uids=list(position)) if position else []
    return sorted(rows, key=lambda row: position[row["uid"]])


def list_filters(text: str, sort: str, territory: str, theme: str) -> dict:
    """The search of an export as the audit trail keeps it (empty values left out)."""
    given = {"q": text, "tri": sort, "territory": territory, "theme": theme}
    return {name: value for name, value in given.items() if value}
