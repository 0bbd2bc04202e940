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
