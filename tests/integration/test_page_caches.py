"""Results kept between page loads (``crm.versioned_cache``) are right and never outlive a write."""

import pytest

from crm import dedupe, people

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
