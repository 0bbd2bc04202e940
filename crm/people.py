"""Use cases about people: the officials, association members and staff an officer knows."""

from __future__ import annotations

import dataclasses
import uuid

from crm import audit, dedupe, duplicates_at_save, events, interactions, versioned_cache
from crm.access import Actor, require_write
from crm.errors import Invalid
from crm.history import changes, record_history
from crm.pagination import Page, page_bounds
from crm.records import deny, record_creation, require_access, save_edit
from crm.search import build_query, person_keys
from crm.territory import resolve_commune
from crm.transactions import reads, writes
from crm.validation import (
    MAX_NOTES,
    Errors,
    choices,
    normalise_emails,
    normalise_phones,
    optional_text,
    parse_date,
    required_text,
)
from graph import contacts as store
from graph import dedupe as dedupe_store
from graph import kinds
from graph import search as search_store
from graph.vocabulary import AGE_BANDS, GENDERS, LANGUAGES, LEGAL_BASES, THEMES

__all__ = [
    "create_person",
    "get_person",
    "history",
    "link_to_organisation",
    "person_for_edit",
    "person_page",
    "search_people",
    "to_complete",
    "update_person",
]

SORTS = tuple(store.PEOPLE_SORTS)


@writes
def create_person(actor: Actor, data: dict) -> str:
    """Create a person and return the uid.

    Raises ``PossibleDuplicates`` (nothing written) when people of the actor's scope look
    like this one and ``data["confirm_duplicate"]`` asks for the check without acknowledging
    them all: the creation form sends '' at first, then the uids of the candidates it showed;
    absent (``None``) or ``True``, nothing is checked (``crm.duplicates_at_save.wanted``).
    """
    require_write(actor)
    props, commune_code = _person_props(actor, data)
    duplicates_at_save.check_person(actor, props, commune_code, data.get("confirm_duplicate"))
    uid = uuid.uuid4().hex
    store.create_person(uid, props, commune_code)
    record_creation(actor, "person", uid, props, commune_code, "Fiche créée")
    return uid


@writes
def update_person(actor: Actor, uid: str, version: int, data: dict) -> int:
    require_write(actor)
    require_access(actor, "person", uid, write=True)
    current = store.get_person(uid, actor.scope.as_params()) or {}
    props, commune_code = _person_props(actor, data, (current.get("commune") or {}).get("code"))
    return save_edit(
        actor,
        "person",
        uid,
        props,
        "Fiche modifiée",
        lambda: store.update_person(uid, version, props, commune_code),
    )


@reads
def get_person(actor: Actor, uid: str) -> dict:
    """A person's record for display; the consultation is written to the audit trail."""
    person = store.get_person(uid, actor.scope.as_params())
    if person is None:
        dedupe.follow_merge(actor, "person", uid)  # a merged-away uid leads to the kept record
        deny(actor, "person", uid)
    audit.record(actor, "view", target_kind="person", target_uid=uid)
    return person


@reads
def person_page(actor: Actor, uid: str) -> dict:
    """What a person's page shows, read in one transaction: ``person`` (the consultation is
    traced), ``history``, ``timeline`` (``crm.interactions.timeline``) and ``events``
    (the events attended, ``crm.events.events_of_person``)."""
    person = get_person(actor, uid)
    return {
        "person": person,
        "history": record_history([uid, *(person.get("merged_uids") or [])]),
        "timeline": interactions.timeline_of_visible(actor, "person", uid),
        "events": events.events_of_person(actor, uid),
    }


@reads
def to_complete(actor: Actor, page: int = 1) -> Page:
    """People of the actor's scope whose legal basis or purpose (law 09-08) is missing,
    newest first: what an officer must complete."""
    number, skip, limit = page_bounds(page)
    rows, total = store.people_to_complete(actor.scope.as_params(), skip, limit)
    return Page(rows, total, number, limit)


@reads
def history(actor: Actor, uid: str) -> list[dict]:
    """Who created and changed the record, and what changed, newest first."""
    require_access(actor, "person", uid)
    return record_history([uid, *dedupe_store.merged_uids("Person", uid)])


@reads
def person_for_edit(actor: Actor, uid: str) -> dict:
    """The record as an edit form shows it (the actor must be allowed to change it)."""
    require_write(actor)
    require_access(actor, "person", uid, write=True)
    person = store.get_person(uid, actor.scope.as_params())
    commune = person.get("commune")
    retain_until = person.get("retain_until")
    return {
        **person,
        "commune": f"{commune['name_fr']} [{commune['code']}]" if commune else "",
        "retain_until": retain_until.to_native() if retain_until else None,
    }


@reads
def search_people(
    actor: Actor,
    text: str = "",
    sort: str = "",
    page: int = 1,
    *,
    territory: str = "",
    theme: str = "",
) -> Page:
    """One page of the people in the actor's scope matching ``text`` (see ``crm.search``).

    ``territory``: a region or province code, or a commune (code or label); ``theme``: a
    code of ``THEMES``. A commune that does not exist gives an empty page saying so
    (``Page.problem``).
    """
    number, skip, limit = page_bounds(page)
    try:
        query = build_query(
            text, sort, store.PEOPLE_SORTS, skip, limit, territory=territory, theme=theme
        )
    except Invalid as refused:
        return Page([], 0, 1, limit, problem=refused.errors.get("commune"))
    scope = actor.scope.as_params()
    # The total ("N personnes") is kept per query and scope until the next write: counting
    # reads the whole scope, the page itself only its first rows.
    counted = dataclasses.replace(query, sort="name", skip=0, limit=0)
    total = versioned_cache.cached(
        "people.total",
        (counted, versioned_cache.scope_key(scope)),
        lambda: search_store.count_people(query, scope),
    )
    rows, total = store.search_people(query, scope, total)
    return Page(rows, total, number, limit)


@writes
def link_to_organisation(actor: Actor, person_uid: str, organisation_uid: str, data: dict) -> str:
    """Record that a person holds (or held) a role in an organisation.

    Both records must be writable by the actor: a function at an organisation of their
    territory makes the person part of it, so linking a person they may only read (or to an
    organisation they may only read) would widen what they can change.
    """
    require_write(actor)
    require_access(actor, "person", person_uid, write=True)
    errors = Errors()
    role = required_text(errors, data, "role", "La fonction")
    since = parse_date(errors, "since", data.get("since"))
    until = parse_date(errors, "until", data.get("until"))
    if since and until:
        errors.check("until", until >= since, "La date de fin précède la date de début.")
    organisation = kinds.access("organisation", organisation_uid, actor.scope.as_params())
    errors.check("organisation", organisation["visible"], "Organisation introuvable.")
    errors.check(
        "organisation",
        not organisation["visible"] or organisation["writable"],
        "Seule l'équipe nationale rattache des personnes à une institution nationale partagée.",
    )
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
    audit.record(
        actor,
        "update",
        target_kind="person",
        target_uid=person_uid,
        summary="Nouvelle fonction : " + role,
        details={"affiliation": {**changes({}, props), "organisation": organisation_uid}},
    )
    return uid


def _person_props(
    actor: Actor, data: dict, current_commune: str | None = None
) -> tuple[dict, str | None]:
    errors = Errors()
    props = {
        "first_name": required_text(errors, data, "first_name", "Le prénom"),
        "last_name": required_text(errors, data, "last_name", "Le nom"),
        "first_name_ar": optional_text(errors, data, "first_name_ar"),
        "last_name_ar": optional_text(errors, data, "last_name_ar"),
        "gender": data.get("gender") or "",
        "age_band": data.get("age_band") or "",
        "languages": choices(errors, "languages", data.get("languages"), LANGUAGES),
        "emails": normalise_emails(errors, "emails", data.get("emails")),
        "phones": normalise_phones(errors, "phones", data.get("phones")),
        "themes": choices(errors, "themes", data.get("themes"), THEMES),
        "notes": optional_text(errors, data, "notes", MAX_NOTES),
        # Law 09-08: never assumed. Left empty, the record is saved flagged "à compléter".
        "legal_basis": data.get("legal_basis") or "",
        "purpose": optional_text(errors, data, "purpose", 500),
        "source": optional_text(errors, data, "source", 500),
        "retain_until": parse_date(errors, "retain_until", data.get("retain_until")),
    }
    errors.check("gender", props["gender"] in GENDERS, "Valeur inconnue.")
    errors.check("age_band", props["age_band"] in AGE_BANDS, "Valeur inconnue.")
    errors.check(
        "legal_basis",
        not props["legal_basis"] or props["legal_basis"] in LEGAL_BASES,
        "Base légale inconnue.",
    )
    props["privacy_incomplete"] = not (props["legal_basis"] and props["purpose"])
    commune_code, problem = resolve_commune(data.get("commune") or "")
    errors.check("commune", problem is None, problem or "")
    if problem is None and not actor.scope.national:
        errors.check(
            "commune",
            commune_code is not None,
            "Indiquez la commune de rattachement, dans votre territoire.",
        )
        errors.check(
            "commune",
            commune_code in (None, current_commune) or actor.scope.covers(commune_code),
            "Cette commune est hors de votre territoire.",
        )
    errors.raise_if_any()
    props.update(person_keys(props))  # as ``crm.search.reindex`` recomputes them
    return props, commune_code
