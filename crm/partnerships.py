"""Partnerships between organisations: conventions, memoranda of understanding, subsidies,
joint projects, network memberships, with their dates and status.

Who sees and changes one (``graph.partnerships`` says it in Cypher terms):

- a partnership is visible when at least one of its two organisations is; its other
  organisation is named only when it is visible too ("une organisation hors de votre
  périmètre" otherwise);
- it may be created or changed by a writing role that may change one of the two
  organisations and see the other (``writable_between``): an officer links an association of
  their territory with INDH (a shared national institution they only read), never two
  organisations they may only read, nor one of theirs with one they cannot see.

Every change is audited under ``target_kind`` "partnership" (the partnership's uid), so its
page shows its history; the audit text names the kind only (titles stay in the details).
"""

from __future__ import annotations

import uuid
from datetime import date

from crm import audit, labels
from crm.access import Actor, require_write
from crm.errors import Conflict, Forbidden, Invalid, NotFound
from crm.history import changes, record_history
from crm.records import STALE_EDIT, deny, require_access
from crm.transactions import reads, writes
from crm.validation import Errors, parse_date, required_text
from graph import kinds
from graph import partnerships as store
from graph.records import StaleVersion
from graph.vocabulary import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES

__all__ = [
    "KIND",
    "MAX_TITLE",
    "create_partnership",
    "get_partnership",
    "labelled",
    "partnership_for_edit",
    "partnership_form",
    "partnership_page",
    "partnerships_of",
    "partnerships_of_commune",
    "update_partnership",
    "writable_between",
]

KIND = "partnership"  # target_kind in the audit trail
MAX_TITLE = 200
NEITHER_WRITABLE = (
    "Vous ne pouvez modifier aucune des deux organisations (institution nationale partagée "
    "ou autre territoire) : demandez à l'équipe nationale d'enregistrer ce partenariat."
)
READ_ONLY = "Ce partenariat ne relie aucune organisation que vous pouvez modifier."


def writable_between(first: dict, second: dict) -> bool:
    """The rule: a partnership may be changed by whoever may change one of its organisations
    and see the other (each end: ``{"visible": bool, "writable": bool}``).

    >>> commune_osc = {"visible": True, "writable": True}
    >>> indh = {"visible": True, "writable": False}  # shared: read only
    >>> writable_between(commune_osc, indh), writable_between(indh, indh)
    (True, False)
    """
    return bool(
        (first.get("writable") and second.get("visible"))
        or (second.get("writable") and first.get("visible"))
    )


@writes
def create_partnership(actor: Actor, data: dict) -> str:
    """Record a partnership between ``data["organisation"]`` (the page it is added from) and
    ``data["partner"]`` (uid chosen in the record picker), and return its uid.

    ``data`` also holds ``kind``, ``title``, ``since``, ``until``, ``status``. Invalid (French
    messages on the fields) for bad input, a self-partnership, or when the actor may change
    neither organisation; NotFound (traced) when they cannot see one of them; Conflict when
    the same partnership (same organisations, kind and title, overlapping dates) exists.
    """
    require_write(actor)
    organisation_uid = str(data.get("organisation") or "")
    partner_uid = str(data.get("partner") or "")
    first = require_access(actor, "organisation", organisation_uid)
    errors = Errors()
    props = _props(errors, data)
    errors.check("partner", bool(partner_uid), "Choisissez l'organisation partenaire.")
    errors.check(
        "partner",
        partner_uid != organisation_uid,
        "Une organisation ne peut pas être partenaire d'elle-même : choisissez une autre "
        "organisation.",
    )
    errors.raise_if_any()
    second = require_access(actor, "organisation", partner_uid)
    if not writable_between(first, second):
        raise Invalid({"partner": NEITHER_WRITABLE})
    _refuse_duplicate(organisation_uid, partner_uid, props)
    uid = uuid.uuid4().hex
    if not store.create_partnership(uid, organisation_uid, partner_uid, props):
        raise NotFound(partner_uid)
    audit.record(
        actor,
        "create",
        target_kind=KIND,
        target_uid=uid,
        summary=_summary(props),
        details={
            "after": changes({}, props),
            "organisations": [organisation_uid, partner_uid],
        },
    )
    return uid


@writes
def update_partnership(actor: Actor, uid: str, version: int, data: dict) -> int:
    """Change a partnership's kind, title, dates and status if it is still at ``version``
    (Conflict carrying it as it is now otherwise); returns the new version."""
    current = _editable(actor, uid)
    errors = Errors()
    props = _props(errors, data)
    errors.raise_if_any()
    _refuse_duplicate(current["first"]["uid"], current["second"]["uid"], props, exclude=uid)
    try:
        result = store.update_partnership(uid, version, props)
    except StaleVersion as stale:
        raise Conflict(STALE_EDIT, current=labelled(stale.current)) from None
    if result is None:
        raise NotFound(uid)
    new_version, before = result
    audit.record(
        actor,
        "update",
        target_kind=KIND,
        target_uid=uid,
        summary=_summary(props),
        details={"changes": changes(before, props)},
    )
    return new_version


@reads
def get_partnership(actor: Actor, uid: str) -> dict:
    """One partnership as its page shows it (``labelled``), with ``first`` and ``second``
    (its organisations, unnamed when outside the scope) and ``can_edit``. NotFound (traced)
    when neither organisation is visible."""
    found = store.get_partnership(uid, actor.scope.as_params())
    if found is None:
        deny(actor, KIND, uid)
    return {
        **labelled(found),
        "can_edit": actor.can_write and writable_between(found["first"], found["second"]),
    }


@reads
def partnership_page(actor: Actor, uid: str) -> dict:
    """What a partnership's page shows: ``partnership`` and its ``history``."""
    partnership = get_partnership(actor, uid)
    return {"partnership": partnership, "history": record_history([uid])}


@reads
def partnership_for_edit(actor: Actor, uid: str) -> dict:
    """The partnership as its edit form shows it (dates as dates); the actor must be allowed
    to change it."""
    current = _editable(actor, uid)
    return {
        **labelled(current),
        "since": _native(current["since"]),
        "until": _native(current["until"]),
    }


@reads
def partnership_form(actor: Actor, organisation_uid: str) -> dict:
    """What the "new partnership" form of an organisation's page needs: the organisation
    (``{uid, name}``); NotFound (traced) when it is not visible."""
    require_write(actor)
    names = kinds.visible_names([("organisation", organisation_uid)], actor.scope.as_params())
    if ("organisation", organisation_uid) not in names:
        deny(actor, "organisation", organisation_uid)
    return {"uid": organisation_uid, "name": names[("organisation", organisation_uid)]}


@reads
def partnerships_of(actor: Actor, organisation_uid: str) -> list[dict]:
    """The partnerships of a visible organisation, both directions, current ones first:
    ``labelled`` rows with ``partner`` (the other organisation; ``name`` None when outside
    the scope) and ``can_edit``."""
    require_access(actor, "organisation", organisation_uid)
    rows = store.partnerships_of_organisation(organisation_uid, actor.scope.as_params())
    return [of_organisation(actor, row) for row in rows]


def of_organisation(actor: Actor, row: dict) -> dict:
    """A row of an organisation's partnerships (``graph.partnerships``) as pages show it."""
    return {
        **labelled(row),
        "can_edit": actor.can_write and writable_between(row["organisation"], row["partner"]),
    }


@reads
def partnerships_of_commune(actor: Actor, code: str) -> list[dict]:
    """The partnerships the actor can see of which one organisation is located in the commune
    ``code`` (for the commune's page): ``labelled`` rows with ``first`` and ``second``. The
    caller has checked the commune exists and may be shown."""
    return [labelled(row) for row in store.partnerships_of_commune(code, actor.scope.as_params())]


def labelled(row: dict) -> dict:
    """A partnership with ``kind_label`` and ``status_label`` (its vocabularies' words)."""
    return {
        **row,
        "kind_label": labels.value_text("kind", row.get("kind"), KIND),
        "status_label": labels.value_text("status", row.get("status"), KIND),
    }


# --- helpers ---------------------------------------------------------------------------------


def _props(errors: Errors, data: dict) -> dict:
    kind = str(data.get("kind") or "")
    status = str(data.get("status") or "")
    props = {
        "kind": kind,
        "title": required_text(errors, data, "title", "L'intitulé", MAX_TITLE),
        "since": parse_date(errors, "since", data.get("since")),
        "until": parse_date(errors, "until", data.get("until")),
        "status": status,
    }
    errors.check("kind", kind in PARTNERSHIP_KINDS, "Choisissez le type de partenariat.")
    errors.check("status", status in PARTNERSHIP_STATUSES, "Choisissez le statut du partenariat.")
    since, until = props["since"], props["until"]
    errors.check(
        "until",
        since is None or until is None or until >= since,
        "La date de fin précède la date de début : corrigez l'une ou l'autre.",
    )
    return props


def _editable(actor: Actor, uid: str) -> dict:
    require_write(actor)
    found = store.get_partnership(uid, actor.scope.as_params())
    if found is None:
        deny(actor, KIND, uid)
    if not writable_between(found["first"], found["second"]):
        raise Forbidden(READ_ONLY)
    return found


def _refuse_duplicate(first: str, second: str, props: dict, exclude: str = "") -> None:
    existing = store.overlapping_partnership(
        first, second, props["kind"], props["title"], props["since"], props["until"], exclude
    )
    if existing:
        raise Conflict(
            "Ce partenariat est déjà enregistré entre ces deux organisations (même type, même "
            "intitulé, périodes qui se chevauchent) : modifiez-le plutôt que d'en créer un autre."
        )


def _summary(props: dict) -> str:
    """How the audit trail names a partnership: its kind (the title is free text)."""
    return "Partenariat : " + PARTNERSHIP_KINDS.get(props.get("kind"), "autre")


def _native(value: object) -> date | None:
    return value.to_native() if hasattr(value, "to_native") else value  # neo4j.time.Date
