"""The record pickers of the interaction form, as a browser without JavaScript submits them
(checkboxes of uids, names typed one a line), over the real Neo4j."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest

from crm import interactions, organisations, people
from graph.database import run
from tests.formparse import form_with

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"


@pytest.fixture
def world(manager):
    def org(name, commune, kind="osc", shared=False):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    def person(first, last, commune, org_uid=None):
        uid = people.create_person(
            manager, {"first_name": first, "last_name": last, "commune": commune}
        )
        if org_uid:
            people.link_to_organisation(manager, uid, org_uid, {"role": "Membre"})
        return uid

    association = org("Association Oujda Jeunesse", OUJDA)
    dgct = org(
        "Direction générale des collectivités territoriales", "", "central_administration", True
    )
    return {
        "association": association,
        "dgct": dgct,
        "karim": person("Karim", "Oujdi", OUJDA, association),
        "salma": person("Salma", "Berkani", OUJDA),
        "yassine": person("Yassine", "Taourirti", OUJDA),
        "casa_person": person("Nadia", "Casaoui", CASABLANCA),
        "casa_at_dgct": person("Said", "Casablanci", CASABLANCA, dgct),
    }


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _new_form(client, url: str = "/interactions/nouvelle"):
    form = form_with(_page(client, url), "people_new")
    form.set("kind", "meeting")
    form.set("date", (date.today() - timedelta(days=1)).isoformat())
    form.set("summary", "Préparation du forum local.")
    return form


def _participants(uid: str) -> set[str]:
    rows = run("MATCH (:Interaction {uid: $uid})-[:WITH]->(n) RETURN n.uid AS uid", uid=uid)
    return {row["uid"] for row in rows}


def _denials(uid: str) -> int:
    rows = run(
        "MATCH (e:AuditEvent {target_uid: $uid}) WHERE e.action = 'denied' RETURN count(e) AS n",
        uid=uid,
    )
    return rows[0]["n"]


def test_without_javascript_three_people_and_an_organisation_are_recorded(client, world):
    # Opened from Karim's page: he is chosen already, as a checked box showing his name only.
    url = f"/interactions/nouvelle?personne={world['karim']}"
    html = _page(client, url)
    form = form_with(html, "people_new")
    assert form.getlist("people") == [world["karim"]]
    assert 'data-source="/personnes/suggestions.json"' in html
    assert "Karim OUJDI" in html and f"[{world['karim']}]" not in html
    form = _new_form(client, url)
    form.set("people_new", "Salma Berkani\r\nTaourirti Yassine\r\n")  # typed, one a line
    form.set("organisations_new", "Association Oujda Jeunesse")
    response = client.post(url, data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    [uid] = [r["uid"] for r in run("MATCH (i:Interaction) RETURN i.uid AS uid")]
    assert _participants(uid) == {
        world["karim"],
        world["salma"],
        world["yassine"],
        world["association"],
    }
    detail = _page(client, f"/interactions/{uid}")
    for name in ("Karim OUJDI", "Salma BERKANI", "Yassine TAOURIRTI", "Oujda Jeunesse"):
        assert name in detail


def test_a_name_typed_without_javascript_that_matches_nothing_is_shown_at_the_picker(client, world):
    form = _new_form(client)
    form.set("people_new", "Personne Inconnue")
    html = client.post("/interactions/nouvelle", data=form.submission()).get_data(as_text=True)
    assert "Personne introuvable" in html
    assert 'id="people-error"' in html
    assert run("MATCH (i:Interaction) RETURN count(i) AS n")[0]["n"] == 0


def test_editing_keeps_the_participants_and_can_remove_one(client, officer, world):
    uid = interactions.log_interaction(
        officer,
        {
            "kind": "meeting",
            "date": date.today() - timedelta(days=1),
            "summary": "Point d'étape.",
            "people": [world["karim"], world["salma"], world["yassine"]],
            "organisations": [world["association"]],
        },
    )
    url = f"/interactions/{uid}/modifier"
    html = _page(client, url)
    form = form_with(html, "people_new")
    assert sorted(form.getlist("people")) == sorted(
        [world["karim"], world["salma"], world["yassine"]]
    )
    assert form.getlist("organisations") == [world["association"]]
    for person in ("karim", "salma", "yassine"):
        assert world[person] not in html.replace(f'value="{world[person]}"', "")

    response = client.post(url, data=form.submission())  # saved unchanged
    assert response.status_code == 302
    assert len(_participants(uid)) == 4

    form = form_with(_page(client, url), "people_new")
    form.set("people", [world["karim"], world["yassine"]])  # Salma unchecked
    response = client.post(url, data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _participants(uid) == {world["karim"], world["yassine"], world["association"]}


def test_a_uid_outside_the_scope_posted_by_hand_is_not_found_and_traced(client, world):
    form = _new_form(client)
    data = form.submission()
    data.add("people", world["casa_person"])
    before = _denials(world["casa_person"])
    response = client.post("/interactions/nouvelle", data=data)
    assert response.status_code == 404
    assert _denials(world["casa_person"]) == before + 1
    assert run("MATCH (i:Interaction) RETURN count(i) AS n")[0]["n"] == 0


def test_a_person_seen_only_through_a_shared_institution_is_refused_with_the_message(client, world):
    suggested = client.get("/personnes/suggestions.json?q=casablanci").get_json()
    assert suggested["items"] == [
        {
            "uid": world["casa_at_dgct"],
            "name": "Said CASABLANCI",
            "detail": "Direction générale des collectivités territoriales",
        }
    ]
    form = _new_form(client)
    data = form.submission()
    data.add("people", world["casa_at_dgct"])
    response = client.post("/interactions/nouvelle", data=data)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Cette personne relève d'un autre territoire" in html
    assert "Said CASABLANCI" in html  # still shown as chosen, by name
    assert run("MATCH (i:Interaction) RETURN count(i) AS n")[0]["n"] == 0


def test_picker_suggestions_are_scoped_and_name_records_without_their_uid(client, world):
    items = client.get("/personnes/suggestions.json?q=oujdi").get_json()["items"]
    assert items == [
        {"uid": world["karim"], "name": "Karim OUJDI", "detail": "Association Oujda Jeunesse"}
    ]
    assert client.get("/personnes/suggestions.json?q=casaoui").get_json() == {"items": []}
    orgs = client.get("/organisations/suggestions.json?q=jeunesse").get_json()
    assert [(o["uid"], o["name"]) for o in orgs["items"]] == [
        (world["association"], "Association Oujda Jeunesse")
    ]
    assert all(o["uid"] not in o["name"] + o["detail"] for o in orgs["items"])
