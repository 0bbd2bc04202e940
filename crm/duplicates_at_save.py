"""The duplicate warning at save time: records like the one being created, before it is written.

Creating a person or an organisation first looks for records of the actor's scope that the
duplicate scoring of ``crm.matching`` pairs with it. Only a few candidates are read: those
sharing a phone number or an e-mail address, a family name (name skeleton), a first name and
the start of the family name, the Arabic name, the significant words of an organisation's
name or its acronym (the blocking keys of ``crm.dedupe``, looked up in the full-text index by
``graph.dedupe.people_resembling``), never the whole scope. Each is tested with the scope's
visibility predicate, so the warning never reveals a record the actor cannot see.

The check is part of the form's protocol: the creation forms always send the hidden field
``confirm_duplicate`` (empty at first), and only a creation that carries it is checked
(``wanted``); imports, scripts and requests that do not come from the form are not.

The threshold is lower than the review of duplicates (``crm.dedupe.MIN_SCORE``): at save time
a false alarm costs one click, a missed duplicate a merge later. The use case raises
``PossibleDuplicates`` with the candidates; the user opens one, or submits again with their
uids in ``confirm_duplicate`` ("créer quand même"). A candidate they were not shown (the name
was changed since, or someone else saved a similar record meanwhile) is warned about again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from crm.access import Actor
from crm.errors import PossibleDuplicates
from crm.matching import (
    ORGANISATION_WEIGHTS,
    PERSON_WEIGHTS,
    OrganisationProfile,
    PersonProfile,
    Score,
    score_organisation_profiles,
    score_person_profiles,
)
from crm.text import search_key
from graph import dedupe as store
from graph.search import lucene_alternatives
from graph.vocabulary import ORGANISATION_KINDS

__all__ = [
    "MAX_SHOWN",
    "WARN_ORGANISATION",
    "WARN_PERSON",
    "check_organisation",
    "check_person",
    "similar_organisations",
    "similar_people",
    "wanted",
]

WARN_PERSON = 40  # e.g. "nom proche" (30) in the same commune (10)
WARN_ORGANISATION = 35  # e.g. "même sigle" (20) in the same commune (15)
MAX_SHOWN = 5  # candidates shown, best first
LOOKUP_LIMIT = 50  # full-text matches read and scored

_UID = re.compile(r"[0-9a-f]{32}")
_COMPOUND_SEPARATORS = re.compile(r"[\s\-]+")

Group = list[tuple[str, str, bool]]


def wanted(confirmed: object) -> bool:
    """Whether a creation with ``confirm_duplicate`` = ``confirmed`` is checked at all.

    ``None`` (absent): no — the caller does not take part in the warning (imports, scripts,
    a request that does not come from the form). ``True``: no — create anyway, whatever is
    found. A text (the form's hidden field: '' on a first submission, then the uids of the
    candidates shown) or a list of uids: yes, those uids being acknowledged.
    """
    return confirmed is not None and confirmed is not True


def check_person(
    actor: Actor, props: dict, commune_code: str | None, confirmed: object = None
) -> None:
    """Raise ``PossibleDuplicates`` if people of the scope look like ``props`` (a person as
    ``crm.people`` is about to write it) and ``confirmed`` does not acknowledge them all
    (see ``wanted``: nothing is looked up when the check is not wanted)."""
    if wanted(confirmed):
        _check("person", similar_people(actor, props, commune_code), confirmed)


def check_organisation(
    actor: Actor, props: dict, commune_code: str | None, confirmed: object = None
) -> None:
    """Raise ``PossibleDuplicates`` if organisations of the scope look like ``props``."""
    if wanted(confirmed):
        _check("organisation", similar_organisations(actor, props, commune_code), confirmed)


def similar_people(actor: Actor, props: dict, commune_code: str | None) -> list[dict]:
    """People of the actor's scope that look like ``props``, best first (``MAX_SHOWN``).

    Items: ``uid``, ``kind`` ('person'), ``name``, ``commune``, ``organisations`` (current
    functions, visible ones), ``score`` and ``reasons`` (French, from ``crm.matching``).
    """
    record = {**props, "commune": commune_code or ""}
    new = PersonProfile.of(record)
    rows = store.people_resembling(
        lucene_alternatives(_person_groups(new)), actor.scope.as_params(), LOOKUP_LIMIT
    )
    return _ranked(rows, WARN_PERSON, lambda row: _person_score(record, row), _person_view)


def similar_organisations(actor: Actor, props: dict, commune_code: str | None) -> list[dict]:
    """Organisations of the actor's scope that look like ``props``, best first.

    Items: ``uid``, ``kind`` ('organisation'), ``name``, ``commune``, ``type`` (the kind's
    label), ``score`` and ``reasons``.
    """
    new = OrganisationProfile.of({**props, "commune": commune_code or ""})
    groups = _organisation_groups(new, props)
    rows = store.organisations_resembling(
        lucene_alternatives(groups), actor.scope.as_params(), LOOKUP_LIMIT
    )

    def score(row: dict) -> Score:
        return score_organisation_profiles(new, OrganisationProfile.of(_with_commune(row)))

    return _ranked(rows, WARN_ORGANISATION, score, _organisation_view)


# --- helpers -----------------------------------------------------------------------------------


def _check(kind: str, candidates: list[dict], confirmed: object) -> None:
    if not candidates:
        return
    acknowledged = _acknowledged(confirmed)
    if any(candidate["uid"] not in acknowledged for candidate in candidates):
        raise PossibleDuplicates(kind, candidates)


def _acknowledged(confirmed: object) -> set[str]:
    """The uids a confirmation names (a form's hidden field holds them separated by spaces)."""
    if isinstance(confirmed, str):
        return set(_UID.findall(confirmed))
    if isinstance(confirmed, list | tuple | set | frozenset):
        return {uid for uid in confirmed if isinstance(uid, str)}
    return set()


def _ranked(
    rows: Iterable[dict],
    threshold: int,
    score: Callable[[dict], Score],
    view: Callable[[dict, Score], dict],
) -> list[dict]:
    found = []
    for row in rows:
        result = score(row)
        if result.points >= threshold:
            found.append(view(row, result))
    found.sort(key=lambda c: (-c["score"], c["name"], c["uid"]))
    return found[:MAX_SHOWN]


def _person_groups(new: PersonProfile) -> list[Group]:
    """What a similar person shares with ``new``: one lookup per blocking key."""
    groups: list[Group] = [[("search_key", re.sub(r"\D", "", p), False)] for p in new.phones]
    groups += [[("search_key", email, False)] for email in new.emails]
    groups.append([("name_key", word, False) for word in new.last_key.split()])
    last_words = new.last.split()
    if new.first_key and last_words:
        start = max(last_words, key=len)[:3]  # the family name misspelt: its start
        groups.append(
            [*(("name_key", word, False) for word in new.first_key.split()),
             ("search_key", start, True)]
        )  # fmt: skip
    if new.arabic:
        groups.append([("name_key", word, False) for word in new.arabic.split()])
    return groups


def _person_score(record: dict, row: dict) -> Score:
    """The scoring of ``crm.matching``, also with compound first names written as one word
    (Fatima Zahra = Fatimazahra = Fatima-Zahra), the higher of the two."""
    candidate = _with_commune(row)
    plain = score_person_profiles(PersonProfile.of(record), PersonProfile.of(candidate))
    joined = score_person_profiles(
        PersonProfile.of(_first_name_joined(record)),
        PersonProfile.of(_first_name_joined(candidate)),
    )
    return joined if joined.points > plain.points else plain


def _first_name_joined(record: dict) -> dict:
    first = search_key(record.get("first_name"))
    return {**record, "first_name": _COMPOUND_SEPARATORS.sub("", first)}


def _organisation_groups(new: OrganisationProfile, props: dict) -> list[Group]:
    groups: list[Group] = []
    if new.phone:
        groups.append([("search_key", re.sub(r"\D", "", new.phone), False)])
    if new.email:
        groups.append([("search_key", new.email, False)])
    groups.append([("name_key", word, False) for word in new.core_key.split()])
    # Each significant word, as the blocking of ``crm.dedupe`` does ("Ennour" / "Nour"
    # share "développement"); records sharing more words rank first.
    groups += [[("name_key", word, False)] for word in new.core_key.split() if len(word) >= 4]
    acronym = search_key(props.get("acronym")).split()
    groups.append([("search_key", word, False) for word in acronym])
    if new.arabic:
        groups.append([("name_key", word, False) for word in new.arabic.split()])
    return groups


def _with_commune(row: dict) -> dict:
    return {**row, "commune": row.get("commune") or ""}


def _person_view(row: dict, score: Score) -> dict:
    return {
        "uid": row["uid"],
        "kind": "person",
        "name": f"{row['first_name']} {(row['last_name'] or '').upper()}".strip(),
        "commune": row.get("commune_name") or "",
        "organisations": row.get("organisations") or [],
        "score": score.points,
        "reasons": [r for r in score.reasons if PERSON_WEIGHTS[r] > 0],  # what they share
    }


def _organisation_view(row: dict, score: Score) -> dict:
    acronym = f" ({row['acronym']})" if row.get("acronym") else ""
    return {
        "uid": row["uid"],
        "kind": "organisation",
        "name": f"{row['name']}{acronym}",
        "commune": row.get("commune_name") or "",
        "type": ORGANISATION_KINDS.get(row.get("kind") or "", ""),
        "organisations": [],
        "score": score.points,
        "reasons": [r for r in score.reasons if ORGANISATION_WEIGHTS[r] > 0],
    }
