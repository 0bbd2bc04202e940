"""What every kind of record has in common: access checks and refusals, the creation audit
entry, the stale-edit rule. Kinds are those of ``graph.kinds``."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from crm import audit
from crm.access import Actor
from crm.errors import Conflict, Forbidden, Invalid, NotFound
from crm.history import changes
from graph import kinds
from graph.records import StaleVersion

__all__ = [
    "READ_ONLY",
    "STALE_EDIT",
    "deny",
    "record_creation",
    "require_access",
    "require_writable",
    "save_edit",
]

# kind -> why an actor who sees the record may not change it.
READ_ONLY = {
    "person": "Cette fiche relève d'une institution nationale partagée ou d'un autre "
    "territoire : lecture seule pour vous.",
    "organisation": "Cette institution nationale partagée n'est modifiable que par l'équipe "
    "nationale.",
}


def deny(actor: Actor, kind: str, uid: str) -> NoReturn:
    """Outside the scope (or absent): answer 'not found', and keep a trace of the attempt."""
    audit.record(actor, "denied", target_kind=kind, target_uid=uid)
    raise NotFound(uid)


def require_access(actor: Actor, kind: str, uid: str, write: bool = False) -> dict:
    """The record's access flags; NotFound (traced) if the actor cannot see it, Forbidden if
    ``write`` and they may only read it."""
    try:
        found = kinds.access(kind, uid, actor.scope.as_params())
    except kinds.UnknownKind:
        raise NotFound(uid) from None
    if not found["visible"]:
        deny(actor, kind, uid)
    if write and not found["writable"]:
        raise Forbidden(READ_ONLY[kind])
    return found


def require_writable(actor: Actor, kind: str, uid: str, field: str, message: str = "") -> None:
    """A record a use case links or changes besides the one in the URL (a successor, a
    participant, a merge target) must be one the actor may write: ``Invalid`` on ``field``
    otherwise (and NotFound, traced, when they cannot even see it)."""
    found = require_access(actor, kind, uid)
    if not found["writable"]:
        raise Invalid({field: message or READ_ONLY[kind]})


STALE_EDIT = (
    "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous l'éditiez. "
    "Vérifiez sa version actuelle ci-dessous avant d'enregistrer à nouveau."
)


def record_creation(
    actor: Actor, kind: str, uid: str, props: dict, commune_code: str | None, summary: str
) -> None:
    audit.record(
        actor,
        "create",
        target_kind=kind,
        target_uid=uid,
        summary=summary,
        details={"after": changes({}, {**props, "commune": commune_code})},
    )


def save_edit(
    actor: Actor,
    kind: str,
    uid: str,
    props: dict,
    summary: str,
    write: Callable[[], tuple[int, dict] | None],
) -> int:
    """Run ``write`` (a versioned update of ``props``) and record what changed.

    A stale version becomes ``Conflict`` carrying the record as it is now; a vanished record
    ``NotFound``. Returns the new version.
    """
    try:
        result = write()
    except StaleVersion as stale:
        raise Conflict(STALE_EDIT, current=stale.current) from None
    if result is None:
        raise NotFound(uid)
    new_version, before = result
    audit.record(
        actor,
        "update",
        target_kind=kind,
        target_uid=uid,
        summary=summary,
        details={"changes": changes(before, props)},
    )
    return new_version
