"""What each row of an import will do: create a record, link it to an existing one, skip it.

Every checked row is matched, with the duplicate scoring of ``crm.matching``, against the
records of the actor's scope (read once, blocked on the keys of ``PersonProfile.blocks`` /
``OrganisationProfile.blocks``) and against the rows above it in the same file:

- a match from ``LINK_SCORE`` points (and no rival as strong) is *certain*: the row is linked
  to the existing record (or to the record of the earlier row, "même fiche que la ligne N");
- a match from the review threshold (``crm.duplicates_at_save``: 40 for people, 35 for
  organisations) is *uncertain*: the row is flagged for review and the user decides in the
  preview (link to a candidate, create, skip); undecided rows follow the default the user
  picks for them;
- below, a new record is created.

A person written in Arabic script in the file carries that name as their Arabic name
(``crm.imports.rows``), so "même nom en arabe" pairs them with the same person stored in Latin
script with their Arabic name. An organisation named on a person's row (a function, an
attendance) is matched on its name alone — its commune is unknown — and rows naming the same
organisation share one new record. An existing record the actor may only read is never
linked: the row is in error, saying so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crm.duplicates_at_save import WARN_ORGANISATION, WARN_PERSON
from crm.imports.rows import RowCheck
from crm.labels import person_name
from crm.matching import (
    OrganisationProfile,
    PersonProfile,
    score_organisation_profiles,
    score_person_profiles,
)

__all__ = ["LINK_SCORE", "Candidate", "Matcher", "RowPlan", "plan_rows"]

LINK_SCORE = 70  # e.g. same name (60) in the same commune (10)
SECONDARY_LINK = 55  # an organisation named on a person's row: the same name, transliterated
MAX_PER_BLOCK = 40  # candidates read per blocking key (keeps a common name's cost bounded)
MAX_CANDIDATES = 3  # shown for review
READ_ONLY = "Une fiche existante correspond ({name}), mais elle est en lecture seule pour vous."


@dataclass(frozen=True)
class Candidate:
    uid: str
    name: str
    detail: str
    score: int
    reasons: tuple[str, ...]


@dataclass
class Part:
    """The person or the organisation of a row, and what becomes of it."""

    action: str = "create"  # create | link:<uid> | same:<row> | skip
    certain: bool = True  # False: flagged for review
    candidates: list[Candidate] = field(default_factory=list)
    same_as: int | None = None  # the earlier row of the file that looks like this one


@dataclass
class RowPlan:
    check: RowCheck
    person: Part | None = None
    organisation: Part | None = None

    @property
    def number(self) -> int:
        return self.check.number

    @property
    def ok(self) -> bool:
        return not self.check.errors


class Matcher:
    """Existing records of one kind, indexed by blocking key, plus the rows seen so far."""

    def __init__(self, kind: str, existing: Iterable[dict]) -> None:
        self.kind = kind
        self.records: list[dict] = []
        self.profiles: list = []
        self.blocks: dict[str, list[int]] = {}
        for record in existing:
            profile = self._profile(record)
            for key in profile.blocks():
                bucket = self.blocks.setdefault(key, [])
                if len(bucket) < MAX_PER_BLOCK:
                    bucket.append(len(self.records))
            self.records.append(record)
            self.profiles.append(profile)
        self.seen: dict[str, list[tuple[int, object]]] = {}  # block -> (row number, profile)

    def _profile(self, record: dict):
        return PersonProfile.of(record) if self.kind == "person" else OrganisationProfile.of(record)

    def _score(self, a, b) -> tuple[int, tuple[str, ...]]:
        score = (
            score_person_profiles(a, b) if self.kind == "person"
            else score_organisation_profiles(a, b)
        )  # fmt: skip
        return score.points, score.reasons

    def match(self, number: int, record: dict) -> tuple[list[tuple[int, dict, tuple]], list]:
        """Existing candidates ``[(score, record, reasons)]`` best first, and earlier rows
        ``[(score, row number)]`` best first; the row is then remembered."""
        profile = self._profile(record)
        keys = profile.blocks()
        found: set[int] = set()
        for key in keys:
            found.update(self.blocks.get(key, ()))
        existing = []
        for index in found:
            points, reasons = self._score(profile, self.profiles[index])
            existing.append((points, self.records[index], reasons))
        existing.sort(key=lambda item: -item[0])
        rows: dict[int, int] = {}
        for key in keys:
            for earlier, other in self.seen.get(key, ()):
                if earlier not in rows:
                    rows[earlier] = self._score(profile, other)[0]
            bucket = self.seen.setdefault(key, [])
            if len(bucket) < MAX_PER_BLOCK:
                bucket.append((number, profile))
        earlier_rows = sorted(((s, n) for n, s in rows.items()), key=lambda x: (-x[0], x[1]))
        return existing, earlier_rows


def plan_rows(
    checks: Iterable[RowCheck], people: Matcher | None, organisations: Matcher | None
) -> Iterator[RowPlan]:
    """The plan of every row, in file order, each as soon as its row is checked (rows in
    error are planned to nothing)."""
    secondary_names: dict[str, int] = {}  # an organisation's name key -> first row naming it
    for check in checks:
        plan = RowPlan(check)
        if not check.errors:
            if check.person is not None and people is not None:
                plan.person = _primary(people, check, _person_record(check), WARN_PERSON, "person")
            if check.organisation is not None and organisations is not None:
                record = _organisation_record(check, located=check.person is None)
                if check.person is None:
                    plan.organisation = _primary(
                        organisations, check, record, WARN_ORGANISATION, "organisation"
                    )
                else:
                    plan.organisation = _secondary(organisations, check, record, secondary_names)
        yield plan


def _primary(matcher: Matcher, check: RowCheck, record: dict, review: int, part: str) -> Part:
    existing, earlier = matcher.match(check.number, record)
    candidates = [_candidate(matcher.kind, r, s, why) for s, r, why in existing if s >= review]
    strong = [c for c in candidates if c.score >= LINK_SCORE]
    same = earlier[0][1] if earlier and earlier[0][0] >= review else None
    if strong and (len(strong) == 1 or strong[0].score > strong[1].score):
        return _link(check, part, strong[0], existing)
    if not candidates and same is not None and earlier[0][0] >= LINK_SCORE:
        return Part(action=f"same:{same}", same_as=same)
    if candidates or same is not None:
        return Part(action="", certain=False, candidates=candidates[:MAX_CANDIDATES], same_as=same)
    return Part()


def _secondary(matcher: Matcher, check: RowCheck, record: dict, names: dict[str, int]) -> Part:
    """An organisation named on a person's row: the same name in the scope, or a new one
    shared by every row naming it."""
    key = OrganisationProfile.of(record).core_key or record["name"].casefold()
    existing, _ = matcher.match(check.number, record)
    candidates = [
        _candidate("organisation", r, s, why) for s, r, why in existing if s >= WARN_ORGANISATION
    ]
    strong = [c for c in candidates if c.score >= SECONDARY_LINK]
    if len(strong) == 1 or (strong and strong[0].score > strong[1].score):
        return _link(check, "organisation", strong[0], existing)
    if key in names:
        return Part(action=f"same:{names[key]}", same_as=names[key])
    names[key] = check.number
    if candidates:
        return Part(action="", certain=False, candidates=candidates[:MAX_CANDIDATES])
    return Part()


def _link(check: RowCheck, part: str, best: Candidate, existing: list) -> Part:
    record = next(r for _, r, _ in existing if r["uid"] == best.uid)
    if not record.get("writable"):
        check.errors[part if part == "organisation" else "last_name"] = READ_ONLY.format(
            name=best.name
        )
    return Part(action="link:" + best.uid, candidates=[best])


def _candidate(kind: str, record: dict, score: int, reasons: tuple) -> Candidate:
    if kind == "person":
        name = person_name(record.get("first_name"), record.get("last_name"))
        arabic = " ".join(x for x in (record.get("first_name_ar"), record.get("last_name_ar")) if x)
        if arabic and arabic not in name:
            name += f" ({arabic})"
    else:
        name = record.get("name") or ""
    detail = ", ".join(x for x in (record.get("commune_name"), record.get("detail")) if x)
    return Candidate(record["uid"], name, detail, score, tuple(reasons))


def _person_record(check: RowCheck) -> dict:
    return {**(check.person or {}), "commune": check.person_commune or ""}


def _organisation_record(check: RowCheck, located: bool) -> dict:
    commune = (check.organisation_commune or "") if located else ""
    return {**(check.organisation or {}), "commune": commune}
