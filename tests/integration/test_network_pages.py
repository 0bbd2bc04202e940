"""The network analysis through its use cases and first pages (issue 10, items 3-7): metrics
table, gaps per commune, key people and portfolios, paths, snapshots and their comparison,
gap settings — on records created through the crm use cases, in the real Neo4j."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from crm import events, interactions, network, organisations, partnerships, people, privacy
from crm.errors import Forbidden, Invalid
from graph.database import run
from tests.formparse import form_with, forms
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 15)
WINDOW = {"du": "2025-06-01", "au": "2026-03-15"}


@pytest.fixture
def world(app, manager, officer):
    """Oujda: its council, two associations, an IECGAG; INDH (shared); a Casablanca
    association. Karim (council) and Salma (association A) meet at a training organised by
    the council; association B partners with INDH; Houda (opposition) attends too."""
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
    for who, org_uid in (("karim", "council"), ("salma", "A"), ("houda", "B")):
        events.add_participant(
            manager, training, {"person": [p[who]], "for_organisation": [o[org_uid]]}
        )
    partnerships.create_partnership(
        manager,
        {"organisation": o["B"], "partner": o["indh"], "kind": "convention",
         "title": "Convention emploi", "since": "2025-09-01", "status": "active"},
    )  # fmt: skip
    interactions.log_interaction(
        officer,
        {"kind": "meeting", "date": date(2026, 3, 1), "summary": "Suivi.",
         "organisations": [o["A"]]},
        today=TODAY,
    )  # fmt: skip
    privacy.set_opposition(manager, p["houda"], True, confirmed=True)
    return {"orgs": o, "people": p, "training": training}


def test_the_metrics_table_lists_every_actor_of_the_officers_territory(client, world):
    page = client.get("/reseau/?du=2025-06-01&au=2026-03-15&tri=degree").get_data(as_text=True)
    for name in ("Conseil communal d&#39;Oujda", "Association Al Amal", "Association Nour", "INDH"):
        assert name in page
    assert "Association Anfa" not in page  # Casablanca: outside the Oriental officer's scope
    assert "Intermédiarité" in page and "Comment lire ces indicateurs" in page
    assert "Densité" in page


def test_the_analysis_figures_on_the_hand_built_world(officer, world):
    result = network.analyse(officer, WINDOW, TODAY)
    actors = {a["uid"]: a for a in result["actors"]}
    o = world["orgs"]
    assert set(actors) == {o["council"], o["A"], o["B"], o["indh"]}
    # Council, A and B met at the training (co-attendance); B partners with INDH.
    assert actors[o["council"]]["degree"] == 2
    assert actors[o["B"]]["degree"] == 3
    assert actors[o["indh"]]["degree"] == 1
    assert result["overall"]["nodes"] == 4 and result["overall"]["ties"] == 4
    assert result["overall"]["density"] == pytest.approx(4 / 6)
    assert actors[o["B"]]["betweenness"] > 0 and actors[o["A"]]["betweenness"] == 0
    assert result["overall"]["women_share"] == pytest.approx(2 / 3)


def test_the_person_level_never_names_a_person_under_opposition(client, officer, world):
    result = network.analyse(officer, {**WINDOW, "niveau": "person"}, TODAY)
    names = {a["uid"]: a["name"] for a in result["actors"]}
    assert names[world["people"]["houda"]] == "Personne non nommée"
    assert names[world["people"]["karim"]] == "Karim OUJDI"
    page = client.get("/reseau/?niveau=person&du=2025-06-01&au=2026-03-15").get_data(as_text=True)
    assert "Zerouali" not in page and "ZEROUALI" not in page and "Personne non nommée" in page
    traced = run("MATCH (a:AuditEvent {action: 'analysis'}) RETURN a.details AS d")
    assert traced and json.loads(traced[-1]["d"])["nodes"] == 3


def test_gaps_per_commune_say_why_and_link_the_records(client, world):
    page = client.get("/reseau/lacunes?du=2025-06-01&au=2026-03-15").get_data(as_text=True)
    assert "Oujda" in page
    # No vertical tie: the council has no tie with the State or a provincial/regional council.
    assert "Aucun lien vertical" in page
    # The council met association A at the training: no council–association gap in Oujda.
    table = page.split("<table")[1].split("</table>")[0]
    assert "Aucun lien conseil communal – associations" not in table
    # The gap links the records it rests on.
    assert f"/organisations/{world['orgs']['council']}" in page
    # The checklist gap: no youth council, no ANAPEC… recorded in Oujda.
    assert "Conseil des jeunes" in page
    high = client.get("/reseau/lacunes?du=2025-06-01&au=2026-03-15&gravite=high")
    assert "Faible" not in high.get_data(as_text=True).split("<table")[-1].split("</table>")[0]


def test_a_very_large_scope_says_its_gaps_do_not_list_the_records_behind_ties(
    client, world, monkeypatch
):
    """Above DETAIL_PAIRS the projections are lean: the gaps page says so and still names the
    actors each gap is about."""
    url = "/reseau/lacunes?du=2025-06-01&au=2026-03-15"
    assert "Réseau très étendu" not in client.get(url).get_data(as_text=True)
    monkeypatch.setattr("graph.projections.DETAIL_PAIRS", 0)
    network.clear_caches()
    page = client.get(url).get_data(as_text=True)
    assert "Réseau très étendu" in page
    assert "Aucun lien vertical" in page
    assert f"/organisations/{world['orgs']['council']}" in page


def test_a_window_ending_before_it_starts_is_refused(client, world):
    page = client.get("/reseau/?du=2026-03-01&au=2026-01-01").get_data(as_text=True)
    assert "La fin de la période précède son début." in page
    with pytest.raises(Invalid):
        network.analyse(world and _officer(client), {"du": "2026-03-01", "au": "2026-01-01"},
                        TODAY)  # fmt: skip


def _officer(client):
    """The Oriental officer (the only officer of the tests that call this)."""
    from crm import users

    return users.load_session(
        run("MATCH (u:User {email: 'officer@example.org'}) RETURN u.session_token AS t")[0]["t"]
    )


def test_an_empty_scope_gives_empty_figures_not_an_error(login, make_user):
    lonely = make_user("officer", "lonely@example.org", (CASABLANCA,))
    result = network.analyse(lonely, WINDOW, TODAY)
    assert result["actors"] == [] and result["overall"]["nodes"] == 0
    assert result["overall"]["density"] == 0
    page = login(lonely).get("/reseau/").get_data(as_text=True)
    assert "Aucun acteur dans ce périmètre" in page


def test_introduction_paths_between_two_organisations(client, officer, world):
    o = world["orgs"]
    result = network.paths(officer, WINDOW, o["A"], o["indh"], TODAY)
    assert [[step["to_name"] for step in chain] for chain in result["chains"]][0] == [
        "Association Nour",
        "INDH",
    ]
    page = client.get(
        f"/reseau/chemins?du=2025-06-01&au=2026-03-15&de={o['A']}&vers={o['indh']}"
    ).get_data(as_text=True)
    assert "2 liens" in page and "Partenariat" in page
    with pytest.raises(Invalid):
        network.paths(officer, WINDOW, o["A"], o["A"], TODAY)


def test_a_snapshot_is_saved_once_per_name_and_compared(client, officer, manager, world):
    page = client.get("/reseau/instantanes").get_data(as_text=True)
    form = form_with(page, "name")
    form.set("name", "Référence 2026")
    form.set("du", "2025-06-01")
    form.set("au", "2026-03-15")
    assert client.post("/reseau/instantanes", data=form.submission()).status_code == 302
    again = client.post("/reseau/instantanes", data=form.submission())
    assert "Ce nom est déjà pris" in again.get_data(as_text=True)
    assert run("MATCH (s:Snapshot) RETURN count(s) AS n")[0]["n"] == 1

    # Something changes: a vertical tie for the council (a meeting with INDH).
    o = world["orgs"]
    interactions.log_interaction(
        officer,
        {"kind": "meeting", "date": date(2026, 3, 10), "summary": "Programme INDH.",
         "organisations": [o["council"], o["indh"]]},
        today=TODAY,
    )  # fmt: skip
    form.set("name", "Mi-parcours")
    assert client.post("/reseau/instantanes", data=form.submission()).status_code == 302
    listing = client.get("/reseau/instantanes").get_data(as_text=True)
    compare = next(f for f in forms(listing) if f.action.endswith("/comparer"))
    uids = {
        r["name"]: r["uid"] for r in run("MATCH (s:Snapshot) RETURN s.name AS name, s.uid AS uid")
    }
    compare.set("avant", uids["Référence 2026"])
    compare.set("apres", uids["Mi-parcours"])
    page = client.get(compare.action, query_string=compare.submission()).get_data(as_text=True)
    assert "Comblées" in page and "lien vertical" in page.lower()
    created = run("MATCH (a:AuditEvent {action: 'create', target_kind: 'snapshot'}) RETURN a")
    assert len(created) == 2


def test_managers_edit_the_gap_thresholds_and_officers_cannot(login, client, manager, world):
    assert client.get("/reseau/parametres").status_code == 403
    with pytest.raises(Forbidden):
        network.set_gap_settings(_officer(client), {})
    manager_client = login(manager)
    form = form_with(manager_client.get("/reseau/parametres").get_data(as_text=True),
                     "women_share_minimum")  # fmt: skip
    assert form.get("women_share_minimum") == "30"
    form.set("women_share_minimum", "80")
    form.set("enabled_expected_actor_missing", [])
    assert manager_client.post("/reseau/parametres", data=form.submission()).status_code == 302
    settings = network.gap_settings()
    assert settings.women_share_minimum == pytest.approx(0.8)
    assert "expected_actor_missing" not in settings.enabled
    form.set("women_share_minimum", "140")
    refused = manager_client.post("/reseau/parametres", data=form.submission())
    assert "Entre 0 et 100 %." in refused.get_data(as_text=True)


def test_key_people_and_the_officer_portfolio(client, officer, world):
    result = network.analyse(officer, WINDOW, TODAY)
    o = world["orgs"]
    # Association Nour alone ties INDH to the others: an articulation point.
    nour = next(k for k in result["key_people"] if k["uid"] == o["B"])
    assert nour["articulation"] is True and nour["cut_off"] == 1
    # The officer alone logged the interaction with association A.
    portfolio = next(p for p in result["portfolios"] if p["officer"] == officer.uid)
    assert o["A"] in portfolio["actors"]
    page = client.get("/reseau/personnes-cles?du=2025-06-01&au=2026-03-15").get_data(as_text=True)
    assert "Association Nour" in page and "Relations suivies par un seul agent" in page
    assert "Officer" in page  # the officer's display name heads their portfolio


def test_a_repeated_analysis_is_served_from_the_cache_until_a_write(officer, world):
    from graph.database import count_round_trips, read

    first = network.analyse(officer, WINDOW, TODAY)
    with count_round_trips() as trips:
        again = network.analyse(officer, WINDOW, TODAY)
        graphs = read(network.scoped_graphs, officer, WINDOW, TODAY)
    assert again is first and trips.count == 2  # the data version only, once per call
    # The projections the analysis made serve the map, the dashboard and the exports.
    assert graphs.organisations.number_of_edges() == first["overall"]["ties"]
    # Any write use case raises the data's version: the next analysis sees the new tie.
    o = world["orgs"]
    interactions.log_interaction(
        officer,
        {"kind": "meeting", "date": date(2026, 3, 12), "summary": "Programme INDH.",
         "organisations": [o["council"], o["indh"]]},
        today=TODAY,
    )  # fmt: skip
    fresh = network.analyse(officer, WINDOW, TODAY)
    assert fresh is not first
    assert fresh["overall"]["ties"] == first["overall"]["ties"] + 1
    rebuilt = read(network.scoped_graphs, officer, WINDOW, TODAY)
    assert rebuilt.organisations is not graphs.organisations
    assert rebuilt.organisations.number_of_edges() == graphs.organisations.number_of_edges() + 1
    # A refused write changes nothing, not even the version.
    with pytest.raises(Invalid):
        interactions.log_interaction(officer, {"kind": "meeting"}, today=TODAY)
    assert network.analyse(officer, WINDOW, TODAY) is fresh


def test_an_officer_reads_only_snapshots_of_their_territory(make_user, manager, officer, world):
    from crm import snapshots

    snapshots.save_snapshot(manager, "National", WINDOW, TODAY)
    casablanca = make_user("officer", "casa@example.org", (CASABLANCA,))
    snapshots.save_snapshot(casablanca, "Casablanca", WINDOW, TODAY)
    assert [s["name"] for s in snapshots.list_snapshots(officer)] == []  # the Oriental
    assert {s["name"] for s in snapshots.list_snapshots(manager)} == {"National", "Casablanca"}
    assert [s["name"] for s in snapshots.list_snapshots(casablanca)] == ["Casablanca"]


def test_switching_level_reuses_the_projections_unless_tie_kinds_are_chosen(officer, world):
    from graph.database import count_round_trips, read

    network.analyse(officer, WINDOW, TODAY)
    people = {**WINDOW, "niveau": "person"}
    with count_round_trips(record=True) as trips:
        result = network.analyse(officer, people, TODAY)
    assert result["scope"]["level"] == "person"
    assert not any("AS nodes" in q for q, _, _ in trips.statements)  # no projection
    graphs = read(network.scoped_graphs, officer, people, TODAY)
    assert graphs.scope.level == "person" and graphs.level() is graphs.people
    assert graphs.people is read(network.scoped_graphs, officer, WINDOW, TODAY).people
    # With tie kinds chosen, the chosen level's projection differs: projected again.
    chosen = {**people, "liens": ["co_attendance"]}
    with count_round_trips(record=True) as trips:
        network.analyse(officer, chosen, TODAY)
    assert sum("AS nodes" in q for q, _, _ in trips.statements) == 2
