"""The reference institutions: loaded idempotently, placed, shared where national."""

import pytest

from crm import organisations
from graph.database import run
from seeds import institutions

pytestmark = pytest.mark.integration


def test_loading_twice_creates_each_institution_once(clean_db):
    assert institutions.load() == len(institutions.INSTITUTIONS) == 20
    assert institutions.load() == 20
    assert run("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"] == 20
    rows = run(
        """
        MATCH (o:Organisation {acronym: 'DGCT'})-[:PART_OF]->(m:Organisation)
        MATCH (o)-[:LOCATED_IN]->(c:Commune)
        RETURN o.shared AS shared, o.kind AS kind, m.name AS parent, c.name_fr AS commune
        """
    )
    assert rows == [
        {
            "shared": True,
            "kind": "central_administration",
            "parent": "Ministère de l'Intérieur",
            "commune": "Rabat",
        }
    ]
    per_region = run(
        """
        MATCH (o:Organisation)-[:LOCATED_IN]->(:Commune)-[:IN]->(:Province)-[:IN]->(r:Region)
        WHERE o.kind IN ['regional_council', 'university'] OR o.acronym = 'CRI'
        RETURN r.name_fr AS region, count(o) AS n ORDER BY region
        """
    )
    assert {r["region"]: r["n"] for r in per_region} == {
        "Béni Mellal-Khénifra": 3, "Casablanca-Settat": 3, "Oriental": 3, "Souss-Massa": 3,
        "Tanger-Tétouan-Al Hoceima": 3,
    }  # fmt: skip


def test_a_reload_keeps_what_users_changed(clean_db, make_user):
    institutions.load()
    manager = make_user("manager", "manager@example.org")
    uid = run("MATCH (o:Organisation {seed_key: 'cri-02'}) RETURN o.uid AS uid")[0]["uid"]
    record = organisations.organisation_for_edit(manager, uid)
    organisations.update_organisation(
        manager, uid, record["version"],
        {**record, "phone": "0536 69 00 00", "commune": "02.411.01.11"},
    )  # fmt: skip
    institutions.load()
    row = run(
        "MATCH (o:Organisation {uid: $uid})-[:LOCATED_IN]->(c:Commune) "
        "RETURN o.phone AS phone, collect(c.code) AS communes",
        uid=uid,
    )[0]
    assert row == {"phone": "+212536690000", "communes": ["02.411.01.11"]}


def test_officers_read_national_bodies_and_their_own_regions_institutions(clean_db, make_user):
    institutions.load()
    oriental = make_user("officer", "o@example.org", ("02",))
    page = organisations.search_organisations(oriental, "", page=1)
    names = {o["name"] for o in page.items}
    assert "Direction générale des collectivités territoriales" in names
    assert "Centre régional d'investissement de l'Oriental" in names
    assert "Université Mohammed Premier" in names
    assert "Université Ibn Zohr" not in names
    assert page.total == 5 + 3  # the five shared national bodies, and the Oriental's three
