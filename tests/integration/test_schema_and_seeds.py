"""The schema's constraints and the reference geography, on the real Neo4j."""

import pytest
from neo4j.exceptions import ConstraintError

from graph.database import run
from graph.geography import geography_counts
from graph.models import Organisation, Person
from graph.schema import install_schema, list_constraints
from seeds import geography

pytestmark = pytest.mark.integration


def test_schema_declares_uniqueness_of_keys(clean_db):
    names = set(install_schema())  # a second install changes nothing
    assert names == set(list_constraints())
    labels = {
        (row["label"], row["prop"])
        for row in run(
            "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type WHERE type = 'UNIQUENESS' "
            "RETURN labelsOrTypes[0] AS label, properties[0] AS prop"
        )
    }
    for expected in [
        ("Person", "uid"),
        ("Organisation", "uid"),
        ("User", "uid"),
        ("User", "email"),
        ("Region", "code"),
        ("Province", "code"),
        ("Commune", "code"),
    ]:
        assert expected in labels


def test_duplicate_uid_is_refused(clean_db):
    person = Person(first_name="Amina", last_name="Bennani").save()
    with pytest.raises(ConstraintError):
        run("CREATE (:Person {uid: $uid, first_name: 'X', last_name: 'Y'})", uid=person.uid)
    assert run("MATCH (p:Person {uid: $uid}) RETURN count(p) AS n", uid=person.uid)[0]["n"] == 1


def test_duplicate_commune_code_is_refused(clean_db):
    with pytest.raises(ConstraintError):
        run("CREATE (:Commune {code: '02.411.01.23', name_fr: 'Doublon'})")


def test_new_records_carry_uid_timestamps_and_version(clean_db):
    org = Organisation(name="Association Al Amal", kind="osc").save()
    row = run("MATCH (o:Organisation {uid: $uid}) RETURN o", uid=org.uid)[0]["o"]
    assert len(row["uid"]) == 32
    assert row["version"] == 1
    assert row["created_at"] is not None and row["updated_at"] is not None


def test_reference_geography_counts(clean_db):
    counts = geography_counts()
    assert counts == {
        "regions": 12,
        "programme_regions": 5,
        "provinces": 75,
        "communes": 1503,
        "located_communes": 733,
    }


def test_loading_twice_gives_the_same_counts(clean_db):
    before = geography_counts()
    assert geography.load() == before
    rels = run("MATCH (:Commune)-[r:IN]->(:Province) RETURN count(r) AS n")[0]["n"]
    assert rels == 1503


def test_programme_regions_and_a_known_commune(clean_db):
    names = {
        row["name"] for row in run("MATCH (r:Region {programme: true}) RETURN r.name_fr AS name")
    }
    assert names == {
        "Casablanca-Settat",
        "Souss-Massa",
        "Oriental",
        "Tanger-Tétouan-Al Hoceima",
        "Béni Mellal-Khénifra",
    }
    oujda = run(
        """
        MATCH (c:Commune {name_fr: 'Oujda'})-[:IN]->(p:Province)-[:IN]->(r:Region)
        RETURN c.name_ar AS ar, c.type AS type, c.population_2024 AS pop, c.lat AS lat,
               c.lon AS lon, p.name_fr AS province, r.name_fr AS region
        """
    )[0]
    assert oujda["region"] == "Oriental"
    assert oujda["province"] == "Oujda-Angad"
    assert oujda["ar"] == "وجدة"
    assert oujda["type"] == "urban"
    assert oujda["pop"] > 500_000
    assert 34.5 < oujda["lat"] < 34.8 and -2.0 < oujda["lon"] < -1.8
