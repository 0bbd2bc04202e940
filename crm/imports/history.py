"""Past imports: the list, one import's report, its rejected rows, and undoing it.

Rules
    * Writers see their own imports; managers and administrators see everyone's.
    * An import is undone as a whole — the functions and attendances it added, then the
      records it created — and only while none of the records it created was changed since
      (their version and ``updated_at`` as written, no tie the import did not make: an
      interaction, another event, a function added by hand). Otherwise the undo is refused
      and names the records that block it. The undo is audited.
"""

from __future__ import annotations

import json

from crm import audit
from crm.access import NATIONAL_ROLES, Actor, require_write
from crm.errors import Conflict, Invalid, NotFound
from crm.imports.columns import KINDS
from crm.labels import person_name
from crm.pagination import Page, page_bounds
from crm.transactions import reads, writes
from graph import imports as store

__all__ = ["COUNT_LABELS", "import_report", "imports_page", "rejected_csv", "undo"]

# counts key -> French label, in the order the report shows them.
COUNT_LABELS = {
    "rows": "Lignes lues",
    "person_created": "Personnes créées",
    "person_linked": "Personnes existantes liées",
    "person_same_as_earlier_row": "Lignes en double dans le fichier (même personne)",
    "person_skipped": "Personnes ignorées (votre choix)",
    "organisation_created": "Organisations créées",
    "organisation_linked": "Organisations existantes liées",
    "organisation_same_as_earlier_row": "Lignes nommant une organisation déjà vue",
    "organisation_skipped": "Organisations ignorées (votre choix)",
    "functions_added": "Fonctions ajoutées",
    "functions_present": "Fonctions déjà enregistrées",
    "attendance_added": "Participants ajoutés à l'événement",
    "attendance_present": "Participants déjà inscrits",
    "duplicate_attendance": "Participants en double dans le fichier",
    "skipped": "Lignes ignorées",
    "rejected": "Lignes refusées (erreurs)",
}


@reads
def imports_page(actor: Actor, page: int = 1) -> Page:
    require_write(actor)
    number, skip, limit = page_bounds(page)
    rows, total = store.imports_list(_author_filter(actor), skip, limit)
    return Page([_labelled(r) for r in rows], total, number, limit)


@reads
def import_report(actor: Actor, uid: str) -> dict:
    """An import as its report shows it: who, when, counts (labelled), the records it
    created and linked (those the actor sees), whether rejected rows can be downloaded."""
    found = _visible(actor, uid)
    records = [
        {
            **r,
            "name": person_name(r["first_name"], r["last_name"])
            if r["kind"] == "person"
            else r["name"],
        }  # fmt: skip
        for r in found["records"]
    ]
    return {**_labelled(found), "records": records, "has_rejected": bool(found["rejected_csv"])}


@reads
def rejected_csv(actor: Actor, uid: str) -> tuple[str, str]:
    found = _visible(actor, uid)
    if not found["rejected_csv"]:
        raise NotFound(uid)
    return found["filename"].rsplit(".", 1)[0] + "-lignes-refusees.csv", found["rejected_csv"]


@writes
def undo(actor: Actor, uid: str) -> dict:
    """Undo the import; ``Conflict`` naming the records that block it."""
    require_write(actor)
    found = _visible(actor, uid)
    if found["status"] == "undone":
        raise Invalid({"": "Cet import a déjà été annulé."})
    blockers = store.undo_blockers(uid)
    if blockers:
        names = ", ".join(
            person_name(b["first_name"], b["last_name"]) if b["kind"] == "person" else b["name"]
            for b in blockers[:10]
        )
        more = f" (et {len(blockers) - 10} autres)" if len(blockers) > 10 else ""
        raise Conflict(
            "Annulation impossible : des fiches créées par cet import ont été modifiées depuis "
            f"ou reliées à d'autres données : {names}{more}. Corrigez-les à la main, ou "
            "laissez l'import en place."
        )
    removed = store.undo_import(uid, actor.uid)
    audit.record(
        actor,
        "delete",
        target_kind="import",
        target_uid=uid,
        summary=f"Import annulé : {removed['records']} fiche(s) et {removed['ties']} lien(s) "
        "supprimés",
        details=removed,
    )
    return removed


def _author_filter(actor: Actor) -> str | None:
    return None if actor.role in NATIONAL_ROLES else actor.uid


def _visible(actor: Actor, uid: str) -> dict:
    require_write(actor)
    found = store.import_detail(uid, actor.scope.as_params())
    if found is None or (_author_filter(actor) and found["by_uid"] != actor.uid):
        raise NotFound(uid)
    return found


def _labelled(row: dict) -> dict:
    counts = json.loads(row.get("counts") or "{}")
    return {
        **row,
        "kind_label": KINDS[row["kind"]].label if row.get("kind") in KINDS else row.get("kind"),
        "counts": counts,
        "count_rows": [
            (label, counts[key]) for key, label in COUNT_LABELS.items() if counts.get(key)
        ],  # fmt: skip
        "undone": row.get("status") == "undone",
    }
