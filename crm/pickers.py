"""What the record pickers of the forms show (interaction participants; later event
attendance and partnerships): suggestions as the user types, and the records already chosen.

A picker names records by what a user reads — "Karim Oujdi", with "Association Oujda
Jeunesse" as its detail — and posts their uids; no uid is ever part of a name or detail.
Everything is scoped by the actor's access (``graph.scope``): a record the actor cannot see
is neither suggested nor shown as chosen.
"""

from __future__ import annotations

import re

from crm import organisations, people
from crm.access import Actor
from crm.text import search_key
from crm.transactions import reads
from graph import kinds

__all__ = ["MIN_TYPED", "chosen_records", "suggest_records", "uid_of"]

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
    scope = actor.scope.as_params()
    uids: list[str] = []
    for value in values or []:
        uid = uid_of(value)
        if uid and uid not in uids and kinds.access(kind, uid, scope)["visible"]:
            uids.append(uid)
    names = kinds.display_names([(kind, uid) for uid in uids])
    return [{"uid": uid, "name": names[(kind, uid)]} for uid in uids if (kind, uid) in names]


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
        "name": f"{row['first_name'] or ''} {row['last_name'] or ''}".strip(),
        "detail": ", ".join(row.get("organisations") or []),
    }


def _organisation(row: dict) -> dict:
    name = row["name"]
    if row.get("acronym") and row["acronym"] != name:
        name = f"{name} ({row['acronym']})"
    return {"uid": row["uid"], "name": name, "detail": row.get("commune_name") or ""}
