"""Use cases about organisations: associations, councils, services, agencies, partners."""

from __future__ import annotations

import uuid

from crm import dedupe, duplicates_at_save, events, interactions, partnerships
from crm.access import Actor, require_write
from crm.errors import Invalid
from crm.history import record_history
from crm.pagination import PER_PAGE, Page, page_bounds
from crm.records import deny, record_creation, require_access, save_edit
from crm.search import build_query, organisation_keys
from crm.territory import commune_label, resolve_commune
from crm.transactions import reads, writes
from crm.validation import (
    MAX_NOTES,
    Errors,
    choices,
    normalise_email,
    normalise_phone,
    normalise_url,
    optional_text,
    required_text,
)
from graph import contacts as store
from graph import dedupe as dedupe_store
from graph.vocabulary import ORGANISATION_KINDS, THEMES

__all__ = [
    "create_organisation",
    "get_organisation",
    "history",
    "organisation_for_edit",
    "organisation_page",
    "search_organisations",
    "update_organisation",
]

SORTS = tuple(store.ORGANISATION_SORTS)


@writes
def create_organisation(actor: Actor, data: dict) -> str:
    """Create an organisation and return the uid.

    Raises ``PossibleDuplicates`` (nothing written) when organisations of the actor's scope
    look like this one (same name or acronym in the commune, same phone or e-mail…) and
    ``data["confirm_duplicate"]`` does not acknowledge them (``crm.duplicates_at_save``).
    """
    require_write(actor)
    props, commune_code = _organisation_props(actor, data, current=None)
    duplicates_at_save.check_organisation(actor, props, commune_code, data.get("confirm_duplicate"))
    uid = uuid.uuid4().hex
    store.create_organisation(uid, props, commune_code)
    record_creation(actor, "organisation", uid, props, commune_code, props["name"])
    return uid


@writes
def update_organisation(actor: Actor, uid: str, version: int, data: dict) -> int:
    require_write(actor)
    current = _require_access(actor, uid, write=True)
    props, commune_code = _organisation_props(actor, data, current=current)
    return save_edit(
        actor,
        "organisation",
        uid,
        props,
        props["name"],
        lambda: store.update_organisation(uid, version, props, commune_code),
    )


@reads
def get_organisation(actor: Actor, uid: str) -> dict:
    organisation = store.get_organisation(uid, actor.scope.as_params())
    if organisation is None:
        dedupe.follow_merge(actor, "organisation", uid)  # a merged-away uid: the kept record
        deny(actor, "organisation", uid)
    return organisation


@reads
def organisation_page(actor: Actor, uid: str) -> dict:
    """What an organisation's page shows, in one transaction: ``organisation``, ``history``,
    ``timeline`` (``crm.interactions.timeline``), ``partnerships`` (rows of
    ``crm.partnerships.partnerships_of``, read with the organisation) and ``events``
    (organised, or attended by people who came for it: ``crm.events.events_of_organisation``).
    """
    organisation = get_organisation(actor, uid)
    return {
        "organisation": organisation,
        "partnerships": [
            partnerships.of_organisation(actor, row) for row in organisation["partnerships"]
        ],
        "history": record_history([uid, *(organisation.get("merged_uids") or [])]),
        "timeline": interactions.timeline_of_visible(actor, "organisation", uid),
        "events": events.events_of_organisation(actor, uid),
    }


@reads
def history(actor: Actor, uid: str) -> list[dict]:
    """Who created and changed the organisation, and what changed, newest first."""
    _require_access(actor, uid, write=False)
    return record_history([uid, *dedupe_store.merged_uids("Organisation", uid)])


@reads
def organisation_for_edit(actor: Actor, uid: str) -> dict:
    """The record as an edit form shows it (the actor must be allowed to change it)."""
    require_write(actor)
    organisation = _require_access(actor, uid, write=True)
    commune = organisation.get("commune")
    return {**organisation, "commune": commune_label(commune) if commune else ""}


@reads
def search_organisations(
    actor: Actor,
    text: str = "",
    kind: str | None = None,
    sort: str = "",
    page: int = 1,
    *,
    territory: str = "",
    theme: str = "",
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the organisations in the actor's scope matching ``text`` (``crm.search``).

    ``kind`` and ``theme`` are codes of ``ORGANISATION_KINDS`` and ``THEMES`` (others are
    ignored); ``territory`` a region or province code, or a commune (code or label). A
    commune that does not exist gives an empty page saying so (``Page.problem``).
    ``per_page``: the list's page size (an export takes the whole list as one page).
    """
    number, skip, limit = page_bounds(page, per_page)
    try:
        query = build_query(
            text,
            sort,
            store.ORGANISATION_SORTS,
            skip,
            limit,
            kind=kind,
            territory=territory,
            theme=theme,
        )
    except Invalid as refused:
        return Page([], 0, 1, limit, problem=refused.errors.get("commune"))
    rows, total = store.search_organisations(query, actor.scope.as_params())
    return Page(rows, total, number, limit)


def _require_access(actor: Actor, uid: str, write: bool) -> dict:
    require_access(actor, "organisation", uid, write=write)
    return store.get_organisation(uid, actor.scope.as_params())


def _organisation_props(actor: Actor, data: dict, current: dict | None) -> tuple[dict, str | None]:
    errors = Errors()
    props = {
        "name": required_text(errors, data, "name", "Le nom"),
        "name_ar": optional_text(errors, data, "name_ar"),
        "acronym": optional_text(errors, data, "acronym", 30),
        "kind": data.get("kind") or "",
        "email": normalise_email(errors, "email", data.get("email")),
        "phone": normalise_phone(errors, "phone", data.get("phone")),
        "website": normalise_url(errors, "website", data.get("website")),
        "social": normalise_url(errors, "social", data.get("social")),
        "themes": choices(errors, "themes", data.get("themes"), THEMES),
        "notes": optional_text(errors, data, "notes", MAX_NOTES),
    }
    # Only national roles decide what is a shared national institution; anyone else keeps
    # the stored value, whatever the form posts.
    if actor.scope.national:
        props["shared"] = bool(data.get("shared"))
    else:
        props["shared"] = bool(current and current.get("shared"))
    errors.check("kind", props["kind"] in ORGANISATION_KINDS, "Choisissez un type d'organisation.")
    commune_code, problem = resolve_commune(data.get("commune") or "")
    errors.check("commune", problem is None, problem or "")
    if problem is None and not actor.scope.national:
        current_code = ((current or {}).get("commune") or {}).get("code")
        errors.check(
            "commune", commune_code is not None, "Indiquez la commune, dans votre territoire."
        )
        errors.check(
            "commune",
            commune_code in (None, current_code) or actor.scope.covers(commune_code),
            "Cette commune est hors de votre territoire.",
        )
    errors.raise_if_any()
    props.update(organisation_keys(props))  # as ``crm.search.reindex`` recomputes them
    return props, commune_code
