"""The data generator without a database: determinism, sizes, names, numbers, dates, handovers."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import phonenumbers
import pytest

from crm.text import name_key
from graph.vocabulary import ORGANISATION_KINDS
from seeds import generator
from seeds.generator.names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES

AS_OF = date(2026, 3, 15)


@pytest.fixture(scope="module")
def small() -> list[generator.Chunk]:
    return list(generator.chunks("small", 11, AS_OF))


def _rows(chunks: list[generator.Chunk], name: str) -> list[dict]:
    return [row for chunk in chunks for row in getattr(chunk, name)]


def test_same_seed_same_data_and_another_seed_other_data(small):
    again = list(generator.chunks("small", 11, AS_OF))
    assert [c.rows() for c in again] == [c.rows() for c in small]
    other = list(generator.chunks("small", 12, AS_OF))
    assert _rows(other, "people") != _rows(small, "people")


def test_small_is_a_few_hundred_records_of_every_kind(small):
    counts = Counter()
    for chunk in small:
        counts.update(chunk.counts())
    records = sum(counts[k] for k in ("organisations", "people", "events", "interactions"))
    assert 300 <= records <= 1500, counts
    kinds = {row["props"]["kind"] for row in _rows(small, "organisations")}
    # Regional councils of the programme regions are reference institutions, not generated.
    assert kinds == set(ORGANISATION_KINDS) - {"regional_council"}
    # Only the 10 pilot communes (2 per region) get commune records.
    councils = [r for r in _rows(small, "organisations") if r["props"]["kind"] == "commune_council"]
    pilots = generator.pilot_communes(11, generator.SIZES["small"])
    assert sorted(r["commune"] for r in councils) == sorted(pilots)
    assert len(pilots) == 10


def test_programme_counts_in_memory_light_mode():
    """Chunk by chunk, nothing kept: about 5k people, 2k organisations, 50k ties."""
    counts = generator.count("programme", 2026, AS_OF)
    assert 4_000 <= counts["people"] <= 7_000, counts
    assert 1_700 <= counts["organisations"] <= 2_400, counts
    assert 40_000 <= counts["ties"] <= 60_000, counts
    assert len(generator.pilot_communes(2026, generator.SIZES["programme"])) == 60


def test_proportions_per_commune_in_the_programme():
    kinds: Counter = Counter()
    councils_per_commune: Counter = Counter()
    for chunk in generator.chunks("programme", 2026, AS_OF):
        for row in chunk.organisations:
            kinds[row["props"]["kind"]] += 1
            if row["props"]["kind"] == "commune_council":
                councils_per_commune[row["commune"]] += 1
    assert len(councils_per_commune) == 733 and set(councils_per_commune.values()) == {1}
    civil = kinds["osc"] + kinds["cooperative"] + kinds["osc_network"]
    assert civil > kinds["commune_council"] / 2
    assert kinds["council_body"] >= 60  # at least the IECGAG of every pilot commune
    assert kinds["provincial_council"] == 36  # the provinces and prefectures of 5 regions


def test_names_carry_spelling_variants_that_fold_to_one_key(small):
    people = [row["props"] for row in _rows(small, "people")]
    spellings = Counter(p["first_name"] for p in people)
    variants = {v for name in MALE_NAMES + FEMALE_NAMES for v in name.latin[1:] if spellings[v]}
    assert len(variants) >= 5  # Mohammed, Fatema, Aït… next to the usual spellings
    assert any(p["first_name_ar"] for p in people) and any(not p["first_name_ar"] for p in people)
    # Mohamed/Mohammed, El Amrani/Amrani, Benali/Ben Ali, Ait/Aït; أحمد/احمد, العمراني/عمراني,
    # آيت/ايت: the search keys agree (بنعلي/بن علي do not: two words for crm.text).
    mohamed, ahmed = MALE_NAMES[0], MALE_NAMES[1]
    amrani, benali, ait_ahmed = FAMILY_NAMES[0], FAMILY_NAMES[8], FAMILY_NAMES[9]
    for spellings in (mohamed.latin, amrani.latin, benali.latin, ait_ahmed.latin,
                      ahmed.arabic, amrani.arabic, ait_ahmed.arabic):  # fmt: skip
        assert len({name_key(v) for v in spellings}) == 1, spellings
    assert {p["gender"] for p in people} >= {"f", "m"}
    assert {p["age_band"] for p in people} >= {"18-24", "25-34", "45-59"}


def test_phone_numbers_are_valid_and_not_shared(small):
    numbers = Counter()
    for row in _rows(small, "people"):
        numbers.update(row["props"]["phones"])
    for row in _rows(small, "organisations"):
        if row["props"]["phone"]:
            numbers[row["props"]["phone"]] += 1
    assert numbers
    for number in numbers:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number
        assert number[:5] in ("+2126", "+2127", "+2125")
    # Only the few records made twice of one person (a spelling variant) share a number.
    assert sum(1 for n in numbers.values() if n > 1) <= len(numbers) // 50
    emails = [e for row in _rows(small, "people") for e in row["props"]["emails"]]
    assert emails and all(e.split("@")[1].startswith("example.") for e in emails)


def test_handovers_follow_the_apps_model(small):
    """The outgoing head's function ends on the day the successor's starts; the successor's
    records the function it succeeds; the heads of an organisation never overlap."""
    functions = [row | row["props"] for row in _rows(small, "affiliations")]
    by_uid = {f["uid"]: f for f in functions}
    successions = [f for f in functions if f.get("succeeds")]
    assert successions
    for successor in successions:
        predecessor = by_uid[successor["succeeds"]]
        assert predecessor["organisation"] == successor["organisation"]
        assert predecessor["role"].split()[0][:5] == successor["role"].split()[0][:5]
        assert predecessor["until"] == successor["since"] <= AS_OF
        assert predecessor["person"] != successor["person"]
    heads: dict[str, list[dict]] = {}
    for f in functions:
        if f.get("succeeds") or any(s["succeeds"] == f["uid"] for s in successions):
            heads.setdefault(f["organisation"], []).append(f)
    for chain in heads.values():
        chain.sort(key=lambda f: f["since"])
        for before, after in zip(chain, chain[1:], strict=False):
            assert before["until"] is not None and before["until"] <= after["since"]


def test_dates_follow_the_apps_rules(small):
    for row in _rows(small, "interactions"):
        props = row["props"]
        if props["status"] == "held":
            assert props["date"] <= AS_OF
        if props["status"] == "planned":
            assert props["date"] >= AS_OF
        assert row["people"] or row["organisations"]
        assert row["logger"].startswith("charge.")
        assert props["created_at"] <= props["updated_at"]
    interactions = {row["uid"]: row["props"] for row in _rows(small, "interactions")}
    statuses = Counter()
    for row in _rows(small, "follow_ups"):
        props, interaction = row["props"], interactions[row["interaction"]]
        earliest = interaction["date"] if interaction["status"] == "held" else AS_OF
        assert earliest <= props["due"] <= AS_OF + timedelta(days=730)
        done = "done_at" in props
        statuses["done" if done else "overdue" if props["due"] < AS_OF else "open"] += 1
    assert statuses["done"] and statuses["overdue"] and statuses["open"], statuses
    for row in _rows(small, "events"):
        props = row["props"]
        assert props["starts_at"] < props["ends_at"]
        assert props["start_date"].isoformat() == props["starts_at"][:10]
        assert (props["module"] is not None) == (props["kind"] == "training")
    roles = Counter(row["props"]["role"] for row in _rows(small, "attendance"))
    assert roles["participant"] > roles["organiser"] > 0
    pairs = Counter((row["event"], row["person"]) for row in _rows(small, "attendance"))
    assert max(pairs.values()) == 1  # one line per person on a sign-in sheet


def test_every_record_carries_what_the_app_writes(small):
    for name in ("organisations", "people", "events", "interactions"):
        for row in _rows(small, name):
            props = row["props"]
            assert {"uid", "created_at", "updated_at", "version"} <= set(props), name
            assert props["created_at"].tzinfo is not None
    for row in _rows(small, "people"):
        props = row["props"]
        assert props["search_key"] and props["name_key"]
        assert props["privacy_incomplete"] == (not (props["legal_basis"] and props["purpose"]))
    for row in _rows(small, "partnerships"):
        props = row["props"]
        assert props["until"] is None or props["until"] >= props["since"]
        status = "planned" if props["since"] > AS_OF else "active"
        if props["until"] and props["until"] < AS_OF:
            status = "ended"
        assert props["status"] == status
