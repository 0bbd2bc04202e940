"""The administrative geography as pages and forms need it."""

from __future__ import annotations

import re

from crm.access import Actor
from crm.errors import NotFound
from crm.text import search_key
from crm.transactions import reads
from graph import territory as store

__all__ = ["commune", "find_communes", "region", "regions", "resolve_commune"]

_CODE_IN_TEXT = re.compile(r"\[(\d{2}\.\d{3}\.\d{2}\.\d{1,2})\]\s*$")
_CODE = re.compile(r"^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$")


@reads
def regions(actor: Actor) -> list[dict]:
    return store.list_regions()


@reads
def region(actor: Actor, code: str) -> dict:
    """A region, its provinces and communes. Every commune carries ``in_scope`` (the actor
    sees its records), and so does the region when at least one of its communes is."""
    found = store.region_detail(code, actor.scope.as_params())
    if found is None:
        raise NotFound(code)
    for province in found["provinces"]:
        for c in province["communes"]:
            c["in_scope"] = actor.scope.covers(c["code"])
    found["in_scope"] = actor.scope.national or any(
        c["in_scope"] for p in found["provinces"] for c in p["communes"]
    )
    return found


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


@reads
def find_communes(actor: Actor, text: str, limit: int = 20) -> list[dict]:
    key = search_key(text)
    if len(key) < 2:
        return []
    return store.find_communes(key, limit)


def commune_label(row: dict) -> str:
    """How a commune is written in a form field: 'Oujda (Oujda-Angad) [02.411.01.01]'."""
    return f"{row['name_fr']} ({row['province']}) [{row['code']}]"


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
