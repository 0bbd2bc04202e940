"""The network map's JSON and page (issue 11, items 1-2): scope and access, unnamed people,
names as plain data, ego networks, aggregation, stable positions — on records created
through the crm use cases, in the real Neo4j."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from crm import events, maps, organisations, partnerships, people, privacy, versioned_cache
from graph.database import run
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 15)
SCOPE = "du=2025-06-01&au=2026-03-15"
XSS = '<img src=x onerror=alert(1)> & "Coop" </script>'


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test computes its maps (the cache is per process)."""
    versioned_cache.clear("maps")


@pytest.fixture
def world(app, manager):
    """Oujda: the council, two associations (one with a hostile name), INDH (shared); a
    Casablanca association tied to INDH. Karim (council), Salma (A) and Houda (B, under
    opposition) attend a training organised by the council; B partners with INDH."""
    app.config["CLOCK"] = lambda: datetime(2026, 3, 15, 10, 0, tzinfo=UTC)

    def org(name, commune, kind="osc", shared=False):
        return organisations.create_organisation(
            manager, {"name": name, "kind": kind, "commune": commune, "shared": shared}
        )

    def person(first, last, gender, organisation):
        uid = people.create_person(
            manager, {"first_name": first, "last_name": last, "commune": OUJDA, "gender": gender}
        )
        people.link_to_organisation(
            manager, uid, organisation, {"role": "Membre", "since": "2024-01-01"}
        )
        return uid

    o = {
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "A": org("Association Al Amal", OUJDA),
        "B": org("Association Nour", OUJDA),
        "xss": org(XSS, OUJDA, "cooperative"),
        "indh": org("INDH", "", "national_agency", shared=True),
        "casa": org("Association Anfa", CASABLANCA),
    }
    p = {
        "karim": person("Karim", "Oujdi", "m", o["council"]),
        "salma": person("Salma", "Berkani", "f", o["A"]),
        "houda": person("Houda", "Zerouali", "f", o["B"]),
    }
    training = events.create_event(
        manager,
        {"title": "Formation PAC", "kind": "training", "module": "pac",
         "start_date": "2026-02-10", "commune": OUJDA, "organisers": [o["council"]]},
    )  # fmt: skip
    for who, org_key in (("karim", "council"), ("salma", "A"), ("houda", "B")):
        events.add_participant(
            manager, training, {"person": [p[who]], "for_organisation": [o[org_key]]}
        )

    def partners(a, b, since="2025-09-01"):
        partnerships.create_partnership(
            manager,
            {"organisation": o[a], "partner": o[b], "kind": "convention",
             "title": f"Convention {a}-{b}", "since": since, "status": "active"},
        )  # fmt: skip

    partners("B", "indh")
    partners("xss", "council")
    partners("casa", "indh")
    privacy.set_opposition(manager, p["houda"], True, confirmed=True)
    return {"orgs": o, "people": p}


def get_map(client, query: str = "") -> dict:
    response = client.get(f"/reseau/carte/donnees.json?{SCOPE}&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def node_ids(data: dict) -> set[str]:
    return {n["id"] for n in data["nodes"]}


def test_the_manager_sees_every_region_and_the_officer_only_the_oriental(
    login, manager, client, world
):
    o = world["orgs"]
    everything = get_map(login(manager))
    assert node_ids(everything) == set(o.values())
    oriental = get_map(client)
    # Casablanca's association is outside the officer's scope; INDH (shared) is kept.
    assert node_ids(oriental) == {o["council"], o["A"], o["B"], o["xss"], o["indh"]}
    assert "Anfa" not in json.dumps(oriental)
    by_id = {n["id"]: n for n in oriental["nodes"]}
    assert by_id[o["A"]]["url"] == f"/organisations/{o['A']}"
    assert by_id[o["A"]]["place"] == "Oujda"
    # Ties point at nodes by index, with their kinds as bits of tie_kinds and a freshness.
    kinds = [k["code"] for k in oriental["tie_kinds"]]
    pairs = {}
    for a, b, weight, mask, fresh in oriental["edges"]:
        ends = frozenset((oriental["nodes"][a]["id"], oriental["nodes"][b]["id"]))
        pairs[ends] = {k for i, k in enumerate(kinds) if mask & (1 << i)}
        assert weight > 0 and 0 <= fresh < len(oriental["freshness"])
    assert pairs[frozenset((o["B"], o["indh"]))] == {"partnership"}
    assert "co_attendance" in pairs[frozenset((o["council"], o["A"]))]
    # Every node has a position, size and colour of the legend.
    legend = {g["key"] for g in oriental["legend"]}
    for n in oriental["nodes"]:
        assert isinstance(n["x"], int) and isinstance(n["y"], int) and n["size"] >= 6
        assert n["group"] in legend


def test_a_hostile_name_is_returned_as_plain_data(client, world):
    response = client.get(f"/reseau/carte/donnees.json?{SCOPE}")
    data = response.get_json()
    node = next(n for n in data["nodes"] if n["id"] == world["orgs"]["xss"])
    assert node["label"] == XSS  # the exact text: the page shows it with textContent
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/reseau/carte?{SCOPE}").get_data(as_text=True)
    assert "<img src=x" not in page and "onerror" not in page


def test_people_under_opposition_are_never_named(client, officer, world):
    data = get_map(client, "niveau=person")
    by_id = {n["id"]: n for n in data["nodes"]}
    houda = by_id[world["people"]["houda"]]
    assert houda["label"] == "Personne non nommée" and houda["url"] is None
    assert by_id[world["people"]["karim"]]["label"] == "Karim OUJDI"
    assert by_id[world["people"]["karim"]]["url"] == f"/personnes/{world['people']['karim']}"
    body = json.dumps(data, ensure_ascii=False)
    assert "Houda" not in body and "Zerouali" not in body.title()
    traced = run(
        "MATCH (a:AuditEvent {action: 'analysis'}) WHERE a.summary STARTS WITH 'Carte' "
        "RETURN a.details AS d"
    )
    assert traced and json.loads(traced[-1]["d"])["nodes"] == 3


def test_the_ego_network_of_one_actor_at_one_and_two_steps(client, world):
    o = world["orgs"]
    one = get_map(client, f"ego={o['indh']}&pas=1")
    assert node_ids(one) == {o["indh"], o["B"]}
    assert one["ego"] == {"id": o["indh"], "label": "INDH", "steps": 1}
    two = get_map(client, f"ego={o['indh']}&pas=2")
    # B met the council and A at the training: two steps from INDH.
    assert node_ids(two) == {o["indh"], o["B"], o["council"], o["A"]}
    # Outside the officer's scope: refused, as if it did not exist.
    refused = client.get(f"/reseau/carte/donnees.json?{SCOPE}&ego={o['casa']}")
    assert refused.status_code == 400
    assert "n'est pas dans le réseau" in refused.get_json()["errors"]["ego"]


def test_the_aggregated_view_sums_ties_between_communes(login, manager, world, monkeypatch):
    o = world["orgs"]
    data = get_map(login(manager), "vue=commune")
    assert data["view"] == "commune" and data["nodes_total"] == 6
    by_id = {n["id"]: n for n in data["nodes"]}
    # The communes, and INDH (placed nowhere) as itself.
    assert set(by_id) == {OUJDA, CASABLANCA, o["indh"]}
    assert by_id[OUJDA]["label"] == "Oujda" and by_id[OUJDA]["value"] == 4
    assert by_id[OUJDA]["url"] == f"/territoires/commune/{OUJDA}"
    assert by_id[o["indh"]]["url"] == f"/organisations/{o['indh']}"
    index = {n["id"]: i for i, n in enumerate(data["nodes"])}
    ties = {frozenset((a, b)) for a, b, *_ in data["edges"]}
    assert ties == {
        frozenset((index[OUJDA], index[o["indh"]])),
        frozenset((index[CASABLANCA], index[o["indh"]])),
    }
    # Above the threshold the map is aggregated by itself.
    monkeypatch.setattr(maps, "AGGREGATE_ABOVE", 3)
    versioned_cache.clear("maps")
    assert get_map(login(manager))["view"] == "commune"
    assert get_map(login(manager), "vue=detail")["view"] == "detail"


def test_positions_are_the_same_on_reload(client, world, monkeypatch):
    first = get_map(client)
    versioned_cache.clear("maps")
    second = get_map(client)
    assert [(n["id"], n["x"], n["y"]) for n in first["nodes"]] == [
        (n["id"], n["x"], n["y"]) for n in second["nodes"]
    ]


def test_colour_by_community_and_size_by_a_metric_of_the_analysis(client, world):
    data = get_map(client, "couleur=community&taille=betweenness")
    assert data["colour_by"] == "community" and data["size_by"] == "betweenness"
    assert all(g["label"].startswith("Groupe ") for g in data["legend"])
    by_id = {n["id"]: n for n in data["nodes"]}
    b, a = by_id[world["orgs"]["B"]], by_id[world["orgs"]["A"]]
    assert b["value"] > 0 and a["value"] == 0 and b["size"] > a["size"]
    by_kind = get_map(client, "couleur=kind")
    labels = {g["label"] for g in by_kind["legend"]}
    assert {"Association / OSC", "Conseil communal", "Coopérative"} <= labels


def test_bad_options_are_refused_in_french(client, world):
    refused = client.get(f"/reseau/carte/donnees.json?{SCOPE}&taille=salaire")
    assert refused.status_code == 400
    assert refused.get_json()["errors"] == {"taille": "Choisissez un indicateur de la liste."}
    page = client.get(f"/reseau/carte?{SCOPE}&taille=salaire").get_data(as_text=True)
    assert "Choisissez un indicateur de la liste." in page and "data-source" not in page


def test_the_page_carries_the_scope_to_its_json_and_is_in_the_network_menu(client, world):
    page = client.get(f"/reseau/carte?{SCOPE}&couleur=community").get_data(as_text=True)
    assert 'data-source="/reseau/carte/donnees.json?' in page
    assert "du=2025-06-01" in page and "couleur=community" in page
    assert "vendor/vis-network/vis-network.min.js" in page and "js/network-map.js" in page
    assert 'aria-current="page">Carte</a>' in page
    metrics = client.get(f"/reseau/?{SCOPE}").get_data(as_text=True)
    assert "/reseau/carte?" in metrics


def test_the_map_needs_a_signed_in_user(app, world):
    response = app.test_client().get(f"/reseau/carte/donnees.json?{SCOPE}")
    assert response.status_code in (302, 401)
