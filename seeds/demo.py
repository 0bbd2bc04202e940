"""A deterministic generator of demo and benchmark records in the five programme regions.

The same ``seed`` always gives the same organisations and people (names drawn from common
Moroccan first and family names, in Latin and Arabic script), so figures can be compared
between runs.
"""

from __future__ import annotations

import csv
import random
import uuid

from crm.text import name_key, search_key
from graph.bulk import load_people_and_organisations
from seeds.geography import CENTROIDS

__all__ = ["generate", "load"]

FIRST_NAMES = [
    ("Mohamed", "محمد"), ("Fatima", "فاطمة"), ("Ahmed", "أحمد"), ("Khadija", "خديجة"),
    ("Youssef", "يوسف"), ("Amina", "أمينة"), ("Said", "سعيد"), ("Naima", "نعيمة"),
    ("Hassan", "حسن"), ("Zineb", "زينب"), ("Omar", "عمر"), ("Salma", "سلمى"),
    ("Karim", "كريم"), ("Hanane", "حنان"), ("Rachid", "رشيد"), ("Meryem", "مريم"),
]  # fmt: skip
FAMILY_NAMES = [
    ("Alami", "العلمي"), ("Bennani", "بناني"), ("Idrissi", "الإدريسي"), ("Tazi", "التازي"),
    ("Berrada", "برادة"), ("El Amrani", "العمراني"), ("Ouazzani", "الوزاني"),
    ("Chraibi", "الشرايبي"), ("Benali", "بنعلي"), ("Ait Ahmed", "آيت أحمد"),
    ("Lahlou", "لحلو"), ("Naciri", "الناصري"), ("Fassi", "الفاسي"), ("Sqalli", "السقلي"),
]  # fmt: skip
KINDS = ["osc", "osc", "osc", "cooperative", "commune_council", "council_body",
         "deconcentrated_service"]  # fmt: skip
ROLES = ["Président(e)", "Secrétaire général(e)", "Trésorier(ère)", "Membre", "Chef de service"]


def generate(organisations: int, people: int, seed: int = 2026) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    with CENTROIDS.open(encoding="utf-8", newline="") as f:
        communes = [row["code"] for row in csv.DictReader(f)]
    ids = uuid.UUID(int=rng.getrandbits(128))
    orgs = []
    for i in range(organisations):
        name = f"Association {rng.choice(FAMILY_NAMES)[0]} {i}"
        orgs.append(
            {
                "uid": uuid.uuid5(ids, f"org-{i}").hex,
                "commune": rng.choice(communes),
                "props": {
                    "name": name,
                    "kind": rng.choice(KINDS),
                    "shared": False,
                    "search_key": search_key(name),
                    "name_key": name_key(name),
                },
            }
        )
    persons = []
    for i in range(people):
        (first, first_ar), (last, last_ar) = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
        org = rng.choice(orgs)
        persons.append(
            {
                "uid": uuid.uuid5(ids, f"person-{i}").hex,
                "commune": org["commune"],
                "organisation": org["uid"],
                "role": rng.choice(ROLES),
                "props": {
                    "first_name": first,
                    "last_name": last,
                    "first_name_ar": first_ar,
                    "last_name_ar": last_ar,
                    "phones": [f"+2126{rng.randrange(10**8):08d}"],
                    "search_key": search_key(first, last, first_ar, last_ar),
                    "name_key": name_key(first, last, first_ar, last_ar),
                },
            }
        )
    return orgs, persons


def load(organisations: int, people: int, seed: int = 2026) -> None:
    load_people_and_organisations(*generate(organisations, people, seed))
