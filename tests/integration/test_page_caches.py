"""Results kept between page loads (``crm.versioned_cache``) are right and never outlive a write."""

from datetime import UTC, date, datetime

import pytest

from crm import cadence, clock, dedupe, interactions, people

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"


def new_person(actor, first, last, **extra):
    data = {"first_name": first, "last_name": last, "commune": OUJDA, **extra}
    return people.create_person(actor, data)


def pair_uids(actor):
    return {(p["a"]["uid"], p["b"]["uid"]) for p in dedupe.candidate_pairs(actor, "person").items}


def test_duplicate_pairs_follow_every_write(officer):
    first = new_person(officer, "Mohamed", "Alami", phones="0661234567")
    new_person(officer, "Karim", "Idrissi")
    assert pair_uids(officer) == set()
    assert pair_uids(officer) == set()  # served again, still right

    # A new duplicate appears on the next load.
    second = new_person(officer, "Mohammed", "Alami", phones="0661234567")
    pair = tuple(sorted((first, second)))
    assert pair_uids(officer) == {pair}

    # Dismissing it removes it at once.
    dedupe.dismiss(officer, "person", *pair)
    assert pair_uids(officer) == set()

    # A third spelling makes new pairs; merging removes the pair merged.
    third = new_person(officer, "Mohamed", "Alamy", phones="0661234567")
    pairs = pair_uids(officer)
    assert pairs and all(third in p for p in pairs)
    kept, removed = sorted((first, third))
    versions = tuple(people.get_person(officer, uid)["version"] for uid in (kept, removed))
    dedupe.merge(officer, "person", (kept, removed), kept, versions)
    assert all(removed not in p for p in pair_uids(officer))


def test_a_new_person_is_counted_and_listed_at_once(officer, make_user):
    new_person(officer, "Zineb", "Zeroual")
    first = people.search_people(officer)
    assert first.total == 1
    assert people.search_people(officer).total == 1  # served again
    added = new_person(officer, "Amine", "Bennani")
    page = people.search_people(officer)
    assert page.total == 2
    assert [p["uid"] for p in page.items][0] == added  # "Bennani" sorts first
    # Another scope keeps its own total.
    casablanca = make_user("officer", "casa@example.org", ("06",))
    assert people.search_people(casablanca).total == 0
    # A search keeps a total of its own, by its words.
    assert people.search_people(officer, "Bennani").total == 1


def test_losing_touch_follows_new_interactions(officer):
    today = date(2026, 6, 10)
    new_person(officer, "Amina", "Zeroual")

    def log(day):
        interactions.log_interaction(
            officer,
            {"kind": "visit", "date": day, "summary": "Visite", "people": ["Amina Zeroual"]},
        )

    with clock.frozen(datetime(2026, 6, 10, 10, tzinfo=UTC)):
        log("2025-01-10")
        overdue = cadence.losing_touch(officer, today=today)
        assert overdue.total == 1
        assert cadence.losing_touch(officer, today=today).total == 1
        log("2026-06-09")
        assert cadence.losing_touch(officer, today=today).total == 0
