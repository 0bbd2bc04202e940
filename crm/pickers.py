"""What the record pickers of the forms show (interaction participants; later event
attendance and partnerships): suggestions as the user types, and the records already chosen.

A picker names records by what a user reads — "Karim Oujdi", with "Association Oujda
Jeunesse" as its detail — and posts their uids; no uid is ever part of a name or detail.
Everything is scoped by the actor's access (``graph.scope``): a record the actor cannot see
is neither suggested nor shown as chosen.
"""

from __future__ import annotations

import re

from crm import labels, organisations, people
from crm.access import Actor
from crm.errors import Invalid
from crm.records import deny
from crm.text import clean_text, search_key
from crm.transactions import reads
from graph import kinds

__all__ = [
    "MIN_TYPED",
    "chosen_for_pickers",
    "chosen_records",
    "pick_one",
    "resolve",
    "suggest_records",
    "uid_of",
]

# Fewer letters than this suggest nothing (too many records would match).
MIN_TYPED = 2
SUGGESTIONS = 15

_UID = re.compile(r"^[0-9a-f]{32}$")
_UID_AT_END = re.compile(r"\[([0-9a-f]{32})\]\s*$")


@reads
def suggest_records(actor: Actor, kind: str, text: str, limit: int = SUGGESTIONS) -> list[dict]:
    """The records of ``kind`` ("person" or "organisation") matching ``text`` that the actor
    may see, best first: ``[{uid, name, detail}]`` (``detail``: a person's organisation, an
    organisation's commune; may be empty)."""
    if len(search_key(text)) < MIN_TYPED:
        return []
    if kind == "person":
        rows = people.search_people(actor, text).items[:limit]
        return [_person(row) for row in rows]
    if kind == "organisation":
        rows = organisations.search_organisations(actor, text).items[:limit]
        return [_organisation(row) for row in rows]
    raise kinds.UnknownKind(kind)


@reads
def chosen_records(actor: Actor, kind: str, values: list[str] | None) -> list[dict]:
    """The records a picker shows as chosen: ``[{uid, name}]`` for each of ``values`` (uids,
    or labels ending with ``[uid]``) that names a record the actor may see, in order, once.
    Typed names are left out (the use case resolves them when the form is saved)."""
    return chosen_for_pickers(actor, {"": (kind, values)})[""]


@reads
def chosen_for_pickers(
    actor: Actor, pickers: dict[str, tuple[str, list[str] | None]]
) -> dict[str, list[dict]]:
    """``chosen_records`` for several pickers of a form at once (``{field: (kind, values)}``
    → ``{field: [{uid, name}]}``), in one round trip."""
    wanted = {field: (kind, _uids(values)) for field, (kind, values) in pickers.items()}
    names = kinds.visible_names(
        [(kind, uid) for kind, uids in wanted.values() for uid in uids],
        actor.scope.as_params(),
    )
    return {
        field: [{"uid": uid, "name": names[(kind, uid)]} for uid in uids if (kind, uid) in names]
        for field, (kind, uids) in wanted.items()
    }


def _uids(values: list[str] | None) -> list[str]:
    uids: list[str] = []
    for value in values or []:
        uid = uid_of(value)
        if uid and uid not in uids:
            uids.append(uid)
    return uids


@reads
def resolve(actor: Actor, kind: str, text: str) -> tuple[str | None, str | None]:
    """``(uid, None)`` for the visible record a picker value names — its uid, a label ending
    with ``[uid]``, or a name typed in full (without JavaScript) that one record bears — or
    ``(None, French message)``. A uid of a record outside the actor's scope is a refusal
    (traced, NotFound), as if the record did not exist."""
    record_kind = kinds.record_kind(kind)
    named = uid_of(text)
    if named:
        found = kinds.access(kind, named, actor.scope.as_params())
        if found["exists"] and not found["visible"]:
            deny(actor, kind, named)
        if found["visible"]:
            return named, None
    exact = _exact_matches(actor, kind, text)
    if len(exact) > 1:
        return None, (
            f"Plusieurs {record_kind.plural} portent ce nom : choisissez dans la liste proposée."
        )
    if not exact:
        return None, (
            f"{record_kind.missing} : choisissez dans la liste proposée "
            "(ou créez la fiche d'abord)."
        )
    return exact[0], None


@reads
def pick_one(
    actor: Actor, kind: str, chosen: list[str] | None, typed: str | None, field: str
) -> str:
    """The uid of the one record a single-choice picker names: the record chosen last, else
    the name typed. Invalid (on ``field``) when there is none or it names no single record."""
    values = [v for v in chosen or [] if str(v or "").strip()]
    text = str(values[-1]) if values else clean_text(typed)
    if not text:
        raise Invalid({field: f"Choisissez une {kinds.record_kind(kind).noun} dans la liste."})
    uid, problem = resolve(actor, kind, text)
    if uid is None:
        raise Invalid({field: problem})
    return uid


def _exact_matches(actor: Actor, kind: str, text: str) -> list[str]:
    """Uids of the visible records whose name is exactly ``text`` (any accents, case, order)."""
    key = search_key(text)
    if kind == "person":
        return [
            r["uid"]
            for r in people.search_people(actor, text).items
            if key
            in (
                search_key(r["first_name"], r["last_name"]),
                search_key(r["last_name"], r["first_name"]),
            )
        ]
    if kind == "organisation":
        return [
            r["uid"]
            for r in organisations.search_organisations(actor, text).items
            if key in (search_key(r["name"]), search_key(r["acronym"]))
        ]
    raise kinds.UnknownKind(kind)


def uid_of(value: object) -> str | None:
    """The uid a picker value carries: a plain uid, or a label ending with ``[uid]``."""
    text = str(value or "").strip()
    if _UID.match(text):
        return text
    match = _UID_AT_END.search(text)
    return match.group(1) if match else None


def _person(row: dict) -> dict:
    return {
        "uid": row["uid"],
        # Written as the interaction pages and the journal write it (``kinds`` display).
        "name": labels.person_name(row["first_name"], row["last_name"]),
        "detail": ", ".join(row.get("organisations") or []),
    }


def _organisation(row: dict) -> dict:
    name = row["name"]
    if row.get("acronym") and row["acronym"] != name:
        name = f"{name} ({row['acronym']})"
    return {"uid": row["uid"], "name": name, "detail": row.get("commune_name") or ""}
