"""Law 09-08 end to end: subject access, opposition, anonymisation, retention; exports."""

import csv
import io
import json
from datetime import date

import pytest

from crm import organisations, people, privacy
from graph.database import run

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


@pytest.fixture
def amina(manager):
    org = organisations.create_organisation(
        manager, {"name": "Association Tafilalt", "kind": "osc", "commune": OUJDA}
    )
    uid = people.create_person(
        manager,
        {
            "first_name": "Amina",
            "last_name": "Berrada",
            "first_name_ar": "أمينة",
            "last_name_ar": "برادة",
            "emails": "amina.berrada@example.org",
            "phones": "0661112233, 0537 11 22 33",
            "notes": "Rencontrée au forum régional",
            "commune": OUJDA,
            "legal_basis": "consent",
            "purpose": "Invitations aux consultations",
            "source": "Forum régional 2025",
        },
    )
    people.link_to_organisation(manager, uid, org, {"role": "Présidente", "since": "2020-01-01"})
    return uid


def _csv(client) -> list[list[str]]:
    response = client.get("/personnes/export.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_subject_access_export_holds_everything_about_the_person(login, manager, amina):
    client = login(manager)
    client.get(f"/personnes/{amina}")  # a consultation, which the export must list
    page = client.get(f"/personnes/{amina}/donnees")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Présidente" in html and "Forum régional 2025" in html
    response = client.get(f"/personnes/{amina}/donnees.json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    person = data["person"]
    assert person["first_name_ar"] == "أمينة"
    assert person["phones"] == ["+212661112233", "+212537112233"]
    assert (
        person["legal_basis"] == "consent" and person["purpose"] == "Invitations aux consultations"
    )
    assert data["commune"] == "Oujda"
    assert data["affiliations"][0]["organisation"] == "Association Tafilalt"
    actions = [e["action"] for e in data["events"]]
    assert "create" in actions and "view" in actions
    assert "search_key" not in person


def test_opposition_keeps_the_person_out_of_exports(login, manager, amina):
    client = login(manager)
    assert any("Berrada" in row for row in _csv(client))
    confirmed = {"opposition": "1", "confirm": "1"}
    assert client.post(f"/personnes/{amina}/opposition", data=confirmed).status_code == 302
    assert not any("Berrada" in row for row in _csv(client))
    assert "opposition" in client.get(f"/personnes/{amina}").get_data(as_text=True)
    client.post(f"/personnes/{amina}/opposition", data={"opposition": "0", "confirm": "1"})
    assert any("Berrada" in row for row in _csv(client))


def test_anonymisation_removes_identity_but_keeps_the_network(login, manager, amina):
    client = login(manager)
    client.get(f"/personnes/{amina}")
    refused = client.post(f"/personnes/{amina}/anonymiser", data={"confirm": "oui"})
    assert refused.status_code == 302
    assert run("MATCH (p:Person {uid: $u}) RETURN p.last_name AS n", u=amina)[0]["n"] == "Berrada"

    client.post(f"/personnes/{amina}/anonymiser", data={"confirm": "ANONYMISER"})
    row = run("MATCH (p:Person {uid: $u}) RETURN properties(p) AS p", u=amina)[0]["p"]
    assert row["anonymised"] is True
    for key in ("email", "phone", "notes", "first_name_ar", "last_name_ar", "source"):
        assert key not in row
    assert "Berrada" not in json.dumps(row, default=str)
    # The network keeps its shape.
    functions = run("MATCH (:Person {uid: $u})-[a:AFFILIATED_WITH]->() RETURN a.role AS r", u=amina)
    assert functions == [{"r": "Présidente"}]
    # Gone from search, exports and the readable audit trail.
    assert "0 personne" in client.get("/personnes/?q=berrada").get_data(as_text=True)
    assert "0 personne" in client.get("/personnes/?q=amina").get_data(as_text=True)
    assert not any("Berrada" in " ".join(r) for r in _csv(client))
    trail = run(
        "MATCH (e:AuditEvent) RETURN collect(e.summary + ' ' + coalesce(e.details, '')) AS t"
    )
    assert "Berrada" not in " ".join(trail[0]["t"]) and "Amina" not in " ".join(trail[0]["t"])


def test_retention_command_anonymises_what_is_past_its_date(app, manager, amina):
    people_uid = people.create_person(
        manager,
        {
            "first_name": "Youssef",
            "last_name": "Keeper",
            "commune": OUJDA,
            "retain_until": "2099-01-01",
        },
    )
    person = people.person_for_edit(manager, amina)
    people.update_person(
        manager,
        amina,
        person["version"],
        {**person, "commune": OUJDA, "retain_until": "2026-01-31"},
    )
    assert privacy.apply_retention(date(2026, 11, 29)) == 1
    names = {r["n"] for r in run("MATCH (p:Person) RETURN p.last_name AS n")}
    assert "Keeper" in names and "Berrada" not in names
    result = app.test_cli_runner().invoke(args=["privacy", "apply-retention"])
    assert result.exit_code == 0 and "0 fiche" in result.output
    assert people_uid


def test_export_is_scoped_audited_and_safe_for_spreadsheets(make_user, login, manager, amina):
    people.create_person(
        manager, {"first_name": '=HYPERLINK("x")', "last_name": "Casa", "commune": "06.141.01.0"}
    )
    officer = make_user("officer", "o@example.org", ("02",))
    rows = _csv(login(officer))
    assert rows[0][0] == "Nom" and len(rows) == 2 and rows[1][0] == "Berrada"
    rows = _csv(login(manager))
    assert [r[:2] for r in rows[1:]] == [["Berrada", "Amina"], ["Casa", '\'=HYPERLINK("x")']]
    event = run(
        "MATCH (e:AuditEvent {action: 'export', actor_uid: $u}) RETURN e.details AS d",
        u=officer.uid,
    )[0]["d"]
    assert json.loads(event)["count"] == 1


def test_viewer_cannot_export(make_user, login, amina):
    viewer = make_user("viewer", "v@example.org")
    assert login(viewer).get("/personnes/export.csv").status_code == 403


def test_anonymisation_and_subject_access_cover_records_merged_into_the_person(
    login, manager, amina
):
    from crm import dedupe

    twin = people.create_person(
        manager,
        {"first_name": "Amina", "last_name": "Berada", "phones": "0661112233", "commune": OUJDA},
    )
    versions = tuple(
        run("MATCH (p:Person {uid: $u}) RETURN p.version AS v", u=u)[0]["v"] for u in (amina, twin)
    )
    dedupe.merge(manager, "person", (amina, twin), amina, versions)
    client = login(manager)
    data = json.loads(client.get(f"/personnes/{amina}/donnees.json").get_data(as_text=True))
    # Both creations are there: the person's own and the twin's merged into it.
    assert [e["action"] for e in data["events"]].count("create") == 2
    client.post(f"/personnes/{amina}/anonymiser", data={"confirm": "ANONYMISER"})
    trail = run(
        "MATCH (e:AuditEvent) RETURN collect(e.summary + ' ' + coalesce(e.details, '')) AS t"
    )
    assert "Berada" not in " ".join(trail[0]["t"]) and "Berrada" not in " ".join(trail[0]["t"])


def test_interactions_are_in_the_subject_access_and_lose_the_name_on_anonymisation(
    login, manager, amina
):
    from crm import interactions

    interactions.log_interaction(
        manager,
        {
            "kind": "meeting",
            "date": "2026-11-02",
            "summary": "Réunion avec Amina Berrada sur le budget participatif.",
            "people": [f"Amina BERRADA [{amina}]"],
        },
    )
    client = login(manager)
    data = json.loads(client.get(f"/personnes/{amina}/donnees.json").get_data(as_text=True))
    assert [i["summary"] for i in data["interactions"]] == [
        "Réunion avec Amina Berrada sur le budget participatif."
    ]
    client.post(f"/personnes/{amina}/anonymiser", data={"confirm": "ANONYMISER"})
    summary = run("MATCH (i:Interaction) RETURN i.summary AS s")[0]["s"]
    assert "Berrada" not in summary and "Amina" not in summary
    assert summary.endswith("sur le budget participatif.")
