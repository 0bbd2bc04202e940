"""Every write that links or changes a second record checks the actor may write that one too.

The hole: an Oriental officer sees a Casablanca-Settat person because that person holds a
function at a shared national institution (readable by everyone). Naming that person as the
successor of an Oriental mandate used to give them a function in the Oriental region, and so
gave the officer write access to them. Each write path below is walked with such a target.
"""

import pytest

from crm import affiliations, dedupe, interactions, organisations, people
from crm.errors import Forbidden, Invalid
from graph import kinds
from graph.database import run
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration


@pytest.fixture
def world(manager, officer):
    indh = organisations.create_organisation(
        manager,
        {"name": "INDH", "kind": "national_agency", "commune": CASABLANCA, "shared": True},
    )
    # A Casablanca person, visible to the Oriental officer only through the shared INDH.
    casa = people.create_person(
        manager, {"first_name": "Karim", "last_name": "Bennani", "commune": CASABLANCA}
    )
    people.link_to_organisation(manager, casa, indh, {"role": "Coordinateur"})
    council = organisations.create_organisation(
        officer, {"name": "Conseil communal d'Oujda", "kind": "commune_council", "commune": OUJDA}
    )
    president = people.create_person(
        officer, {"first_name": "Omar", "last_name": "Hijazi", "commune": OUJDA}
    )
    people.link_to_organisation(officer, president, council, {"role": "Président"})
    function = run(
        "MATCH (:Person {uid: $p})-[a:AFFILIATED_WITH]->() RETURN a.uid AS uid", p=president
    )[0]["uid"]
    indh_function = run(
        "MATCH (:Person {uid: $p})-[a:AFFILIATED_WITH]->() RETURN a.uid AS uid", p=casa
    )[0]["uid"]
    return {
        "indh": indh,
        "casa": casa,
        "council": council,
        "president": president,
        "function": function,
        "indh_function": indh_function,
    }


def _casa_writable(officer, world) -> bool:
    return kinds.access("person", world["casa"], officer.scope.as_params())["writable"]


def test_the_casablanca_person_is_visible_but_read_only(officer, world):
    access = kinds.access("person", world["casa"], officer.scope.as_params())
    assert access == {"exists": True, "visible": True, "writable": False}


def test_a_successor_the_officer_may_only_read_is_refused(client, officer, world):
    with pytest.raises(Invalid) as refused:
        affiliations.hand_over(officer, world["function"], world["casa"], "2026-09-15")
    assert "autre territoire" in refused.value.errors["successor"]
    # Nothing was written: the president still holds the function, the Casablanca person
    # holds none in Oujda, and stays read-only.
    assert affiliations.get_function(officer, world["function"])["until"] is None
    assert not _casa_writable(officer, world)
    assert client.get(f"/personnes/{world['casa']}/modifier").status_code == 403
    response = client.post(f"/personnes/{world['casa']}/modifier", data={"first_name": "X"})
    assert response.status_code == 403


def test_the_handover_form_shows_the_refusal_next_to_the_field(client, world):
    response = client.post(
        f"/organisations/fonctions/{world['function']}/passation",
        data={"successor": f"Karim BENNANI [{world['casa']}]", "on": "2026-09-15"},
    )
    assert response.status_code in (200, 422)
    assert "autre territoire" in response.get_data(as_text=True)


def test_a_function_needs_both_records_writable(officer, world):
    with pytest.raises(Forbidden):
        people.link_to_organisation(officer, world["casa"], world["council"], {"role": "Membre"})
    with pytest.raises(Invalid) as refused:
        people.link_to_organisation(officer, world["president"], world["indh"], {"role": "Relais"})
    assert "institution nationale" in refused.value.errors["organisation"]
    assert not _casa_writable(officer, world)


def test_an_interaction_cannot_name_a_person_the_officer_may_only_read(officer, world):
    data = {
        "kind": "meeting",
        "date": "2026-03-02",
        "summary": "Réunion de coordination",
        "people": [f"Karim BENNANI [{world['casa']}]"],
    }
    with pytest.raises(Invalid) as refused:
        interactions.log_interaction(officer, data)
    assert "autre territoire" in refused.value.errors["people-0"]
    assert run("MATCH (i:Interaction) RETURN count(i) AS n")[0]["n"] == 0
    # The shared institution itself can be met by every officer.
    data = {**data, "people": [], "organisations": [f"INDH [{world['indh']}]"]}
    assert interactions.log_interaction(officer, data)


def test_ending_or_handing_over_a_shared_institutions_function_is_refused(officer, world):
    with pytest.raises(Forbidden):
        affiliations.end_function(officer, world["indh_function"], "2026-01-01")
    with pytest.raises(Forbidden):
        affiliations.hand_over(officer, world["indh_function"], world["president"], "2026-01-01")


def test_merging_or_dismissing_with_a_read_only_record_is_refused(officer, world):
    version = {"casa": 2, "president": 2}
    with pytest.raises(Forbidden):
        dedupe.merge(
            officer,
            "person",
            (world["president"], world["casa"]),
            world["president"],
            (version["president"], version["casa"]),
        )
    with pytest.raises(Forbidden):
        dedupe.dismiss(officer, "person", world["president"], world["casa"])
    assert run("MATCH (p:Person {uid: $uid}) RETURN count(p) AS n", uid=world["casa"])[0]["n"]


def test_editing_a_read_only_person_is_refused(officer, world):
    with pytest.raises(Forbidden):
        people.update_person(
            officer, world["casa"], 2, {"first_name": "Karim", "last_name": "B", "commune": OUJDA}
        )
