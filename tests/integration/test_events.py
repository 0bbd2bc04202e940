"""Events and attendance (issue 9, items 3 and 4), through the pages as a browser submits
them (``tests.formparse``), checked in Neo4j."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crm import events, organisations, people, privacy
from crm.errors import Invalid, NotFound
from graph.database import run
from tests.formparse import form_with
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration


@pytest.fixture
def world(manager):
    def org(name, commune, kind="osc", shared=False):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    def person(first, last, commune, gender=""):
        return people.create_person(
            manager,
            {"first_name": first, "last_name": last, "commune": commune, "gender": gender},
        )

    return {
        "association": org("Association Oujda Jeunesse", OUJDA),
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "indh": org("INDH", "", "national_agency", shared=True),
        "person": person("Karim", "Oujdi", OUJDA, "m"),
        "salma": person("Salma", "Berkani", OUJDA, "f"),
        "casa_org": org("Association Anfa Solidarité", CASABLANCA),
        "casa_person": person("Nadia", "Casaoui", CASABLANCA, "f"),
    }


def _event(actor, **data) -> str:
    base = {
        "title": "Formation budget participatif",
        "kind": "training",
        "module": "budget_participatif",
        "start_date": "2026-03-10",
        "start_time": "09:30",
        "end_time": "16:00",
        "commune": OUJDA,
    }
    return events.create_event(actor, {**base, **data})


def _count(label: str) -> int:
    return run(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]


# --- creating, listing, editing, cancelling -----------------------------------------------------


def test_an_officer_creates_an_event_through_its_form(client, world):
    page = client.get("/evenements/nouveau").get_data(as_text=True)
    form = form_with(page, "title")
    form.set("title", "Consultation publique sur le PAC")
    form.set("kind", "public_consultation")
    form.set("start_date", "2026-04-02")
    form.set("start_time", "10:00")
    form.set("end_time", "12h30")
    form.set("commune", "Oujda")
    form.set("venue", "Salle des fêtes")
    form.set("organisers_new", "Association Oujda Jeunesse\nINDH")
    form.set("themes", ["gouvernance"] if "gouvernance" in form.options("themes") else [])
    response = client.post("/evenements/nouveau", data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    row = run(
        """
        MATCH (e:Event)-[:HELD_IN]->(c:Commune)
        RETURN e.title AS title, e.kind AS kind, e.starts_at AS starts_at, e.ends_at AS ends_at,
               e.start_date AS start_date, e.version AS version, c.code AS commune,
               COLLECT { MATCH (o)-[:ORGANISED]->(e) RETURN o.name ORDER BY o.name } AS organisers
        """
    )[0]
    assert row["title"] == "Consultation publique sur le PAC"
    assert row["kind"] == "public_consultation"
    assert (row["starts_at"], row["ends_at"]) == ("2026-04-02T10:00", "2026-04-02T12:30")
    assert row["start_date"].to_native() == date(2026, 4, 2)
    assert row["commune"] == OUJDA and row["version"] == 1
    assert row["organisers"] == ["Association Oujda Jeunesse", "INDH"]
    detail = client.get(response.headers["Location"].replace("/participants", ""))
    text = detail.get_data(as_text=True)
    assert "Consultation publique sur le PAC" in text and "02/04/2026, 10:00 – 12:30" in text
    assert "Association Oujda Jeunesse" in text and "Salle des fêtes" in text
    created = run("MATCH (a:AuditEvent {action: 'create', target_kind: 'event'}) RETURN a")
    assert len(created) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Le titre est obligatoire."),
        ({"start_date": ""}, "start_date", "La date de début est obligatoire."),
        ({"commune": ""}, "commune", "La commune est obligatoire."),
        (
            {"end_date": "2026-03-09"},
            "end_date",
            "La fin de l'événement ne peut pas précéder son début.",
        ),
        ({"end_time": "08:00"}, "end_date", "La fin de l'événement ne peut pas précéder"),
        ({"module": ""}, "module", "Indiquez le module de la formation."),
        ({"commune": CASABLANCA}, "commune", "Cette commune est hors de votre territoire."),
    ],
)
def test_bad_events_are_refused_with_a_message_and_nothing_written(
    client, world, change, field, message
):
    form = form_with(client.get("/evenements/nouveau").get_data(as_text=True), "title")
    values = {
        "title": "Atelier",
        "kind": "training",
        "module": "budget_participatif",
        "start_date": "2026-03-10",
        "start_time": "09:00",
        "commune": OUJDA,
        **change,
    }
    for name, value in values.items():
        form.set(name, value)
    response = client.post("/evenements/nouveau", data=form.submission())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message.replace("'", "&#39;") in page
    assert f'id="{field}-error"' in page
    assert _count("Event") == 0
    # What the user typed is still in the form.
    assert form_with(page, "title").get("title") == values["title"]


def test_the_edit_form_saves_back_unchanged_and_refuses_a_stale_edit(client, officer, world):
    uid = _event(officer, organisers=[world["association"], world["indh"]], themes=[])
    url = f"/evenements/{uid}/modifier"
    form = form_with(client.get(url).get_data(as_text=True), "title")
    before = run("MATCH (e:Event {uid: $uid}) RETURN properties(e) AS p", uid=uid)[0]["p"]
    assert client.post(url, data=form.submission()).status_code == 302
    after = run("MATCH (e:Event {uid: $uid}) RETURN properties(e) AS p", uid=uid)[0]["p"]
    for key in ("title", "kind", "starts_at", "ends_at", "start_date", "module", "venue"):
        assert after.get(key) == before.get(key), key
    organisers = run(
        "MATCH (o)-[:ORGANISED]->(:Event {uid: $uid}) RETURN o.uid AS uid ORDER BY uid", uid=uid
    )
    assert {r["uid"] for r in organisers} == {world["association"], world["indh"]}

    # Someone else changes it meanwhile: the old form is refused, showing the current version.
    events.update_event(officer, uid, 2, {**_edit_data(officer, uid), "title": "Autre titre"})
    form.set("title", "Mon titre")
    response = client.post(url, data=form.submission())
    assert response.status_code == 200
    assert "modifiée par quelqu" in response.get_data(as_text=True)
    assert run("MATCH (e:Event {uid: $uid}) RETURN e.title AS t", uid=uid)[0]["t"] == "Autre titre"
    history = client.get(f"/evenements/{uid}").get_data(as_text=True)
    assert "Autre titre" in history and "Modification" in history


def _edit_data(actor, uid) -> dict:
    found = events.event_for_edit(actor, uid)
    return {**found, "organisers": found["organisers"]}


def test_cancelling_keeps_the_event_listed_and_closes_its_sheet(client, officer, world):
    uid = _event(officer)
    detail = client.get(f"/evenements/{uid}").get_data(as_text=True)
    form = form_with(detail, "reason")
    form.set("reason", "Reportée à la demande de la commune")
    assert client.post(form.action, data=form.submission()).status_code == 302
    row = run("MATCH (e:Event {uid: $uid}) RETURN e.cancelled_at AS at, e.version AS v", uid=uid)
    assert row[0]["at"] is not None and row[0]["v"] == 2
    listing = client.get("/evenements/").get_data(as_text=True)
    assert "Formation budget participatif" in listing and "annulé" in listing
    with pytest.raises(Invalid) as refused:
        events.add_participant(officer, uid, {"person": [world["person"]]})
    assert "annulé" in refused.value.errors["person"]


def test_the_list_filters_by_kind_territory_period_theme_and_text(client, manager, world):
    _event(manager, title="Formation Oujda", themes=["jeunesse"] if _has("jeunesse") else [])
    _event(
        manager,
        title="Forum Casablanca",
        kind="forum",
        module="",
        commune=CASABLANCA,
        start_date="2026-05-20",
    )
    _event(manager, title="Atelier Oujda", kind="workshop", start_date="2026-06-01")
    manager_client = _login_manager(client, manager)

    def titles(query: str) -> list[str]:
        page = manager_client.get("/evenements/?" + query).get_data(as_text=True)
        return [t for t in ("Formation Oujda", "Forum Casablanca", "Atelier Oujda") if t in page]

    assert titles("") == ["Formation Oujda", "Forum Casablanca", "Atelier Oujda"]
    assert titles("type=forum") == ["Forum Casablanca"]
    assert titles("region=02") == ["Formation Oujda", "Atelier Oujda"]
    assert titles("commune=" + CASABLANCA) == ["Forum Casablanca"]
    assert titles("du=2026-05-01&au=2026-05-31") == ["Forum Casablanca"]
    assert titles("q=atelier") == ["Atelier Oujda"]
    if _has("jeunesse"):
        assert titles("theme=jeunesse") == ["Formation Oujda"]
    refused = manager_client.get("/evenements/?du=2026-06-01&au=2026-05-01")
    assert "La fin de la période précède son début." in refused.get_data(as_text=True)


def _has(theme: str) -> bool:
    from graph.vocabulary import THEMES

    return theme in THEMES


def _login_manager(client, manager):
    from tests.integration.conftest import PASSWORD

    other = client.application.test_client()
    other.post("/connexion", data={"email": manager.email, "password": PASSWORD})
    return other


def test_the_list_pages(client, manager, world):
    for day in range(1, 29):
        _event(
            manager, title=f"Réunion {day:02d}", kind="workshop", start_date=f"2026-02-{day:02d}"
        )
    page_one = client.get("/evenements/?tri=upcoming").get_data(as_text=True)
    assert "Réunion 01" in page_one and "Réunion 26" not in page_one
    page_two = client.get("/evenements/?tri=upcoming&page=2").get_data(as_text=True)
    assert "Réunion 26" in page_two and "28 événements" in page_two


# --- scope ----------------------------------------------------------------------------------------


def test_an_oriental_officer_cannot_see_or_join_a_casablanca_event(client, officer, manager, world):
    casa = _event(manager, title="Forum d'Anfa", commune=CASABLANCA, kind="forum", module="")
    assert client.get(f"/evenements/{casa}").status_code == 404
    assert client.get(f"/evenements/{casa}/participants").status_code == 404
    assert "Forum d&#39;Anfa" not in client.get("/evenements/").get_data(as_text=True)
    response = client.post(
        f"/evenements/{casa}/participants", data={"existing-person": world["person"]}
    )
    assert response.status_code == 404
    with pytest.raises(NotFound):
        events.add_participant(officer, casa, {"person": [world["person"]]})
    denied = run(
        "MATCH (a:AuditEvent {action: 'denied', target_uid: $uid}) RETURN count(a) AS n", uid=casa
    )[0]["n"]
    assert denied >= 3
    attended = run("MATCH ()-[a:ATTENDED]->() RETURN count(a) AS n")[0]["n"]
    assert attended == 0
    # Nor can they bring a Casablanca person into their own event.
    mine = _event(officer)
    with pytest.raises(NotFound):
        events.add_participant(officer, mine, {"person": [world["casa_person"]]})


# --- attendance -----------------------------------------------------------------------------------


def test_participants_are_added_one_by_one_and_a_second_listing_is_refused(client, officer, world):
    uid = _event(officer)
    url = f"/evenements/{uid}/participants"
    form = form_with(client.get(url).get_data(as_text=True), "existing-person_new")
    form.set("existing-person_new", "Karim Oujdi")
    form.set("existing-role", "speaker")
    form.set("existing-for_organisation_new", "Association Oujda Jeunesse")
    assert client.post(url, data=form.submission()).status_code == 302
    row = run(
        "MATCH (p:Person)-[a:ATTENDED]->(:Event {uid: $uid}) "
        "RETURN p.uid AS person, a.role AS role, a.for_organisation AS org",
        uid=uid,
    )
    assert row == [{"person": world["person"], "role": "speaker", "org": world["association"]}]

    # The same person again: refused next to the field, nothing added.
    form = form_with(client.get(url).get_data(as_text=True), "existing-person_new")
    form.set("existing-person_new", "Karim Oujdi")
    response = client.post(url, data=form.submission())
    assert response.status_code == 200
    assert "figure déjà parmi les participants" in response.get_data(as_text=True)
    assert run("MATCH ()-[a:ATTENDED]->() RETURN count(a) AS n")[0]["n"] == 1

    sheet = client.get(url).get_data(as_text=True)
    assert "Karim OUJDI" in sheet and "Intervenant" in sheet

    # The person's and the organisation's pages list the event.
    person_page = client.get(f"/personnes/{world['person']}").get_data(as_text=True)
    assert "Formation budget participatif" in person_page
    org_page = client.get(f"/organisations/{world['association']}").get_data(as_text=True)
    assert "Formation budget participatif" in org_page and "1 participant pour elle" in org_page


def test_a_new_person_is_created_on_the_fly_and_listed(client, officer, world):
    uid = _event(officer)
    url = f"/evenements/{uid}/participants"
    form = form_with(client.get(url).get_data(as_text=True), "new-first_name")
    form.set("new-first_name", "Houda")
    form.set("new-last_name", "Zerouali")
    form.set("new-gender", "f")
    form.set("new-age_band", "18-24")
    form.set("new-phones", "0661 99 88 77")
    response = client.post(form.action, data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    row = run(
        "MATCH (p:Person {last_name: 'Zerouali'})-[a:ATTENDED]->(:Event {uid: $uid}) "
        "MATCH (p)-[:LOCATED_IN]->(c:Commune) "
        "RETURN p.gender AS g, p.age_band AS age, p.phones AS phones, c.code AS commune, "
        "a.role AS role",
        uid=uid,
    )
    assert row == [
        {"g": "f", "age": "18-24", "phones": ["+212661998877"], "commune": OUJDA,
         "role": "participant"}
    ]  # fmt: skip


def test_a_similar_person_is_shown_before_creating_a_second_record(client, officer, world):
    uid = _event(officer)
    url = f"/evenements/{uid}/participants"
    form = form_with(client.get(url).get_data(as_text=True), "new-first_name")
    form.set("new-first_name", "Karim")
    form.set("new-last_name", "Oujdi")
    response = client.post(form.action, data=form.submission())
    assert response.status_code == 200
    assert "Fiches semblables déjà enregistrées" in response.get_data(as_text=True)
    assert run("MATCH (p:Person {last_name: 'Oujdi'}) RETURN count(p) AS n")[0]["n"] == 1
    assert run("MATCH ()-[a:ATTENDED]->() RETURN count(a) AS n")[0]["n"] == 0
    # "Créer quand même": the form as the warning renders it creates the second record.
    again = form_with(response.get_data(as_text=True), "new-first_name")
    assert world["person"] in again.get("new-confirm_duplicate")
    assert client.post(again.action, data=again.submission()).status_code == 302
    assert run("MATCH (p:Person {last_name: 'Oujdi'}) RETURN count(p) AS n")[0]["n"] == 2
    assert run("MATCH ()-[a:ATTENDED]->() RETURN count(a) AS n")[0]["n"] == 1


def test_removing_a_participant(client, officer, world):
    uid = _event(officer)
    events.add_participant(officer, uid, {"person": [world["person"]]})
    sheet = client.get(f"/evenements/{uid}/participants").get_data(as_text=True)
    remove = next(f for f in _forms(sheet) if f.action.endswith("/retirer"))
    assert client.post(remove.action, data=remove.submission()).status_code == 302
    assert run("MATCH ()-[a:ATTENDED]->() RETURN count(a) AS n")[0]["n"] == 0
    changes = [
        json.loads(r["d"])
        for r in run(
            "MATCH (a:AuditEvent {target_uid: $uid, action: 'update'}) RETURN a.details AS d",
            uid=uid,
        )
    ]
    assert {"participant": [world["person"], None]} in [c["changes"] for c in changes]
    # The trail never names the person.
    summaries = run("MATCH (a:AuditEvent {target_uid: $uid}) RETURN a.summary AS s", uid=uid)
    assert not any("Oujdi" in (r["s"] or "") for r in summaries)


def _forms(html):
    from tests.formparse import forms

    return forms(html)


def test_a_person_under_opposition_is_counted_but_not_named(client, officer, manager, world):
    uid = _event(officer)
    events.add_participant(officer, uid, {"person": [world["person"]]})
    events.add_participant(officer, uid, {"person": [world["salma"]]})
    privacy.set_opposition(manager, world["salma"], True, confirmed=True)
    page = client.get(f"/evenements/{uid}").get_data(as_text=True)
    assert "Karim OUJDI" in page
    assert "Berkani" not in page and "BERKANI" not in page
    assert "2 participants, dont 1 non nommé" in page


def test_the_commune_page_lists_its_events_and_partnerships(client, officer, world):
    from crm import partnerships

    upcoming = _event(officer, title="Forum à venir", kind="forum", module="",
                      start_date="2099-01-10")  # fmt: skip
    _event(officer, title="Formation passée")
    partnerships.create_partnership(
        officer,
        {"organisation": world["association"], "partner": world["council"],
         "kind": "convention", "title": "Convention jeunesse", "status": "active"},
    )  # fmt: skip
    page = client.get(f"/territoires/commune/{OUJDA}").get_data(as_text=True)
    assert page.index("Forum à venir") < page.index("Formation passée")
    assert f"/evenements/{upcoming}" in page and "à venir" in page
    assert "Convention jeunesse" in page


def test_an_event_created_from_a_commune_page_names_the_commune(client, world):
    page = client.get(f"/territoires/commune/{OUJDA}").get_data(as_text=True)
    link = f"/evenements/nouveau?commune={OUJDA}"
    assert link in page.replace("&amp;", "&")
    form = form_with(client.get(link).get_data(as_text=True), "title")
    assert form.get("commune").startswith("Oujda") and f"[{OUJDA}]" in form.get("commune")
    form.set("title", "Réunion de coordination")
    form.set("kind", "coordination_meeting")
    form.set("start_date", "2026-03-12")
    assert client.post(link, data=form.submission()).status_code == 302
    assert run("MATCH (:Event)-[:HELD_IN]->(c:Commune) RETURN c.code AS c")[0]["c"] == OUJDA
