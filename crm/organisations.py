"""Use cases about organisations: associations, councils, services, agencies, partners."""

from __future__ import annotations

import re

from crm.access import Actor, require_write
from crm.errors import Conflict, Invalid, NotFound
from crm.pagination import Page, page_bounds
from crm.territory import resolve_commune
from crm.text import search_key
from crm.validation import (
    MAX_NOTES,
    Errors,
    normalise_email,
    normalise_phone,
    normalise_url,
    optional_text,
    required_text,
)
from graph import contacts as store
from graph.records import StaleVersion
from graph.vocabulary import ORGANISATION_KINDS

__all__ = [
    "create_organisation",
    "get_organisation",
    "search_organisations",
    "resolve_organisation",
    "suggest_organisations",
    "update_organisation",
]

SORTS = tuple(store.ORGANISATION_SORTS)
_UID_IN_TEXT = re.compile(r"\[([0-9a-f]{32})\]\s*$")


def create_organisation(actor: Actor, data: dict) -> str:
    require_write(actor)
    props, commune_code = _organisation_props(data)
    return store.create_organisation(props, commune_code)


def update_organisation(actor: Actor, uid: str, version: int, data: dict) -> int:
    require_write(actor)
    props, commune_code = _organisation_props(data)
    try:
        new_version = store.update_organisation(uid, version, props, commune_code)
    except StaleVersion as stale:
        raise Conflict(
            "Cette organisation a été modifiée par quelqu'un d'autre pendant que vous l'éditiez. "
            "Vérifiez sa version actuelle ci-dessous avant d'enregistrer à nouveau.",
            current=stale.current,
        ) from None
    if new_version is None:
        raise NotFound(uid)
    return new_version


def get_organisation(actor: Actor, uid: str) -> dict:
    organisation = store.get_organisation(uid)
    if organisation is None:
        raise NotFound(uid)
    return organisation


def search_organisations(
    actor: Actor, text: str = "", kind: str | None = None, sort: str = "name", page: int = 1
) -> Page:
    if sort not in store.ORGANISATION_SORTS:
        sort = "name"
    if kind not in ORGANISATION_KINDS:
        kind = None
    number, skip, limit = page_bounds(page)
    rows, total = store.search_organisations(search_key(text), kind, sort, skip, limit)
    return Page(rows, total, number, limit)


def _organisation_props(data: dict) -> tuple[dict, str | None]:
    errors = Errors()
    props = {
        "name": required_text(errors, data, "name", "Le nom"),
        "name_ar": optional_text(errors, data, "name_ar"),
        "acronym": optional_text(errors, data, "acronym", 30),
        "kind": data.get("kind") or "",
        "email": normalise_email(errors, "email", data.get("email")),
        "phone": normalise_phone(errors, "phone", data.get("phone")),
        "website": normalise_url(errors, "website", data.get("website")),
        "notes": optional_text(errors, data, "notes", MAX_NOTES),
    }
    errors.check("kind", props["kind"] in ORGANISATION_KINDS, "Choisissez un type d'organisation.")
    commune_code, problem = resolve_commune(data.get("commune") or "")
    errors.check("commune", problem is None, problem or "")
    errors.raise_if_any()
    props["search_key"] = search_key(props["name"], props["name_ar"], props["acronym"])
    return props, commune_code


def organisation_label(row: dict) -> str:
    """How an organisation is written in a form field: 'Name — Commune [uid]'."""
    where = f" — {row['commune_name']}" if row.get("commune_name") else ""
    return f"{row['name']}{where} [{row['uid']}]"


def suggest_organisations(actor: Actor, text: str, limit: int = 15) -> list[dict]:
    """Organisations matching ``text``, labelled for an autocomplete list."""
    key = search_key(text)
    if len(key) < 2:
        return []
    rows, _ = store.search_organisations(key, None, "name", 0, limit)
    return [{"uid": r["uid"], "label": organisation_label(r)} for r in rows]


def resolve_organisation(actor: Actor, text: str) -> str:
    """The uid of the organisation typed in a form field (autocomplete label or unique name)."""
    text = (text or "").strip()
    match = _UID_IN_TEXT.search(text)
    if match and store.get_organisation(match.group(1)):
        return match.group(1)
    key = search_key(text)
    if key:
        rows, _ = store.search_organisations(key, None, "name", 0, 50)
        exact = [r for r in rows if search_key(r["name"]) == key or search_key(r["acronym"]) == key]
        if len(exact) == 1:
            return exact[0]["uid"]
        if len(exact) > 1:
            raise Invalid(
                {
                    "organisation": "Plusieurs organisations portent ce nom : choisissez "
                    "dans la liste proposée."
                }
            )
    raise Invalid(
        {
            "organisation": "Organisation introuvable : choisissez-la dans la liste "
            "proposée (ou créez-la d'abord)."
        }
    )
