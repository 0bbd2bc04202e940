"""The demo/benchmark generator is deterministic and consistent."""

from seeds.demo import generate


def test_same_seed_same_records_and_people_sit_in_their_organisations_commune():
    orgs, people = generate(20, 100, seed=7)
    assert (orgs, people) == generate(20, 100, seed=7)
    assert generate(20, 100, seed=8) != (orgs, people)
    commune_of = {o["uid"]: o["commune"] for o in orgs}
    assert all(p["commune"] == commune_of[p["organisation"]] for p in people)
    assert len({p["uid"] for p in people}) == 100
    assert all(p["props"]["phones"][0].startswith("+2126") for p in people)


def test_activity_is_deterministic_and_links_generated_records():
    from seeds.demo import generate_activity

    orgs, people = generate(30, 300, seed=7)
    activity = generate_activity(orgs, people, events=20, partnerships=15, seed=7)
    assert activity == generate_activity(orgs, people, events=20, partnerships=15, seed=7)
    person_uids = {p["uid"] for p in people}
    org_uids = {o["uid"] for o in orgs}
    assert len(activity["events"]) == 20
    assert all(a["person"] in person_uids for a in activity["attendance"])
    pairs = {(a["event"], a["person"]) for a in activity["attendance"]}
    assert len(pairs) == len(activity["attendance"])  # nobody listed twice at an event
    assert all(8 <= sum(1 for a in activity["attendance"] if a["event"] == e["uid"]) <= 30
               for e in activity["events"])  # fmt: skip
    assert all(
        p["first"] in org_uids and p["second"] in org_uids and p["first"] != p["second"]
        for p in activity["partnerships"]
    )
    trainings = [e for e in activity["events"] if e["props"]["kind"] == "training"]
    assert all(e["props"]["module"] for e in trainings)


def test_national_option_places_organisations_in_every_commune_deterministically():
    from seeds.demo import all_communes

    communes = all_communes()
    assert len(communes) == 1503 and len({c.split(".")[0] for c in communes}) == 12
    orgs, people = generate(2000, 3000, seed=7, communes=communes)
    assert (orgs, people) == generate(2000, 3000, seed=7, communes=communes)
    assert {o["commune"] for o in orgs} == set(communes)  # every commune has an organisation
    commune_of = {o["uid"]: o["commune"] for o in orgs}
    assert all(p["commune"] == commune_of[p["organisation"]] for p in people)
    # Without the option, the programme regions only, as before.
    default_orgs, _ = generate(2000, 3000, seed=7)
    assert {o["commune"].split(".")[0] for o in default_orgs} <= {"01", "02", "05", "06", "09"}
