"""Law 09-08 (CNDP): subject access, opposition, anonymisation and retention of personal data."""

from __future__ import annotations

from datetime import date

from crm import audit
from crm.access import Actor, require_role
from crm.errors import Forbidden, Invalid, NotFound
from graph import contacts
from graph import privacy as store

__all__ = ["anonymise", "apply_retention", "set_opposition", "subject_access"]

# Who handles data-protection requests.
_PRIVACY_ROLES = ("admin", "manager", "officer")


def subject_access(actor: Actor, uid: str) -> dict:
    """Everything held on one person (law 09-08, right of access), as plain data."""
    _require_visible(actor, uid)
    require_role(actor, *_PRIVACY_ROLES)
    record = store.subject_record(uid)
    if record is None:
        raise NotFound(uid)
    audit.record(
        actor,
        "privacy",
        target_kind="person",
        target_uid=uid,
        summary="Export du droit d'accès",
    )
    return record


def set_opposition(actor: Actor, uid: str, opposed: bool) -> None:
    """The person objects (or no longer objects) to appearing in maps, analyses and exports."""
    access = _require_visible(actor, uid)
    require_role(actor, *_PRIVACY_ROLES)
    if not access["writable"]:
        raise Forbidden("Fiche en lecture seule pour votre rôle.")
    store.set_opposition(uid, opposed)
    audit.record(
        actor,
        "privacy",
        target_kind="person",
        target_uid=uid,
        summary="Opposition enregistrée" if opposed else "Opposition levée",
    )


CONFIRMATION = "ANONYMISER"


def anonymise(actor: Actor, uid: str, confirmation: str) -> None:
    """Remove the person's identity for good, keeping the network's shape.

    ``confirmation`` must be the word ANONYMISER, typed by the user.
    """
    _require_visible(actor, uid)  # before the role check: outside the scope is always 404
    require_role(actor, "admin", "manager")
    if (confirmation or "").strip().upper() != CONFIRMATION:
        raise Invalid({"confirm": "Tapez ANONYMISER pour confirmer : l'opération est définitive."})
    _anonymise(uid)
    audit.record(actor, "privacy", target_kind="person", target_uid=uid, summary="Fiche anonymisée")


def apply_retention(today: date | None = None) -> int:
    """Anonymise every person whose retention date has passed; returns how many."""
    uids = store.expired_people(today or date.today())
    for uid in uids:
        _anonymise(uid)
        audit.record(
            None,
            "privacy",
            target_kind="person",
            target_uid=uid,
            summary="Fiche anonymisée (durée de conservation échue)",
            actor_email="system",
        )
    return len(uids)


def _anonymise(uid: str) -> None:
    if not store.anonymise_person(uid, "anonymisée " + uid[:6]):
        raise NotFound(uid)


def _require_visible(actor: Actor, uid: str) -> dict:
    access = contacts.person_access(uid, actor.scope.as_params())
    if not access["visible"]:
        audit.record(actor, "denied", target_kind="person", target_uid=uid)
        raise NotFound(uid)
    return access
