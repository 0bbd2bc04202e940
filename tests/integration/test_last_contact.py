"""The last held interaction stored on each record (``graph.last_contact``) follows every write
of interactions, and losing touch reads it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm import cadence, dedupe, interactions, organisations, people, privacy
from graph import last_contact
from graph.database import run
from graph.schema import install_schema
from tests.integration.conftest import OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)


def stamp(label, uid):
    [row] = run(
        "MATCH (n:" + label + " {uid: $uid}) RETURN n.last_contact AS last, "
        "n.held_interactions AS held, n.version AS version",
        uid=uid,
    )
    last = row["last"].to_native() if row["last"] is not None else None
    return last, row["held"], row["version"]


def log(actor, who, days_ago, **data):
    base = {"kind": "meeting", "date": TODAY - timedelta(days=days_ago),
            "summary": "Réunion de suivi.", "people": who}  # fmt: skip
    return interactions.log_interaction(actor, {**base, **data}, today=TODAY)


def version_of(uid):
    return run("MATCH (i:Interaction {uid: $uid}) RETURN i.version AS v", uid=uid)[0]["v"]


def test_every_write_of_interactions_keeps_the_last_contact(officer, manager):
    karim = people.create_person(
        officer, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )
    salma = people.create_person(
        officer, {"first_name": "Salma", "last_name": "Berkani", "commune": OUJDA}
    )
    association = organisations.create_organisation(
        officer, {"name": "Association Oujda Jeunesse", "kind": "osc", "commune": OUJDA}
    )
    assert stamp("Person", karim)[:2] == (None, None)
    who = [f"Karim [{karim}]"]

    first = log(officer, who, 30)
    assert stamp("Person", karim)[:2] == (TODAY - timedelta(days=30), 1)
    assert stamp("Person", karim)[2] == 1  # derived data: the person's version stays
    second = log(officer, who, 40, organisations=[f"Association [{association}]"])
    assert stamp("Person", karim)[:2] == (TODAY - timedelta(days=30), 2)
    assert stamp("Organisation", association)[:2] == (TODAY - timedelta(days=40), 1)
    planned = log(officer, who, -7, status="planned")
    assert stamp("Person", karim)[:2] == (TODAY - timedelta(days=30), 2)  # not held: no count

    # Edited: re-dated, and moved from Karim to Salma.
    data = interactions.interaction_for_edit(officer, first)
    interactions.update_interaction(
        officer, first, version_of(first),
        {**data, "date": (TODAY - timedelta(days=5)).isoformat(), "people": [f"Salma [{salma}]"]},
        today=TODAY,
    )  # fmt: skip
    assert stamp("Person", karim)[:2] == (TODAY - timedelta(days=40), 1)
    assert stamp("Person", salma)[:2] == (TODAY - timedelta(days=5), 1)

    # Planned then held; another cancelled.
    interactions.mark_held(
        officer, planned, version_of(planned),
        {"date": TODAY.isoformat(), "summary": "Tenue."}, today=TODAY,
    )  # fmt: skip
    assert stamp("Person", karim)[:2] == (TODAY, 2)
    later = log(officer, who, -3, status="planned")
    interactions.cancel_interaction(officer, later, version_of(later))
    assert stamp("Person", karim)[:2] == (TODAY, 2)

    # Deleted: the organisation had only that one.
    interactions.delete_interaction(officer, second, version_of(second), confirmed=True)
    assert stamp("Organisation", association)[:2] == (None, 0)
    assert stamp("Person", karim)[:2] == (TODAY, 1)

    # Merged: the kept record holds both records' interactions.
    versions = (people.get_person(officer, karim)["version"],
                people.get_person(officer, salma)["version"])  # fmt: skip
    dedupe.merge(officer, "person", (karim, salma), karim, versions)
    assert stamp("Person", karim)[:2] == (TODAY, 2)

    # Anonymised: the interactions stay, and so does their count.
    privacy.anonymise(manager, karim, "ANONYMISER")
    assert stamp("Person", karim)[:2] == (TODAY, 2)
    assert last_contact.out_of_date() == []


def test_losing_touch_reads_the_stored_last_contact(officer):
    karim = people.create_person(
        officer, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )
    log(officer, [f"Karim [{karim}]"], 100)
    overdue = cadence.losing_touch(officer, today=TODAY)
    assert [(t["uid"], t["days_since"], t["interactions"]) for t in overdue.items] == [
        (karim, 100, 1)
    ]
    # What the list reads is the stored value, not the interactions themselves.
    run("MATCH (p:Person {uid: $uid}) SET p.last_contact = $day", uid=karim, day=TODAY)
    run("MATCH (v:DataVersion) SET v.n = v.n + 1")
    assert cadence.losing_touch(officer, today=TODAY).total == 0
    last_contact.refresh([karim], [])
    assert last_contact.out_of_date() == []


def test_records_from_before_the_field_get_it_when_the_schema_is_installed(officer):
    karim = people.create_person(
        officer, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )
    log(officer, [f"Karim [{karim}]"], 12)
    run("MATCH (n) WHERE n:Person OR n:Organisation REMOVE n.last_contact, n.held_interactions")
    assert [row["uid"] for row in last_contact.out_of_date()] == [karim]
    install_schema()
    assert last_contact.out_of_date() == []
    assert stamp("Person", karim)[:2] == (TODAY - timedelta(days=12), 1)
