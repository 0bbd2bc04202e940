"""The last held interaction stored on each record (``graph.last_contact``) follows every write
of interactions, and losing touch reads it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm import cadence, dedupe, interactions, organisations, people, privacy
from graph import last_contact
from graph.database import run
from graph.schema import install_schema
from graph.scope import (
    organisation_visible,
    organisation_writable,
    person_visible,
    person_writable,
)
from tests.integration.conftest import CASABLANCA, OUJDA

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


# --- losing touch: the list against its definition -------------------------------------------


def _ties_by_definition(actor, cadences, default_cadence, today):
    """Every tie past its cadence, most overdue first, computed in Python from each record's
    stored values and the scope predicates of its definition (``graph.scope``)."""
    logged = "EXISTS { MATCH (n)<-[:WITH]-(:Interaction)<-[:LOGGED]-(:User {uid: $actor}) }"
    found = run(
        "MATCH (n:Person) WHERE n.last_contact IS NOT NULL AND " + person_visible("n")
        + " AND (" + person_writable("n") + " OR " + logged + ") "
        "RETURN 'person' AS record, 'person' AS kind, n.uid AS uid, "
        "n.first_name + ' ' + toUpper(n.last_name) AS name, n.last_contact AS last "
        "UNION ALL "
        "MATCH (n:Organisation) WHERE n.last_contact IS NOT NULL AND " + organisation_visible("n")
        + " AND (" + organisation_writable("n") + " OR " + logged + ") "
        "RETURN 'organisation' AS record, n.kind AS kind, n.uid AS uid, n.name AS name, "
        "n.last_contact AS last",
        actor=actor.uid, **actor.scope.as_params(),
    )  # fmt: skip
    ties = []
    for row in found:
        days_since = (today - row["last"].to_native()).days
        overdue = days_since - cadences.get(row["kind"], default_cadence)
        if overdue > 0:
            ties.append((-overdue, row["name"].lower(), row["uid"], row["record"], days_since))
    return [(uid, record, days_since) for _, _, uid, record, days_since in sorted(ties)]


def test_losing_touch_pages_are_those_of_its_definition(officer, manager):
    """Both forms of the query (national: per kind from the index, in order of last contact;
    territorial: one walk of the scope) give, page after page, the definition's list: ties
    of equal delay ordered by name then uid, kinds without a cadence on the default one."""
    today = TODAY
    shared = organisations.create_organisation(
        manager, {"name": "Direction générale", "kind": "central_administration",
                  "commune": "", "shared": True},
    )  # fmt: skip
    records = {"shared": shared}
    kinds = ["osc", "cooperative", "commune_council", "council_body", "osc"]
    for i in range(12):
        commune = OUJDA if i % 3 else CASABLANCA
        # Some names repeat: equal delays are then ordered by uid.
        records[f"p{i}"] = people.create_person(
            manager, {"first_name": "Salma" if i % 4 else "Émile",
                      "last_name": f"Nom{i % 5}", "commune": commune},
        )  # fmt: skip
        records[f"o{i}"] = organisations.create_organisation(
            manager, {"name": f"Association {i % 6}", "kind": kinds[i % 5], "commune": commune}
        )
    # Delays chosen so that people and organisations of different kinds share overdue days.
    for i in range(12):
        who = {"people": [f"X [{records[f'p{i}']}]"]}
        log(manager, who["people"], 60 + (i * 7) % 50)
        log(manager, [], 30 + (i * 11) % 70, organisations=[f"X [{records[f'o{i}']}]"])
    log(manager, [], 200, organisations=[f"X [{shared}]"])  # the manager's tie only
    # Exactly at their cadence (40 and 60 days): not overdue yet.
    on_time = organisations.create_organisation(
        manager, {"name": "Association 0", "kind": "osc", "commune": OUJDA}
    )
    log(manager, [], 40, organisations=[f"X [{on_time}]"])
    log(officer, [f"X [{records['p1']}]"], -5, status="planned")  # not held: changes nothing
    log(officer, [], 300, organisations=[f"X [{shared}]"])  # now the officer's tie too

    # Seen by the officer through an organisation: a member of an association of Oujda
    # (writable, a tie), and two agents of the shared institution, readable only, one of
    # whom the officer met while she still lived in Oujda (a tie), the other not.
    member = people.create_person(
        manager, {"first_name": "Driss", "last_name": "Membre", "commune": CASABLANCA}
    )
    people.link_to_organisation(manager, member, records["o1"], {"role": "Membre"})
    log(manager, [f"X [{member}]"], 100)
    met, unmet = (
        people.create_person(manager, {"first_name": first, "last_name": "Agent",
                                        "commune": OUJDA if first == "Hind" else CASABLANCA})
        for first in ("Hind", "Rim")
    )  # fmt: skip
    log(officer, [f"X [{met}]"], 120)
    log(manager, [f"X [{unmet}]"], 130)
    for agent in (met, unmet):
        people.link_to_organisation(manager, agent, shared, {"role": "Chargée de mission"})
    moved = {**people.person_for_edit(manager, met), "commune": f"Anfa [{CASABLANCA}]"}
    people.update_person(manager, met, moved["version"], moved)
    readable_only = "MATCH (p:Person {uid: $uid}) RETURN " + person_writable("p") + " AS w"
    assert run(readable_only, uid=met, **officer.scope.as_params()) == [{"w": False}]

    defaults = {"person": 60, "osc": 40, "commune_council": 30, "council_body": 45}
    # "cooperative" and "central_administration" fall back on the default cadence.
    for actor in (officer, manager):
        expected = _ties_by_definition(actor, defaults, 50, today)
        scope = actor.scope.as_params()
        for limit in (5, 7, 100):
            pages, skip = [], 0
            while True:
                rows, total = last_contact.ties_past_cadence(
                    actor.uid, defaults, 50, today, skip, limit, scope
                )
                assert total == len(expected)
                pages += [(r["uid"], r["record"], r["days_since"]) for r in rows]
                assert rows and all(r["overdue"] == r["days_since"] - r["cadence"] for r in rows)
                skip += limit
                if skip >= total:
                    break
            assert pages == expected, (actor.role, limit)
        assert last_contact.ties_past_cadence(
            actor.uid, defaults, 50, today, skip, limit, scope
        ) == ([], len(expected))
    officer_ties = {uid for uid, _, _ in _ties_by_definition(officer, defaults, 50, today)}
    assert shared in officer_ties and records["p0"] not in officer_ties  # p0 is in Casablanca
    assert on_time not in officer_ties and records["p4"] in officer_ties  # 40 d, 88 d
    assert {member, met} <= officer_ties and unmet not in officer_ties
    assert len(_ties_by_definition(manager, defaults, 50, today)) > 20
