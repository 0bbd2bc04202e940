"""Duplicate people and organisations: candidate pairs, comparison, merge and dismissal.

Candidates are found without comparing every record with every other: each record the actor
may change is read once, given a few *blocking keys* (a shared phone or e-mail, the same
spelling-independent name, the same family name and initial…), and only records sharing a key
are scored, by the pure functions ``score_people`` and ``score_organisations``. Pairs a user
declared distinct are never proposed again.

A merge keeps everything of both records: the removed record's relationships move to the kept
one (``graph.dedupe.merge_records``), its empty fields fill the kept record's, list fields are
united, and its uid resolves to the kept record afterwards (``follow_merge``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from urllib.parse import urlsplit

from crm import audit
from crm.access import Actor, require_write
from crm.errors import Conflict, Forbidden, Invalid, NotFound
from crm.history import changes
from crm.pagination import Page, page_bounds
from crm.search import organisation_keys, person_keys
from crm.text import name_key, search_key
from graph import contacts
from graph import dedupe as store
from graph.records import StaleVersion

__all__ = [
    "KINDS",
    "MIN_SCORE",
    "TIE_LABELS",
    "Combination",
    "Merged",
    "Score",
    "candidate_pairs",
    "combine_records",
    "compare",
    "dismiss",
    "follow_merge",
    "merge",
    "score_organisations",
    "score_people",
]

KINDS = {"person": "Person", "organisation": "Organisation"}
MIN_SCORE = 50  # pairs scoring less are not proposed
MAX_BLOCK = 50  # records sharing a key beyond this (a switchboard number…) say nothing

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


@dataclass(frozen=True)
class Score:
    """How likely two records are the same, 0–100, and why (French, for the review screen)."""

    points: int
    reasons: tuple[str, ...] = ()


# --- scoring (pure) ----------------------------------------------------------------------------

# People. Name evidence: only the strongest of the first five applies.
PERSON_WEIGHTS = {
    "même nom": 60,  # same first and last name, up to case and accents
    "même nom (translittération)": 55,  # same name_key: Mohamed/Mohammed, El Alami/Alami…
    "même nom (prénom et nom inversés)": 50,
    "même nom, prénom abrégé": 35,  # "M. Alami" and "Mohamed Alami"
    "nom proche": 30,  # same family name and first name ≥ 75 % alike, or the reverse ≥ 85 %
    "même nom en arabe": 40,  # full Arabic names equal once folded (alef, yaa, taa marbuta…)
    "noms en arabe différents": -15,  # both written in full, and different
    "même téléphone": 45,
    "même e-mail": 45,
    "même commune": 10,
    "genres différents": -30,
}

# Organisations. Name evidence: only the strongest of the first four applies.
ORGANISATION_WEIGHTS = {
    "même nom": 60,
    "même nom (translittération)": 55,  # once common words (association, pour, de…) are dropped
    "même nom (mots dans un autre ordre)": 50,
    "nom proche": 35,  # ≥ 80 % of the significant words alike (Nour / Ennour)
    "même nom en arabe": 25,  # mostly confirms the Latin name: weighs less than for people
    "même sigle": 20,
    "même téléphone": 40,
    "même e-mail": 45,
    "même site web": 35,
    "même commune": 15,
    "communes différentes": -40,  # "Association Nour" of Oujda and of Agadir are two
    "types différents": -10,
}

_ORGANISATION_STOPWORDS = frozenset(
    "association associations asso assoc cooperative coop reseau de du des la le les l d "
    "pour et au aux en a sur جمعيه تعاونيه شبكه لل و في".split()
)
_INITIAL = re.compile(r"^\w$")


def score_people(a: dict, b: dict) -> Score:
    """Score two people (dicts with ``first_name``, ``last_name``, ``first_name_ar``,
    ``last_name_ar``, ``gender``, ``phones``, ``emails``, ``commune`` code).

    Points (``PERSON_WEIGHTS``): the strongest name evidence among "même nom" 60,
    "même nom (translittération)" 55, "prénom et nom inversés" 50, "prénom abrégé" 35,
    "nom proche" 30; then Arabic name +40 (or −15 when both are complete and differ), shared
    phone +45, shared e-mail +45, same commune +10, different genders −30. The total is kept
    within 0–100; pairs from ``MIN_SCORE`` (50) are proposed.

    >>> score_people({"first_name": "Mohamed", "last_name": "Alami"},
    ...              {"first_name": "Mohammed", "last_name": "El Alami"}).points
    55
    """
    return _score_people(_PersonProfile.of(a), _PersonProfile.of(b))


def score_organisations(a: dict, b: dict) -> Score:
    """Score two organisations (dicts with ``name``, ``name_ar``, ``acronym``, ``kind``,
    ``phone``, ``email``, ``website``, ``commune`` code).

    Points (``ORGANISATION_WEIGHTS``): the strongest name evidence among "même nom" 60,
    "translittération" 55 (names compared without common words such as "association",
    "pour", "de"), "mots dans un autre ordre" 50, "nom proche" 35; then Arabic name +25,
    acronym +20, phone +40, e-mail +45, website +35, same commune +15 or different communes
    −40, different kinds −10; kept within 0–100, proposed from ``MIN_SCORE`` (50).
    """
    return _score_organisations(_OrganisationProfile.of(a), _OrganisationProfile.of(b))


@dataclass(frozen=True)
class _PersonProfile:
    first: str
    last: str
    first_key: str
    last_key: str
    full_key: str
    arabic: str  # name_key of the full Arabic name, '' unless both parts are written
    gender: str
    phones: frozenset[str]
    emails: frozenset[str]
    commune: str

    @classmethod
    def of(cls, r: dict) -> _PersonProfile:
        first_ar, last_ar = r.get("first_name_ar"), r.get("last_name_ar")
        return cls(
            first=search_key(r.get("first_name")),
            last=search_key(r.get("last_name")),
            first_key=name_key(r.get("first_name")),
            last_key=name_key(r.get("last_name")),
            full_key=name_key(r.get("first_name"), r.get("last_name")),
            arabic=name_key(first_ar, last_ar) if first_ar and last_ar else "",
            gender=r.get("gender") or "",
            phones=frozenset(r.get("phones") or ()),
            emails=frozenset(e.lower() for e in r.get("emails") or ()),
            commune=r.get("commune") or "",
        )

    def blocks(self) -> set[str]:
        keys = {"tel:" + p for p in self.phones} | {"mail:" + e for e in self.emails}
        if self.full_key:
            keys.add("nom:" + " ".join(sorted(self.full_key.split())))
        if self.arabic:
            keys.add("ar:" + self.arabic)
        if self.last_key and self.first:
            keys.add(f"fam:{self.last_key}|{self.first[0]}")
        if self.first_key and self.last:
            keys.add(f"pre:{self.first_key}|{self.last[:3]}")
        return keys


def _score_people(a: _PersonProfile, b: _PersonProfile) -> Score:
    reasons = []
    if a.last and (a.first, a.last) == (b.first, b.last):
        reasons.append("même nom")
    elif a.full_key and a.full_key == b.full_key:
        reasons.append("même nom (translittération)")
    elif a.full_key and sorted(a.full_key.split()) == sorted(b.full_key.split()):
        reasons.append("même nom (prénom et nom inversés)")
    elif a.last_key and a.last_key == b.last_key and _abbreviated(a.first, b.first):
        reasons.append("même nom, prénom abrégé")
    elif (a.last_key and a.last_key == b.last_key and _alike(a.first, b.first) >= 0.75) or (
        a.first_key and a.first_key == b.first_key and _alike(a.last, b.last) >= 0.85
    ):
        reasons.append("nom proche")
    if a.arabic and b.arabic:
        reasons.append("même nom en arabe" if a.arabic == b.arabic else "noms en arabe différents")
    if a.phones & b.phones:
        reasons.append("même téléphone")
    if a.emails & b.emails:
        reasons.append("même e-mail")
    if a.commune and a.commune == b.commune:
        reasons.append("même commune")
    if a.gender and b.gender and a.gender != b.gender:
        reasons.append("genres différents")
    return _total(PERSON_WEIGHTS, reasons)


@dataclass(frozen=True)
class _OrganisationProfile:
    name: str
    words: tuple[str, ...]  # significant words (search keys), in order
    core_key: str  # name_key of the significant words
    arabic: str
    acronym: str
    kind: str
    phone: str
    email: str
    website: str  # host, without "www."
    commune: str

    @classmethod
    def of(cls, r: dict) -> _OrganisationProfile:
        words = tuple(
            w for w in search_key(r.get("name")).split() if w not in _ORGANISATION_STOPWORDS
        )
        arabic = [
            w for w in search_key(r.get("name_ar")).split() if w not in _ORGANISATION_STOPWORDS
        ]
        host = urlsplit(r.get("website") or "").hostname or ""
        return cls(
            name=search_key(r.get("name")),
            words=words,
            core_key=name_key(*words),
            arabic=name_key(*arabic),
            acronym=search_key(r.get("acronym")).replace(" ", ""),
            kind=r.get("kind") or "",
            phone=r.get("phone") or "",
            email=(r.get("email") or "").lower(),
            website=host.removeprefix("www."),
            commune=r.get("commune") or "",
        )

    def blocks(self) -> set[str]:
        keys = {
            prefix + value
            for prefix, value in (("tel:", self.phone), ("mail:", self.email),
                                  ("web:", self.website), ("ar:", self.arabic))
            if value
        }  # fmt: skip
        if self.core_key:
            keys.add("nom:" + " ".join(sorted(self.core_key.split())))
            keys.update("mot:" + w for w in self.core_key.split() if len(w) >= 4)
        if self.acronym:
            keys.add(f"sigle:{self.acronym}|{self.commune}")
        return keys


def _score_organisations(a: _OrganisationProfile, b: _OrganisationProfile) -> Score:
    reasons = []
    if a.name and a.name == b.name:
        reasons.append("même nom")
    elif a.core_key and a.core_key == b.core_key:
        reasons.append("même nom (translittération)")
    elif a.core_key and sorted(a.core_key.split()) == sorted(b.core_key.split()):
        reasons.append("même nom (mots dans un autre ordre)")
    elif _word_overlap(a.words, b.words) >= 0.8:
        reasons.append("nom proche")
    for reason, x, y in (
        ("même nom en arabe", a.arabic, b.arabic),
        ("même sigle", a.acronym, b.acronym),
        ("même téléphone", a.phone, b.phone),
        ("même e-mail", a.email, b.email),
        ("même site web", a.website, b.website),
    ):
        if x and x == y:
            reasons.append(reason)
    if a.commune and b.commune:
        reasons.append("même commune" if a.commune == b.commune else "communes différentes")
    if a.kind and b.kind and a.kind != b.kind:
        reasons.append("types différents")
    return _total(ORGANISATION_WEIGHTS, reasons)


def _total(weights: dict[str, int], reasons: list[str]) -> Score:
    return Score(max(0, min(100, sum(weights[r] for r in reasons))), tuple(reasons))


def _alike(x: str, y: str) -> float:
    return SequenceMatcher(None, x, y).ratio() if x and y else 0.0


def _abbreviated(x: str, y: str) -> bool:
    """One first name is the other's initial ("m" and "mohamed")."""
    return (
        x != y
        and bool(x and y)
        and ((_INITIAL.match(x) and y.startswith(x)) or (_INITIAL.match(y) and x.startswith(y)))
    )


def _word_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Dice coefficient over words, a word matching the same name_key or ≥ 80 % alike."""
    if not a or not b:
        return 0.0
    unmatched = list(b)
    matched = 0
    for word in a:
        for other in unmatched:
            if name_key(word) == name_key(other) or _alike(word, other) >= 0.8:
                unmatched.remove(other)
                matched += 1
                break
    return 2 * matched / (len(a) + len(b))


# --- merging records (pure) --------------------------------------------------------------------

# Technical fields a merge never copies (the graph keeps merged_uids itself).
_TECHNICAL = frozenset(
    {"uid", "version", "created_at", "updated_at", "_lock", "search_key", "name_key", "merged_uids"}
)
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
    if kind == "organisation" and kept.get("seed_key") and removed.get("seed_key"):
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
    keys = person_keys if kind == "person" else organisation_keys
    props.update(keys({**kept, **props}))  # as crm.people / crm.organisations write them
    return Combination(props, not_kept)


# --- use cases ---------------------------------------------------------------------------------


def candidate_pairs(actor: Actor, kind: str, page: int = 1) -> Page:
    """Likely duplicates among the records the actor may change, best first.

    Items: ``{'a', 'b', 'score', 'reasons'}``, ``a`` and ``b`` being the two records (uid,
    names, commune…), ``a['uid'] < b['uid']``.
    """
    require_write(actor)
    label = _label(kind)
    scope = actor.scope.as_params()
    if label == "Person":
        records, profile, scorer = store.people_for_matching(scope), _PersonProfile, _score_people
    else:
        records = store.organisations_for_matching(scope)
        profile, scorer = _OrganisationProfile, _score_organisations
    profiles = [profile.of(r) for r in records]
    pairs = []
    for i, j in _blocked_pairs(p.blocks() for p in profiles):
        a, b = records[i], records[j]
        if b["uid"] in a["dismissed"] or (a.get("seed_key") and b.get("seed_key")):
            continue
        score = scorer(profiles[i], profiles[j])
        if score.points >= MIN_SCORE:
            a, b = (a, b) if a["uid"] < b["uid"] else (b, a)
            pairs.append({"a": a, "b": b, "score": score.points, "reasons": score.reasons})
    pairs.sort(key=lambda p: (-p["score"], _name(kind, p["a"]), p["a"]["uid"], p["b"]["uid"]))
    number, skip, limit = page_bounds(page)
    return Page(pairs[skip : skip + limit], len(pairs), number, limit)


def _blocked_pairs(blocks_per_record: Iterable[set[str]]) -> set[tuple[int, int]]:
    """Index pairs of records sharing at least one key (keys held by too many are ignored)."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(blocks_per_record):
        for key in keys:
            members[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for group in members.values():
        if 1 < len(group) <= MAX_BLOCK:
            pairs.update(combinations(group, 2))
    return pairs


def compare(actor: Actor, kind: str, a: str, b: str) -> dict:
    """Two records side by side: ``records`` (as their detail pages read them), ``score`` and
    ``reasons``, ``ties`` (relationship counts by type, per record), ``unsupported`` (types a
    merge would refuse to carry) and ``suggested_keep`` (a uid)."""
    require_write(actor)
    label = _label(kind)
    if a == b:
        raise Invalid({"": SAME_RECORD})
    records = [_writable_record(actor, kind, uid) for uid in (a, b)]
    profile, scorer = (
        (_PersonProfile, _score_people) if label == "Person" else
        (_OrganisationProfile, _score_organisations)
    )  # fmt: skip
    score = scorer(*(profile.of(_matching_view(r)) for r in records))
    ties = [store.tie_counts(label, uid) for uid in (a, b)]
    unknown = sorted({t for counts in ties for t in counts} - {t for t, _ in store.TIE_POLICIES})
    if kind == "person":
        for record in records:
            audit.record(
                actor, "view", target_kind=kind, target_uid=record["uid"],
                summary=_name(kind, record) + " (comparaison de doublons)",
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
    names = {uid: _name(kind, _writable_record(actor, kind, uid)) for uid in pair}
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
        summary=f"Fusion : « {names[removed]} » ({removed}) intégrée à « {names[keep]} »",
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


def dismiss(actor: Actor, kind: str, a: str, b: str) -> None:
    """Record that ``a`` and ``b`` are not duplicates: the pair is not proposed again."""
    require_write(actor)
    label = _label(kind)
    if a == b:
        raise Invalid({"": SAME_RECORD})
    names = {uid: _name(kind, _writable_record(actor, kind, uid)) for uid in (a, b)}
    if not store.dismiss_pair(label, a, b, actor.email):
        raise NotFound(a)
    for uid, other in ((a, b), (b, a)):
        audit.record(
            actor, "update", target_kind=kind, target_uid=uid,
            summary=f"Pas un doublon de « {names[other]} »", details={"not_duplicate_of": other},
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
    scope = actor.scope.as_params()
    if kind == "person":
        access, read = contacts.person_access(uid, scope), contacts.get_person
    else:
        access, read = contacts.organisation_access(uid, scope), contacts.get_organisation
    if not access["visible"]:
        audit.record(actor, "denied", target_kind=kind, target_uid=uid)
        raise NotFound(uid)
    if not access["writable"]:
        raise Forbidden("Vous ne pouvez pas modifier cette fiche : fusion impossible.")
    return read(uid, scope)


def _matching_view(record: dict) -> dict:
    """A detail-page record in the shape the scoring functions read."""
    return {**record, "commune": (record.get("commune") or {}).get("code")}


def _name(kind: str, record: dict) -> str:
    if kind == "person":
        return f"{record.get('first_name', '')} {record.get('last_name', '')}".strip()
    return record.get("name", "")
