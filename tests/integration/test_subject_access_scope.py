"""Law 09-08 subject access within the actor's scope.

The full record (every function whatever the territory, the staff who processed the data) is
for administrators; any other role sees the functions, interactions and processing history its
scope allows, without the identity of the staff.
"""

import json

import pytest

from crm import affiliations, dedupe, interactions, organisations, people

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"  # Oriental
CASABLANCA = "06.141.01.0"  # Casablanca-Settat

MANAGER_EMAIL = "karima.manager@example.org"
CASA_ORG = "Fondation Anfa Casablanca"
CASA_PERSON = "Casaoui"


@pytest.fixture
def manager(make_user):
    return make_user("manager", MANAGER_EMAIL)


@pytest.fixture
def admin(make_user):
    return make_user("admin", "admin@example.org")


@pytest.fixture
def amina(manager):
    """A person of Oujda, with a function in Oujda and one (ended) in Casablanca."""
    oriental_org = organisations.create_organisation(
        manager, {"name": "Association Tafilalt", "kind": "osc", "commune": OUJDA}
    )
    casa_org = organisations.create_organisation(
        manager, {"name": CASA_ORG, "kind": "osc", "commune": CASABLANCA}
    )
    uid = people.create_person(
        manager, {"first_name": "Amina", "last_name": "Berrada", "commune": OUJDA}
    )
    people.link_to_organisation(manager, uid, oriental_org, {"role": "Présidente"})
    casa_function = people.link_to_organisation(
        manager, uid, casa_org, {"role": "Trésorière", "since": "2019-01-01"}
    )
    # "Fin de fonction : Trésorière (Fondation Anfa Casablanca)" in the processing history.
    affiliations.end_function(manager, casa_function, "2024-06-30")
    # A pair dismissed with a person of Casablanca: in the history, never by name.
    other = people.create_person(
        manager, {"first_name": "Amina", "last_name": CASA_PERSON, "commune": CASABLANCA}
    )
    dedupe.dismiss(manager, "person", uid, other)
    interactions.log_interaction(
        manager,
        {
            "kind": "meeting",
            "date": "2026-11-02",
            "summary": "Réunion sur le budget participatif.",
            "people": [f"Amina BERRADA [{uid}]"],
        },
    )
    return uid


def _page_and_json(client, uid) -> tuple[str, dict]:
    page = client.get(f"/personnes/{uid}/donnees")
    assert page.status_code == 200
    response = client.get(f"/personnes/{uid}/donnees.json")
    assert response.status_code == 200
    return page.get_data(as_text=True), json.loads(response.get_data(as_text=True))


def test_officer_sees_only_their_scope_and_no_staff_identity(login, officer, amina):
    client = login(officer)
    client.get(f"/personnes/{amina}")  # a consultation by the officer, in the history
    html, data = _page_and_json(client, amina)
    raw = json.dumps(data, ensure_ascii=False, default=str)

    for text in (html, raw):
        assert "Association Tafilalt" in text and "Présidente" in text
        assert CASA_ORG not in text and "Trésorière" not in text
        assert CASA_PERSON not in text
        assert MANAGER_EMAIL not in text and officer.email not in text
        assert "Karima" not in text  # nor the staff's display name
        assert "Réunion sur le budget participatif." in text
    assert [a["organisation"] for a in data["affiliations"]] == ["Association Tafilalt"]
    assert data["partial"] is True
    # The processing history keeps what was done and when, not who did it.
    actions = [e["action"] for e in data["events"]]
    assert "create" in actions and "view" in actions
    assert all(set(e) == {"at", "action", "summary"} for e in data["events"])
    assert "Vue partielle" in html and "réservé aux administrateurs" in html


def test_manager_sees_every_territory_but_not_the_staff(login, manager, amina):
    html, data = _page_and_json(login(manager), amina)
    assert sorted(a["organisation"] for a in data["affiliations"]) == [
        "Association Tafilalt",
        CASA_ORG,
    ]
    assert data["partial"] is True
    assert all("by" not in e for e in data["events"])
    assert MANAGER_EMAIL not in html and MANAGER_EMAIL not in json.dumps(data, default=str)


def test_administrator_gets_the_full_record(login, officer, admin, amina):
    login(officer).get(f"/personnes/{amina}")
    html, data = _page_and_json(login(admin), amina)
    raw = json.dumps(data, ensure_ascii=False, default=str)
    for text in (html, raw):
        assert "Association Tafilalt" in text and CASA_ORG in text and "Trésorière" in text
        assert "Paire de doublons écartée" in text  # the trail never names the other person
        assert MANAGER_EMAIL in text and officer.email in text
        assert "Réunion sur le budget participatif." in text
    assert data["partial"] is False
    assert {e["by"] for e in data["events"]} >= {MANAGER_EMAIL, officer.email}
    assert "Vue partielle" not in html
