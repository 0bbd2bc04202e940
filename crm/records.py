"""What creating and editing any record has in common: the audit entry, the stale-edit rule."""

from __future__ import annotations

from collections.abc import Callable

from crm import audit
from crm.access import Actor
from crm.errors import Conflict, NotFound
from crm.history import changes
from graph.records import StaleVersion

__all__ = ["STALE_EDIT", "record_creation", "save_edit"]

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
