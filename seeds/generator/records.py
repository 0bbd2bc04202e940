"""How the generator writes one record of each kind, as the app's use cases would: ids,
dates and timestamps, phone numbers, organisations, people and their functions (handovers
included), in the rows of a ``Chunk``."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from crm.search import organisation_keys, person_keys
from crm.text import search_key
from graph import bulk
from graph.vocabulary import THEMES
from seeds.generator import catalogue as cat
from seeds.generator.names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, Name, pick_spelling
from seeds.generator.plan import NAMESPACE, WINDOW, Size

__all__ = ["Builder", "Chunk", "Hub", "Org", "Person"]

MAIL_DOMAINS = ("example.org", "example.com", "example.net")
MOBILE_LEADS = ("61", "62", "63", "64", "65", "66", "67", "69", "70", "71", "76", "77")
LANDLINE_LEADS = ("520", "521", "522", "525", "526", "527", "529", "530", "531", "532", "537")


@dataclass
class Chunk:
    """Rows ready for ``graph.bulk.load_generated``, for one part of the country."""

    key: str
    organisations: list[dict] = field(default_factory=list)
    part_of: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    affiliations: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    interactions: list[dict] = field(default_factory=list)
    follow_ups: list[dict] = field(default_factory=list)
    partnerships: list[dict] = field(default_factory=list)

    def rows(self) -> dict[str, list[dict]]:
        return {name: getattr(self, name) for name in bulk.GENERATED_ROWS}

    def counts(self) -> Counter:
        """Records and ties (relationships between records) of the chunk."""
        counts = Counter(
            organisations=len(self.organisations),
            people=len(self.people),
            events=len(self.events),
            interactions=len(self.interactions),
            follow_ups=len(self.follow_ups),
        )
        counts["ties"] = (
            len(self.part_of)
            + len(self.affiliations)
            + len(self.attendance)
            + len(self.partnerships)
            + sum(len(e["organisers"]) for e in self.events)
            + sum(1 + len(i["people"]) + len(i["organisations"]) for i in self.interactions)
            + 2 * len(self.follow_ups)  # ABOUT and ASSIGNED_TO
        )
        return counts


@dataclass
class Org:
    uid: str
    kind: str
    commune: str
    shared: bool = False
    members: list[str] = field(default_factory=list)  # person uids, current holders first


@dataclass
class Person:
    uid: str
    commune: str
    row: dict
    orgs: list[str] = field(default_factory=list)


@dataclass
class Hub:
    """Organisations and people above the provinces that provinces' records refer to."""

    orgs: dict[str, list[Org]] = field(default_factory=dict)  # region code ('' national)
    people: dict[str, list[Person]] = field(default_factory=dict)


class Builder:
    """Writes the rows of one chunk from its own random stream."""

    def __init__(self, seed: int, size: Size, as_of: date, key: str, number: int) -> None:
        self.rng = random.Random(f"{seed}:{key}")
        self.size, self.as_of, self.key = size, as_of, key
        self.ids = uuid.uuid5(NAMESPACE, f"{seed}:{key}")
        self.chunk = Chunk(key)
        self.serial = 0
        # Phone numbers are unique: the chunk's ``number`` and a counter, scrambled.
        self.numbers = {7: number * 100_000, 6: number * 10_000}
        self.people: dict[str, Person] = {}

    # ids, dates, instants

    def uid(self, dashed: bool = False) -> str:
        self.serial += 1
        value = uuid.uuid5(self.ids, str(self.serial))
        return str(value) if dashed else value.hex

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def instant(self, day: date) -> datetime:
        """A time of that working day, in UTC, never after ``as_of``'s evening."""
        day = min(max(day, self.as_of - timedelta(days=WINDOW + 30)), self.as_of)
        minutes = self.rng.randrange(8 * 60, 18 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), UTC)

    def count(self, mean: float, weight: float = 1.0) -> int:
        mean *= weight
        if mean <= 0:
            return 0
        if mean < 3:
            return int(mean) + (self.rng.random() < mean - int(mean))
        return self.rng.randint(round(mean * 0.6), round(mean * 1.4))

    def phone(self, leads: tuple[str, ...], digits: int) -> str:
        """+212, a lead and ``digits`` digits no other generated number has (7 digits after a
        mobile lead, 6 after a landline one: every number valid in Morocco's plan)."""
        self.numbers[digits] += 1
        n = self.numbers[digits] % 10**digits
        scrambled = (n * 7_654_321 + 1_234_567) % 10**digits  # a bijection: numbers unique
        return "+212" + self.rng.choice(leads) + f"{scrambled:0{digits}d}"

    # organisations

    def org(
        self,
        kind: str,
        name: str,
        name_ar: str,
        commune: str,
        *,
        acronym: str = "",
        parent: str | None = None,
        themes: tuple[str, ...] = (),
        shared: bool = False,
        created: date | None = None,
    ) -> Org:
        rng = self.rng
        uid = self.uid()
        email = ""
        if rng.random() < 0.4:
            slug = "".join(ch for ch in search_key(acronym or name).split()[-1] if ch.isascii())
            email = f"contact.{slug or 'org'}{self.serial}@{rng.choice(MAIL_DOMAINS)}"
        phone = self.phone(LANDLINE_LEADS, 6) if rng.random() < 0.5 else ""
        props = {
            "name": name,
            "name_ar": name_ar,
            "acronym": acronym,
            "kind": kind,
            "email": email,
            "phone": phone,
            "website": "",
            "social": "",
            "themes": [t for t in THEMES if t in themes],
            "notes": "",
            "shared": shared,
        }
        props.update(organisation_keys(props))
        stamp = self.instant(
            created or self.day_between(self.as_of - timedelta(WINDOW), self.as_of)
        )
        props.update(uid=uid, created_at=stamp, updated_at=stamp, version=1)
        self.chunk.organisations.append({"uid": uid, "commune": commune, "props": props})
        if parent:
            self.chunk.part_of.append({"child": uid, "parent": parent})
        return Org(uid, kind, commune, shared)

    # people and their functions

    def person(self, commune: str, gender: str | None = None, young: bool = False) -> Person:
        rng = self.rng
        gender = gender or rng.choice("mf")
        first: Name = rng.choice(MALE_NAMES if gender == "m" else FEMALE_NAMES)
        last: Name = rng.choice(FAMILY_NAMES)
        person = self._person_row(commune, gender, first, last, young)
        if rng.random() < 0.01:  # recorded twice, spelled another way (an import, a sheet)
            twin = self._person_row(commune, gender, first, last, young, usual=0.2)
            if rng.random() < 0.5:
                twin.row["phones"] = list(person.row["phones"])
                twin.row.update(person_keys(twin.row))
        return person

    def _person_row(
        self, commune: str, gender: str, first: Name, last: Name, young: bool, usual: float = 0.7
    ) -> Person:
        rng = self.rng
        uid = self.uid()
        arabic = rng.random() < 0.75
        first_name = pick_spelling(rng, first.latin, usual)
        last_name = pick_spelling(rng, last.latin, usual)
        phones = [] if rng.random() < 0.05 else [self.phone(MOBILE_LEADS, 7)]
        if phones and rng.random() < 0.1:
            phones.append(self.phone(MOBILE_LEADS, 7))
        emails = []
        if rng.random() < 0.35:
            local = search_key(first_name).replace(" ", "") + "." + search_key(last_name)
            emails.append(f"{local.replace(' ', '')}{self.serial % 100}@{rng.choice(MAIL_DOMAINS)}")
        bands = ("18-24", "25-34") if young else ("25-34", "35-44", "45-59", "60+")
        legal = rng.choices(
            ("public_interest", "legitimate_interest", "consent", ""), (50, 25, 15, 10)
        )[0]
        purpose = (
            "Coordination des acteurs du programme de participation citoyenne" if legal else ""
        )
        props = {
            "first_name": first_name,
            "last_name": last_name,
            "first_name_ar": pick_spelling(rng, first.arabic, usual) if arabic else "",
            "last_name_ar": pick_spelling(rng, last.arabic, usual) if arabic else "",
            "gender": gender if rng.random() < 0.97 else "",
            "age_band": rng.choice(bands) if rng.random() < 0.9 else "",
            "languages": rng.choice((["ar", "fr"], ["ary", "fr"], ["ar"], ["zgh", "ar"], [])),
            "emails": emails,
            "phones": phones,
            "themes": sorted(
                rng.sample(sorted(THEMES), rng.choice((0, 0, 1, 2))), key=list(THEMES).index
            ),
            "notes": "",
            "legal_basis": legal,
            "purpose": purpose,
            "source": "Données générées (flask seeds generate)",
            "privacy_incomplete": not (legal and purpose),
        }
        props.update(person_keys(props))
        stamp = self.instant(self.day_between(self.as_of - timedelta(WINDOW), self.as_of))
        props.update(uid=uid, created_at=stamp, updated_at=stamp, version=1)
        self.chunk.people.append({"uid": uid, "commune": commune, "props": props})
        person = Person(uid, commune, props)
        self.people[uid] = person
        return person

    def affiliate(
        self,
        person: Person,
        org: Org,
        role: str,
        since: date | None,
        *,
        focal_point: bool = False,
        succeeds: str | None = None,
    ) -> dict:
        """A function (``link_to_organisation``, or ``hand_over`` when ``succeeds``)."""
        created = max(person.row["created_at"], self.instant(since or self.as_of))
        props = {
            "uid": self.uid(dashed=True),
            "role": role,
            "since": since,
            "focal_point": focal_point,
            "created_at": created,
        }
        if succeeds:
            props["succeeds"] = succeeds
        self._touch(person, created)
        self.chunk.affiliations.append(
            {"person": person.uid, "organisation": org.uid, "props": props}
        )
        person.orgs.append(org.uid)
        org.members.append(person.uid)
        return props

    def _touch(self, person: Person, at: datetime) -> None:
        """A write on the person: version and ``updated_at`` move, as the app's do."""
        row = person.row
        row["version"] += 1
        if at > row["updated_at"]:
            row["updated_at"] = at

    def staff(
        self, org: Org, start: date, handover_rate: float, young: bool = False, full: bool = True
    ) -> None:
        """The functions of ``org`` (``catalogue.ROLES``): the head's mandate may have been
        handed over (once or twice) since ``start``; other functions are held since it.
        Not ``full``: the head and one other function only (what an officer knows of a
        commune outside the pilot ones)."""
        rng = self.rng
        roles = cat.ROLES[org.kind]
        if not full:
            roles = (roles[0], *((male, female, 1) for male, female, _ in roles[1:2]))
        female_share = 0.7 if org.kind == "council_body" and not young else 0.35
        male, female, _ = roles[0]
        since, previous = start, None
        while True:
            holder = self.person(org.commune, "f" if rng.random() < female_share else "m", young)
            function = self.affiliate(
                holder,
                org,
                female if holder.row["gender"] == "f" else male,
                since,
                focal_point=previous is None and rng.random() < 0.3,
                succeeds=previous,
            )
            earliest, latest = since + timedelta(days=365), self.as_of - timedelta(days=15)
            if earliest >= latest or rng.random() >= handover_rate:
                break
            on = self.day_between(earliest, latest)
            function["until"] = on  # ``hand_over``: ends on the day the successor starts
            self._touch(holder, self.instant(on))
            since, previous, handover_rate = on, function["uid"], handover_rate * 0.3
            if rng.random() < 0.3:  # the outgoing head stays on as a member
                self.affiliate(holder, org, "Membre", on)
        for male, female, how_many in roles[1:]:
            for _ in range(how_many):
                holder = self.person(org.commune, None, young)
                function = self.affiliate(
                    holder,
                    org,
                    female if holder.row["gender"] == "f" else male,
                    self.day_between(start, self.as_of - timedelta(days=30)),
                    focal_point=rng.random() < 0.1,
                )
                if rng.random() < 0.05:
                    function["until"] = self.day_between(function["since"], self.as_of)

    def join(self, people: list[Person], org: Org, how_many: int) -> None:
        """People already recorded (a councillor, a member of another association) who also
        hold a function in ``org``: the shared members the network is made of."""
        for person in self.rng.sample(people, min(how_many, len(people))):
            if org.uid not in person.orgs:
                since = self.day_between(self.as_of - timedelta(days=4 * 365), self.as_of)
                self.affiliate(person, org, "Membre", since)
