"""Positions over time: a mandate handed over after an election, a function ended."""

import re
from html import unescape

import pytest

from crm import organisations, people
from graph.database import run
from tests.formparse import form_with

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"


@pytest.fixture
def council(officer):
    council = organisations.create_organisation(
        officer, {"name": "Conseil communal d'Oujda", "kind": "commune_council", "commune": OUJDA}
    )
    iecgag = organisations.create_organisation(
        officer, {"name": "IECGAG d'Oujda", "kind": "council_body", "commune": OUJDA}
    )
    # An institutional tie of the council itself, which must outlive its presidents.
    run(
        "MATCH (a:Organisation {uid: $a}), (b:Organisation {uid: $b}) CREATE (b)-[:PART_OF]->(a)",
        a=council,
        b=iecgag,
    )
    outgoing = people.create_person(
        officer, {"first_name": "Omar", "last_name": "Hijazi", "commune": OUJDA}
    )
    successor = people.create_person(
        officer, {"first_name": "Mohamed", "last_name": "Azzaoui", "commune": OUJDA}
    )
    people.link_to_organisation(
        officer, outgoing, council, {"role": "Président", "since": "2021-09-20", "focal_point": "y"}
    )
    function = run(
        "MATCH (:Person {uid: $p})-[a:AFFILIATED_WITH]->() RETURN a.uid AS uid", p=outgoing
    )[0]["uid"]
    return {"council": council, "outgoing": outgoing, "successor": successor, "function": function}


def test_handover_after_an_election(client, council):
    page = client.get(f"/organisations/{council['council']}").get_data(as_text=True)
    assert f"/organisations/fonctions/{council['function']}/passation" in page
    response = client.post(
        f"/organisations/fonctions/{council['function']}/passation",
        data={"successor": f"Mohamed AZZAOUI [{council['successor']}]", "on": "2026-09-15",
              "focal_point": "y"},
    )  # fmt: skip
    assert response.status_code == 302

    page = client.get(f"/organisations/{council['council']}").get_data(as_text=True)
    rows = re.findall(r"<tr( class=\"past\")?>\s*<td><a[^>]*>([^<]+)</a>", page)
    assert rows == [("", "Mohamed AZZAOUI"), (' class="past"', "Omar HIJAZI")]
    assert "succède à Omar HIJAZI" in page
    outgoing = client.get(f"/personnes/{council['outgoing']}").get_data(as_text=True)
    assert "15/09/2026" in outgoing and "20/09/2021" in outgoing
    successor = client.get(f"/personnes/{council['successor']}").get_data(as_text=True)
    assert "Président" in successor and "point focal" in successor
    # The council's own ties are untouched.
    ties = run(
        "MATCH (:Organisation {uid: $c})<-[:PART_OF]-(b) RETURN b.name AS name",
        c=council["council"],
    )
    assert ties == [{"name": "IECGAG d'Oujda"}]
    history = run(
        "MATCH (e:AuditEvent {action: 'update'}) WHERE e.summary STARTS WITH 'Passation' "
        "RETURN collect(e.target_uid) AS uids"
    )[0]["uids"]
    assert set(history) == {council["outgoing"], council["successor"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "2020-01-01"}, "La date précède le début de la fonction."),
        ({"on": "2099-01-01"}, "La date ne peut pas être dans le futur."),
        ({"on": ""}, "Indiquez la date."),
        ({"successor": ""}, "Choisissez une personne dans la liste."),
        ({"successor": "same"}, "autre personne que le titulaire"),
    ],
)
def test_bad_handovers_are_refused_and_change_nothing(client, council, data, message):
    form = {"successor": f"x [{council['successor']}]", "on": "2026-09-15", **data}
    if form["successor"] == "same":
        form["successor"] = f"x [{council['outgoing']}]"
    response = client.post(f"/organisations/fonctions/{council['function']}/passation", data=form)
    assert message in response.get_data(as_text=True)
    rows = run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN a.until AS until")
    assert rows == [{"until": None}]


def test_end_a_function_without_successor(client, council):
    url = f"/organisations/fonctions/{council['function']}/fin"
    assert client.post(url, data={"end-until": "2026-01-31"}).status_code == 302
    until = run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN toString(a.until) AS u")[0]["u"]
    assert until == "2026-01-31"
    again = client.post(url, data={"end-until": "2026-02-01"})
    assert "déjà terminée" in again.get_data(as_text=True)


def test_handover_is_out_of_reach_of_other_regions(make_user, login, council):
    casablanca = make_user("officer", "casa@example.org", ("06",))
    client = login(casablanca)
    url = f"/organisations/fonctions/{council['function']}/passation"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"on": "2026-09-15"}).status_code == 404


def _handover_form(client, council):
    url = f"/organisations/fonctions/{council['function']}/passation"
    page = client.get(url).get_data(as_text=True)
    assert "data-record-picker" in page and "data-single" in page
    form = form_with(page, "successor_new")
    form.set("on", "2026-09-15")
    return url, form


def test_the_handover_form_as_rendered_takes_the_successor_typed_by_name(client, council):
    # Without JavaScript: the successor's name typed in full, any case or accents.
    url, form = _handover_form(client, council)
    form.set("successor_new", "mohamed azzaoui")
    assert client.post(url, data=form.submission()).status_code == 302
    holder = run(
        "MATCH (p:Person)-[a:AFFILIATED_WITH]->() WHERE a.until IS NULL RETURN p.uid AS uid"
    )
    assert holder == [{"uid": council["successor"]}]


def test_the_handover_form_as_rendered_takes_the_chip_and_keeps_it_when_refused(client, council):
    # With JavaScript the chip posts the successor's uid under the field's name.
    url, form = _handover_form(client, council)
    form.set("on", "2099-01-01")  # refused: the chosen successor must still be shown, by name
    data = form.submission()
    data.add("successor", council["successor"])
    refused = client.post(url, data=data).get_data(as_text=True)
    assert "La date ne peut pas être dans le futur." in refused
    again = form_with(refused, "successor_new")
    assert again.getlist("successor") == [council["successor"]]
    assert "Mohamed AZZAOUI" in refused and f"[{council['successor']}]" not in refused
    again.set("on", "2026-09-15")
    assert client.post(url, data=again.submission()).status_code == 302
    rows = run("MATCH (p:Person {uid: $uid})-[a:AFFILIATED_WITH]->() RETURN a.since AS since",
               uid=council["successor"])  # fmt: skip
    assert [str(r["since"]) for r in rows] == ["2026-09-15"]


def test_a_successor_name_two_people_bear_asks_to_choose(client, council, officer):
    people.create_person(
        officer, {"first_name": "Mohamed", "last_name": "Azzaoui", "commune": OUJDA}
    )
    url, form = _handover_form(client, council)
    form.set("successor_new", "Mohamed Azzaoui")
    page = client.post(url, data=form.submission()).get_data(as_text=True)
    assert "Plusieurs personnes portent ce nom" in unescape(page)
    assert run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN a.until AS until") == [{"until": None}]
