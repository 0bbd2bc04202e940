"""Positions over time: ending a function, and the handover of a mandate to a successor.

After an election a commune council gets a new president: the outgoing president's function
ends on the handover date and the successor holds the same role from that date. The
organisation's own ties (partnerships, interactions, events) stay on the organisation, so they
remain visible; its page shows the successor as the current holder and the predecessor as past.
"""

from __future__ import annotations

from datetime import date

from crm import audit, clock
from crm.access import Actor, require_write
from crm.errors import Forbidden, Invalid, NotFound
from crm.records import deny, require_writable
from crm.transactions import reads, writes
from crm.validation import Errors, parse_date
from graph import affiliations as store

__all__ = ["end_function", "get_function", "hand_over"]


@reads
def get_function(actor: Actor, uid: str) -> dict:
    found = store.get_affiliation(uid, actor.scope.as_params())
    if found is None:
        deny(actor, "affiliation", uid)
    return found


@writes
def end_function(actor: Actor, uid: str, until_raw: object, today: date | None = None) -> None:
    function = _writable(actor, uid)
    until = _end_date(function, until_raw, today)
    store.end_affiliation(uid, until)
    audit.record(
        actor,
        "update",
        target_kind="person",
        target_uid=function["person_uid"],
        summary=f"Fin de fonction : {function['role']} ({function['organisation_name']})",
        details={"changes": {"until": [None, until.isoformat()]}},
    )


@writes
def hand_over(
    actor: Actor,
    uid: str,
    successor_uid: str | None,
    on_raw: object,
    focal_point: bool = False,
    today: date | None = None,
) -> str:
    """The holder of function ``uid`` hands it over to ``successor_uid`` on the given date.

    The successor must be a person the actor may change: holding a function in an
    organisation of the actor's territory makes them part of it, so naming someone the actor
    may only read (a person of another region met through a shared national institution)
    would give the actor write access to them.
    """
    function = _writable(actor, uid)
    on = _end_date(function, on_raw, today, field="on")
    errors = Errors()
    errors.check("successor", bool(successor_uid), "Choisissez la personne qui succède.")
    errors.check(
        "successor",
        successor_uid != function["person_uid"],
        "Le successeur doit être une autre personne que le titulaire actuel.",
    )
    errors.raise_if_any()
    require_writable(
        actor,
        "person",
        successor_uid,
        "successor",
        "Cette personne relève d'un autre territoire : vous ne pouvez pas lui confier "
        "une fonction. Demandez à l'équipe nationale ou créez la fiche dans votre territoire.",
    )
    new_uid = store.hand_over(uid, successor_uid, on, focal_point)
    if new_uid is None:
        raise NotFound(uid)
    summary = f"Passation : {function['role']} ({function['organisation_name']}) le {on:%d/%m/%Y}"
    for person in (function["person_uid"], successor_uid):
        audit.record(
            actor,
            "update",
            target_kind="person",
            target_uid=person,
            summary=summary,
            details={"from": function["person_uid"], "to": successor_uid, "function": uid},
        )
    return new_uid


def _writable(actor: Actor, uid: str) -> dict:
    require_write(actor)
    function = get_function(actor, uid)
    if not function["writable"]:
        raise Forbidden("Organisation en lecture seule pour votre rôle.")
    if function["until"] is not None:
        raise Invalid({"": "Cette fonction est déjà terminée."})
    return function


def _end_date(function: dict, raw: object, today: date | None, field: str = "until") -> date:
    errors = Errors()
    value = parse_date(errors, field, raw)
    errors.check(field, value is not None, "Indiquez la date.")
    errors.raise_if_any()
    since = function["since"].to_native() if function["since"] else None
    errors.check(field, since is None or value >= since, "La date précède le début de la fonction.")
    errors.check(
        field, value <= (today or clock.today()), "La date ne peut pas être dans le futur."
    )
    errors.raise_if_any()
    return value
