"""Use cases about people: the officials, association members and staff an officer knows."""

from __future__ import annotations

from crm.access import Actor, require_write
from crm.errors import Conflict, Invalid, NotFound
from crm.pagination import Page, page_bounds
from crm.text import search_key
from crm.validation import (
    MAX_NOTES,
    Errors,
    normalise_email,
    normalise_phone,
    optional_text,
    parse_date,
    required_text,
)
from graph import contacts as store
from graph.records import StaleVersion
from graph.vocabulary import GENDERS

__all__ = ["create_person", "get_person", "link_to_organisation", "search_people", "update_person"]

SORTS = tuple(store.PEOPLE_SORTS)


def create_person(actor: Actor, data: dict) -> str:
    require_write(actor)
    return store.create_person(_person_props(data))


def update_person(actor: Actor, uid: str, version: int, data: dict) -> int:
    require_write(actor)
    props = _person_props(data)
    try:
        new_version = store.update_person(uid, version, props)
    except StaleVersion as stale:
        raise Conflict(
            "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous l'éditiez. "
            "Vérifiez sa version actuelle ci-dessous avant d'enregistrer à nouveau.",
            current=stale.current,
        ) from None
    if new_version is None:
        raise NotFound(uid)
    return new_version


def get_person(actor: Actor, uid: str) -> dict:
    person = store.get_person(uid)
    if person is None:
        raise NotFound(uid)
    return person


def search_people(actor: Actor, text: str = "", sort: str = "name", page: int = 1) -> Page:
    if sort not in store.PEOPLE_SORTS:
        sort = "name"
    number, skip, limit = page_bounds(page)
    rows, total = store.search_people(search_key(text), sort, skip, limit)
    return Page(rows, total, number, limit)


def link_to_organisation(actor: Actor, person_uid: str, organisation_uid: str, data: dict) -> str:
    """Record that a person holds (or held) a role in an organisation."""
    require_write(actor)
    errors = Errors()
    role = required_text(errors, data, "role", "La fonction")
    since = parse_date(errors, "since", data.get("since"))
    until = parse_date(errors, "until", data.get("until"))
    if since and until:
        errors.check("until", until >= since, "La date de fin précède la date de début.")
    errors.check("organisation", bool(organisation_uid), "Choisissez une organisation.")
    errors.raise_if_any()
    props = {
        "role": role,
        "since": since,
        "until": until,
        "focal_point": bool(data.get("focal_point")),
    }
    uid = store.add_affiliation(person_uid, organisation_uid, props)
    if uid is None:
        raise Invalid({"organisation": "Organisation ou personne introuvable."})
    return uid


def _person_props(data: dict) -> dict:
    errors = Errors()
    props = {
        "first_name": required_text(errors, data, "first_name", "Le prénom"),
        "last_name": required_text(errors, data, "last_name", "Le nom"),
        "first_name_ar": optional_text(errors, data, "first_name_ar"),
        "last_name_ar": optional_text(errors, data, "last_name_ar"),
        "gender": data.get("gender") or "",
        "email": normalise_email(errors, "email", data.get("email")),
        "phone": normalise_phone(errors, "phone", data.get("phone")),
        "notes": optional_text(errors, data, "notes", MAX_NOTES),
    }
    errors.check("gender", props["gender"] in GENDERS, "Valeur inconnue.")
    errors.raise_if_any()
    props["search_key"] = search_key(
        props["first_name"],
        props["last_name"],
        props["first_name_ar"],
        props["last_name_ar"],
        props["email"],
    )
    return props
