"""Scoring how likely two people (or two organisations) are the same record (pure functions).

The weights are documented next to each rule; ``score_people`` and ``score_organisations`` take
two records as plain dicts, the ``*Profile`` classes precompute what blocking and scoring need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple
from urllib.parse import urlsplit

from rapidfuzz.fuzz import ratio as indel_ratio

from crm.text import name_key, name_text, search_key

__all__ = [
    "ORGANISATION_WEIGHTS",
    "PERSON_WEIGHTS",
    "OrganisationProfile",
    "PersonProfile",
    "Score",
    "score_organisation_profiles",
    "score_organisations",
    "score_people",
    "score_person_profiles",
]


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
    return score_person_profiles(PersonProfile.of(a), PersonProfile.of(b))


def score_organisations(a: dict, b: dict) -> Score:
    """Score two organisations (dicts with ``name``, ``name_ar``, ``acronym``, ``kind``,
    ``phone``, ``email``, ``website``, ``commune`` code).

    Points (``ORGANISATION_WEIGHTS``): the strongest name evidence among "même nom" 60,
    "translittération" 55 (names compared without common words such as "association",
    "pour", "de"), "mots dans un autre ordre" 50, "nom proche" 35; then Arabic name +25,
    acronym +20, phone +40, e-mail +45, website +35, same commune +15 or different communes
    −40, different kinds −10; kept within 0–100, proposed from ``MIN_SCORE`` (50).
    """
    return score_organisation_profiles(OrganisationProfile.of(a), OrganisationProfile.of(b))


class PersonProfile(NamedTuple):
    """What blocking and scoring need of a person, computed once (a tuple: an import makes
    one per row and per record of the scope)."""

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
    def of(cls, r: dict) -> PersonProfile:
        # Names without the digits and stray punctuation a dirty spelling keeps (name_text):
        # "Fatima_Zahra 2" is compared, blocked and keyed as "fatima zahra".
        first, last = name_text(r.get("first_name")), name_text(r.get("last_name"))
        first_ar, last_ar = name_text(r.get("first_name_ar")), name_text(r.get("last_name_ar"))
        return cls(
            first=first,
            last=last,
            first_key=name_key(first),
            last_key=name_key(last),
            full_key=name_key(first, last),
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


def score_person_profiles(a: PersonProfile, b: PersonProfile) -> Score:
    reasons = []
    if a.last and (a.first, a.last) == (b.first, b.last):
        reasons.append("même nom")
    elif a.full_key and a.full_key == b.full_key:
        reasons.append("même nom (translittération)")
    elif a.full_key and sorted(a.full_key.split()) == sorted(b.full_key.split()):
        reasons.append("même nom (prénom et nom inversés)")
    elif a.last_key and a.last_key == b.last_key and _abbreviated(a.first, b.first):
        reasons.append("même nom, prénom abrégé")
    elif (a.last_key and a.last_key == b.last_key and _alike(a.first, b.first, 0.75)) or (
        a.first_key and a.first_key == b.first_key and _alike(a.last, b.last, 0.85)
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


class OrganisationProfile(NamedTuple):
    """What blocking and scoring need of an organisation, computed once."""

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
    def of(cls, r: dict) -> OrganisationProfile:
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


def score_organisation_profiles(a: OrganisationProfile, b: OrganisationProfile) -> Score:
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


def _alike(x: str, y: str, threshold: float) -> bool:
    """``SequenceMatcher(None, x, y).ratio() >= threshold`` (difflib's similarity, the rule's
    definition), without running difflib when a cheap upper bound already falls short.

    difflib's matching blocks are a common subsequence of ``x`` and ``y``, so its ratio
    (2·matches / total length) never exceeds 2·min(len)/total, nor rapidfuzz's indel ratio
    (2·longest common subsequence / total): below the threshold on either bound, difflib is
    below it too. Most pairs an import compares are told apart by the bounds alone.
    """
    if not x or not y:
        return False
    total = len(x) + len(y)
    if 2 * min(len(x), len(y)) < threshold * total:
        return False
    if indel_ratio(x, y) < 100 * threshold - 1e-6:  # rapidfuzz gives a percentage
        return False
    return SequenceMatcher(None, x, y).ratio() >= threshold


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
            if name_key(word) == name_key(other) or _alike(word, other, 0.8):
                unmatched.remove(other)
                matched += 1
                break
    return 2 * matched / (len(a) + len(b))
