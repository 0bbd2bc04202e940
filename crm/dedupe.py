"""Duplicate people and organisations: candidate pairs, comparison, merge, dismissal.

Candidates are found without comparing every record with every other: each record the actor
may change is given a few *blocking keys* (a shared phone or e-mail, the same
spelling-independent name, the same family name and initial…), and only records sharing a key
are scored, by the pure functions of ``crm.matching``; ``crm.duplicate_pairs`` keeps them per
scope and updates them after each write from the records that changed. Pairs a user
declared distinct are never proposed again.

A merge keeps everything of both records: the removed record's relationships move to the kept
one (``graph.dedupe.merge_records``), its empty fields fill the kept record's, list fields are
united, and its uid resolves to the kept record afterwards (``follow_merge``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crm import audit, duplicate_pairs, versioned_cache
from crm.access import Actor, require_write
from crm.errors import Conflict, Forbidden, Invalid, NotFound
from crm.history import changes
from crm.matching import (
    OrganisationProfile,
    PersonProfile,
    score_organisation_profiles,
    score_person_profiles,
)
from crm.pagination import Page, page_bounds
from crm.records import require_access
from crm.search import organisation_keys, person_keys
from crm.transactions import reads, writes
from graph import contacts, kinds
from graph import dedupe as store
from graph.records import StaleVersion

__all__ = [
    "KINDS",
    "MIN_SCORE",
    "TIE_LABELS",
    "Combination",
    "Merged",
    "candidate_pairs",
    "combine_records",
    "compare",
    "dismiss",
    "follow_merge",
    "merge",
]

# The kinds whose duplicates are searched and merged (contacts; events are not deduplicated).
KINDS = {code: kinds.KINDS[code].label for code in ("person", "organisation")}
MIN_SCORE = duplicate_pairs.MIN_SCORE  # pairs scoring less are not proposed

SAME_RECORD = (
    "Une fiche ne peut pas être fusionnée avec elle-même : choisissez deux fiches différentes."
)
STALE = (
    "L'une des deux fiches a été modifiée depuis l'affichage de la comparaison : vérifiez "
    "les valeurs actuelles ci-dessous avant de fusionner."
)

# Relationship types as a comparison page names them.
TIE_LABELS = {
    "AFFILIATED_WITH": "Fonctions",
    "WITH": "Interactions",
    "ATTENDED": "Participations à des événements",
    "ORGANISED": "Événements organisés",
    "PARTNERS_WITH": "Partenariats",
    "PART_OF": "Rattachements (instances, conseil)",
    "LOCATED_IN": "Commune",
    "ABOUT": "Suivis",
    "COVERS": "Couverture par un utilisateur",
    "NOT_DUPLICATE_OF": "Paires déjà écartées",
}


class Merged(NotFound):
    """The record was merged into another one (``uid``), which the actor may see."""

    def __init__(self, kind: str, uid: str) -> None:
        super().__init__(uid)
        self.kind = kind
        self.uid = uid


# --- merging records (pure) --------------------------------------------------------------------

# Technical fields a merge never copies (the graph keeps merged_uids itself).
_TECHNICAL = frozenset(
    {"uid", "version", "created_at", "updated_at", "_lock", "search_key", "name_key", "merged_uids",
     "last_contact", "held_interactions", "scope_key"}  # the last three: computed again
)  # fmt: skip
# Flags that stay set if either record has them (an opposition, a shared institution).
_EITHER = frozenset({"opposition", "shared"})


@dataclass(frozen=True)
class Combination:
    """What a merge sets on the kept record, and the removed record's values it does not keep
    (both records had a different value: the kept one wins; they go to the audit trail)."""

    props: dict
    not_kept: dict = field(default_factory=dict)


def combine_records(kind: str, kept: dict, removed: dict) -> Combination:
    """The kept record's new properties: empty fields filled from the removed record, lists
    united (phones, e-mails, themes, languages…), notes put one after the other, the earliest
    creation date and retention date, and an opposition or "shared" flag kept if either has it.

    Raises ``Invalid`` when the pair must not be merged (an anonymised record; two reference
    institutions, which the seeds would recreate).
    """
    if kept.get("anonymised") or removed.get("anonymised"):
        raise Invalid({"": "Une fiche anonymisée ne peut pas être fusionnée."})
    if kept.get("seed_key") and removed.get("seed_key"):  # reference institutions only
        raise Invalid(
            {
                "": "Ces deux organisations sont des institutions de référence distinctes : "
                "elles ne peuvent pas être fusionnées."
            }
        )
    props: dict = {}
    not_kept: dict = {}
    for key, value in removed.items():
        current = kept.get(key)
        if key in _TECHNICAL or value in (None, "", []):
            continue
        if key in _EITHER:
            if value is True and current is not True:
                props[key] = True
        elif isinstance(value, list):
            united = list(dict.fromkeys([*(current or []), *value]))
            if united != list(current or []):
                props[key] = united
        elif current in (None, "", []):
            props[key] = value
        elif key == "notes":
            if value not in current:
                props[key] = current + "\n\n" + value
        elif key == "retain_until":
            if value < current:
                props[key] = value
        elif current != value:
            not_kept[key] = value
    if removed.get("created_at") and kept.get("created_at"):
        if removed["created_at"] < kept["created_at"]:
            props["created_at"] = removed["created_at"]
    props.update(_MATCHING[kind].keys({**kept, **props}))  # as the use cases write them
    return Combination(props, not_kept)


# --- use cases ---------------------------------------------------------------------------------


@reads
def candidate_pairs(actor: Actor, kind: str, page: int = 1) -> Page:
    """Likely duplicates among the records the actor may change, best first.

    Items: ``{'a', 'b', 'score', 'reasons'}``, ``a`` and ``b`` being the two records (uid,
    names, commune…), ``a['uid'] < b['uid']``.
    """
    require_write(actor)
    _label(kind)
    scope = actor.scope.as_params()
    number, skip, limit = page_bounds(page)
    items, total = duplicate_pairs.pairs(
        _PAIRS[kind], scope, versioned_cache.scope_key(scope), skip, limit
    )
    return Page(items, total, number, limit)


@reads
def compare(actor: Actor, kind: str, a: str, b: str) -> dict:
    """Two records side by side: ``records`` (as their detail pages read them), ``score`` and
    ``reasons``, ``ties`` (relationship counts by type, per record), ``unsupported`` (types a
    merge would refuse to carry) and ``suggested_keep`` (a uid)."""
    require_write(actor)
    label = _label(kind)
    if a == b:
        raise Invalid({"": SAME_RECORD})
    records = [_writable_record(actor, kind, uid) for uid in (a, b)]
    matching = _MATCHING[kind]
    score = matching.score(*(matching.profile.of(_matching_view(r)) for r in records))
    ties = [store.tie_counts(label, uid) for uid in (a, b)]
    unknown = sorted({t for counts in ties for t in counts} - {t for t, _ in store.TIE_POLICIES})
    if kinds.record_kind(kind).personal:
        for record in records:
            audit.record(
                actor, "view", target_kind=kind, target_uid=record["uid"],
                summary="Comparaison de doublons",
            )  # fmt: skip
    # Suggest keeping the record that holds more (fewer ties to move), the first one if equal.
    held = [sum(counts.values()) for counts in ties]
    return {
        "kind": kind,
        "records": records,
        "score": score.points,
        "reasons": score.reasons,
        "ties": ties,
        "unsupported": unknown,
        "suggested_keep": b if held[1] > held[0] else a,
    }


@writes
def merge(
    actor: Actor, kind: str, pair: tuple[str, str], keep: str, versions: tuple[int, int]
) -> str:
    """Merge the pair into ``keep`` (one of the two uids) and return its uid.

    ``versions`` are those of ``pair`` as the user saw them: if either changed since, the
    merge is refused (``Conflict``). Both records must be writable by the actor. The merge is
    recorded in the audit trail of the kept record, with both uids and what was filled.
    """
    require_write(actor)
    label = _label(kind)
    if pair[0] == pair[1]:
        raise Invalid({"": SAME_RECORD})
    if keep not in pair:
        raise Invalid({"keep": "Choisissez la fiche à conserver."})
    removed = pair[1] if keep == pair[0] else pair[0]
    for uid in pair:
        _writable_record(actor, kind, uid)
    outcome: dict = {}

    def combine(kept_props: dict, removed_props: dict) -> dict:
        outcome["combination"] = combine_records(kind, kept_props, removed_props)
        outcome["before"] = kept_props
        return outcome["combination"].props

    try:
        result = store.merge_records(
            label, keep, removed, dict(zip(pair, versions, strict=True)), combine
        )
    except StaleVersion as stale:
        raise Conflict(STALE, current=stale.current) from None
    except store.UnknownTies as unknown:
        raise Conflict(
            "La fiche à supprimer porte des liens que la fusion ne sait pas reprendre ("
            + ", ".join(unknown.types)
            + ") : rien n'a été modifié. Signalez-le à l'administrateur."
        ) from None
    if result is None:
        raise NotFound(removed)
    combination = outcome["combination"]
    audit.record(
        actor,
        "merge",
        target_kind=kind,
        target_uid=keep,
        summary="Fusion : une fiche en double intégrée à celle-ci",
        details={
            "kept": keep,
            "removed": removed,
            "changes": changes(
                outcome["before"],
                {k: v for k, v in combination.props.items() if k not in _TECHNICAL},
            ),
            "not_kept": combination.not_kept,
            "moved": result["moved"],
            "collapsed": result["collapsed"],
            "dropped_between": result["between"],
        },
    )
    return keep


@writes
def dismiss(actor: Actor, kind: str, a: str, b: str) -> None:
    """Record that ``a`` and ``b`` are not duplicates: the pair is not proposed again."""
    require_write(actor)
    label = _label(kind)
    if a == b:
        raise Invalid({"": SAME_RECORD})
    for uid in (a, b):
        _writable_record(actor, kind, uid)
    if not store.dismiss_pair(label, a, b, actor.email):
        raise NotFound(a)
    for uid, other in ((a, b), (b, a)):
        audit.record(
            actor, "update", target_kind=kind, target_uid=uid,
            summary="Paire de doublons écartée", details={"not_duplicate_of": other},
        )  # fmt: skip


def follow_merge(actor: Actor, kind: str, uid: str) -> None:
    """Raise ``Merged`` if ``uid`` was merged into a record the actor may see."""
    kept = store.merged_into(_label(kind), uid, actor.scope.as_params())
    if kept:
        raise Merged(kind, kept)


# --- helpers -----------------------------------------------------------------------------------


def _label(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound(kind)
    return KINDS[kind]


def _writable_record(actor: Actor, kind: str, uid: str) -> dict:
    """The record as its detail page reads it; NotFound outside the scope, Forbidden if the
    actor may only read it."""
    found = require_access(actor, kind, uid)
    if not found["writable"]:
        raise Forbidden("Vous ne pouvez pas modifier cette fiche : fusion impossible.")
    return _READ[kind](uid, actor.scope.as_params())


# kind -> how its detail page reads a record.
_READ = {"person": contacts.get_person, "organisation": contacts.get_organisation}


def _matching_view(record: dict) -> dict:
    """A detail-page record in the shape the scoring functions read."""
    return {**record, "commune": (record.get("commune") or {}).get("code")}


def _name(kind: str, record: dict) -> str:
    return _MATCHING[kind].name(record)


@dataclass(frozen=True)
class _Matching:
    """How duplicates of one kind of record are found, scored and keyed."""

    profile: type
    score: Callable
    keys: Callable[[dict], dict[str, str]]
    name: Callable[[dict], str]


_MATCHING = {
    "person": _Matching(
        PersonProfile,
        score_person_profiles,
        person_keys,
        lambda r: f"{r.get('first_name', '')} {r.get('last_name', '')}".strip(),
    ),
    "organisation": _Matching(
        OrganisationProfile,
        score_organisation_profiles,
        organisation_keys,
        lambda r: r.get("name", ""),
    ),
}

# How ``crm.duplicate_pairs`` finds the candidate pairs of each kind.
_PAIRS = {
    kind: duplicate_pairs.Kind(
        label=_label(kind),
        profile=matching.profile.of,
        score=matching.score,
        name=matching.name,
        exclude=lambda a, b: bool(a.get("seed_key") and b.get("seed_key")),
    )
    for kind, matching in _MATCHING.items()
}
