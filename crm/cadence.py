"""Losing touch: how long since the last interaction with each tie, against a cadence.

Definitions
    Tie
        A person or organisation the actor works with: one that has at least one interaction
        and is in the actor's own territory (visible without the shared-institution clause,
        so everything for national roles), or that the actor can see and has logged an
        interaction with themselves (a shared national institution becomes an officer's tie
        once they have met it, not because a colleague elsewhere did).
    Last interaction
        The latest date among all interactions with the record, whoever logged them: a tie a
        colleague kept alive is alive.
    Cadence
        The longest acceptable gap, in days, for the kind of actor: "person", or the
        organisation's kind (``graph.vocabulary.ORGANISATION_KINDS``). Managers and
        administrators set it (1 to 365 days); ``DEFAULT_CADENCES`` applies until they do.
    Overdue
        Days since the last interaction minus the cadence; the list shows ties with overdue
        > 0, most overdue first.
"""

from __future__ import annotations

import re
from datetime import date

from crm import audit, clock, versioned_cache
from crm.access import Actor, require_role
from crm.errors import Invalid
from crm.pagination import Page, page_bounds
from crm.transactions import reads, writes
from graph import last_contact, settings
from graph.vocabulary import ORGANISATION_KINDS

__all__ = [
    "CADENCE_KINDS",
    "DEFAULT_CADENCES",
    "MAX_DAYS",
    "MIN_DAYS",
    "cadences",
    "cadences_for_edit",
    "losing_touch",
    "set_cadences",
]

PERSON = "person"
# kind -> French label, for the settings page and the list.
CADENCE_KINDS: dict[str, str] = {PERSON: "Personne", **ORGANISATION_KINDS}
FALLBACK_DAYS = 90
DEFAULT_CADENCES: dict[str, int] = {
    **dict.fromkeys(CADENCE_KINDS, FALLBACK_DAYS),
    "commune_council": 30,
    "osc": 60,
    "cooperative": 60,
    "osc_network": 60,
    "council_body": 60,
    PERSON: 60,
}
MIN_DAYS, MAX_DAYS = 1, 365
_PREFIX = "cadence."
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def cadences(actor: Actor) -> dict[str, int]:
    """The cadence of every kind, in days (stored by a manager, else the default)."""
    stored = settings.get_settings([_PREFIX + kind for kind in CADENCE_KINDS])
    return {kind: stored.get(_PREFIX + kind, DEFAULT_CADENCES[kind]) for kind in CADENCE_KINDS}


@reads
def cadences_for_edit(actor: Actor) -> dict[str, int]:
    """The cadences as the settings form shows them (managers and administrators only)."""
    require_role(actor, "admin", "manager")
    return cadences(actor)


@writes
def set_cadences(actor: Actor, data: dict) -> dict[str, int]:
    """Store the cadences of ``data`` (kind -> days, as typed); managers and administrators.

    Every kind must be given, as a whole number of days from ``MIN_DAYS`` to ``MAX_DAYS``;
    otherwise ``Invalid`` names each wrong field and nothing is stored.
    """
    require_role(actor, "admin", "manager")
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for kind in CADENCE_KINDS:
        days, problem = _days(data.get(kind))
        if problem:
            errors[kind] = problem
        else:
            values[kind] = days
    if errors:
        raise Invalid(errors)
    before = cadences(actor)
    settings.set_settings({_PREFIX + kind: days for kind, days in values.items()}, actor.uid)
    changed = {kind: [before[kind], days] for kind, days in values.items() if before[kind] != days}
    audit.record(
        actor,
        "update",
        target_kind="setting",
        target_uid="cadence",
        summary="Cadences de suivi des relations",
        details={"changes": changed},
    )
    return values


@reads
def losing_touch(actor: Actor, page: int = 1, today: date | None = None) -> Page:
    """The actor's ties past their cadence, most overdue first (see the module docstring).

    Items: ``record`` ("person" or "organisation"), ``kind``, ``kind_label``, ``uid``,
    ``name``, ``commune``, ``last`` (date), ``interactions``, ``days_since``, ``cadence``,
    ``overdue`` (days).
    """
    today = today or clock.today()
    number, skip, limit = page_bounds(page)
    scope = actor.scope.as_params()
    every = cadences(actor)
    # Kept until the next write (any interaction, setting or record change raises the data
    # version): a territory's list walks its records (a national one reads indexes).
    rows, total = versioned_cache.cached(
        "cadence.losing_touch",
        (actor.uid, tuple(sorted(every.items())), today, skip, limit,
         versioned_cache.scope_key(scope)),
        lambda: last_contact.ties_past_cadence(
            actor.uid, every, FALLBACK_DAYS, today, skip, limit, scope
        ),
    )  # fmt: skip
    items = [{**row, "kind_label": CADENCE_KINDS.get(row["kind"], row["kind"])} for row in rows]
    return Page(items, total, number, limit)


def _days(raw: object) -> tuple[int, str | None]:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return 0, "Indiquez un nombre de jours."
    if not _WHOLE_NUMBER.fullmatch(text):
        return 0, "Indiquez un nombre entier de jours (par exemple 30)."
    days = int(text)
    if not MIN_DAYS <= days <= MAX_DAYS:
        return 0, f"La cadence doit être comprise entre {MIN_DAYS} et {MAX_DAYS} jours."
    return days, None
