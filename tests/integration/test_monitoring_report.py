"""Participation figures and the monitoring report (issue 9, items 6 and 7) against a small
fixture counted by hand, through the pages and the XLSX export."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from crm import events, interactions, monitoring, organisations, people, privacy
from graph.database import run
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 15)  # the semester is 01/01/2026 – 30/06/2026


def _other_oriental_communes(count: int) -> list[str]:
    rows = run(
        "MATCH (c:Commune) WHERE c.code STARTS WITH '02.' AND c.code <> $oujda "
        "RETURN c.code AS code ORDER BY c.code LIMIT $n",
        oujda=OUJDA,
        n=count,
    )
    return [r["code"] for r in rows]


@pytest.fixture
def fixture(manager):
    """The world of the hand count (see each test's expected figures).

    People (gender, age band): P1 Karim m 25-34, P2 Salma f 18-24, P3 Amina f 45-59,
    P4 Youssef m (age unknown), P5 Houda f 35-44 (opposition), P6 Nadia f 25-34 (Casablanca).
    Events: E0 2025-11-10 training in Oujda (P1) — before the semester;
            E1 2026-02-10 training "budget participatif" in Oujda organised by the council:
               P1 for the council, P2 and P3 for association A, P5 for nobody;
            E2 2026-03-05 coordination meeting in Oujda: P2 for association B, P4 for INDH;
            E3 2026-04-20 training in Oujda, cancelled (P3);
            E4 2026-05-12 forum in Casablanca organised by association C: P6 for C;
            E5 2026-07-03 workshop in Oujda (P4) — after the semester.
    Pilot communes: Oujda (tied by E1), C2 (tied by a held interaction of its council with
    association D), C3 (nothing), Casablanca (no council recorded).
    """
    c2, c3 = _other_oriental_communes(2)
    run("MATCH (c:Commune) WHERE c.code IN $codes SET c.pilot = true",
        codes=[OUJDA, c2, c3, CASABLANCA])  # fmt: skip

    def org(name, commune, kind="osc", shared=False):
        return organisations.create_organisation(
            manager, {"name": name, "kind": kind, "commune": commune, "shared": shared}
        )

    def person(first, last, commune, gender, age):
        return people.create_person(
            manager,
            {"first_name": first, "last_name": last, "commune": commune, "gender": gender,
             "age_band": age},
        )  # fmt: skip

    o = {
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "A": org("Association Al Amal", OUJDA),
        "B": org("Association Nour", OUJDA),
        "indh": org("INDH", "", "national_agency", shared=True),
        "C": org("Association Anfa", CASABLANCA),
        "council2": org("Conseil communal C2", c2, "commune_council"),
        "D": org("Association des jeunes de C2", c2),
    }
    p = {
        "P1": person("Karim", "Oujdi", OUJDA, "m", "25-34"),
        "P2": person("Salma", "Berkani", OUJDA, "f", "18-24"),
        "P3": person("Amina", "Tazi", OUJDA, "f", "45-59"),
        "P4": person("Youssef", "Alaoui", OUJDA, "m", ""),
        "P5": person("Houda", "Zerouali", OUJDA, "f", "35-44"),
        "P6": person("Nadia", "Casaoui", CASABLANCA, "f", "25-34"),
    }

    def event(day, kind, commune, module="", organisers=()):
        return events.create_event(
            manager,
            {"title": f"{kind} {day}", "kind": kind, "start_date": day, "commune": commune,
             "module": module, "organisers": list(organisers)},
        )  # fmt: skip

    def attend(e, who, for_org=None):
        data = {"person": [p[who]]}
        if for_org:
            data["for_organisation"] = [o[for_org]]
        events.add_participant(manager, e, data)

    e0 = event("2025-11-10", "training", OUJDA, "plaidoyer")
    attend(e0, "P1")
    e1 = event("2026-02-10", "training", OUJDA, "budget_participatif", [o["council"]])
    attend(e1, "P1", "council")
    attend(e1, "P2", "A")
    attend(e1, "P3", "A")
    attend(e1, "P5")
    e2 = event("2026-03-05", "coordination_meeting", OUJDA)
    attend(e2, "P2", "B")
    attend(e2, "P4", "indh")
    e3 = event("2026-04-20", "training", OUJDA, "budget_participatif")
    attend(e3, "P3")
    events.cancel_event(manager, e3, 1)
    e4 = event("2026-05-12", "forum", CASABLANCA, organisers=[o["C"]])
    attend(e4, "P6", "C")
    e5 = event("2026-07-03", "workshop", OUJDA)
    attend(e5, "P4")
    interactions.log_interaction(
        manager,
        {"kind": "meeting", "date": date(2026, 3, 1), "summary": "Plan d'action.",
         "organisations": [o["council2"], o["D"]]},
        today=TODAY,
    )  # fmt: skip
    privacy.set_opposition(manager, p["P5"], True, confirmed=True)
    return {"orgs": o, "people": p, "events": [e0, e1, e2, e3, e4, e5], "c2": c2, "c3": c3}


def test_the_figures_of_one_event(manager, fixture):
    figures = monitoring.event_figures(fixture["events"][1])
    assert figures["participations"] == 4
    assert (figures["women"], figures["men"], figures["gender_unknown"]) == (3, 1, 0)
    assert figures["women_share"] == pytest.approx(0.75)
    assert (figures["youth"], figures["age_unknown"]) == (2, 0)  # P1 25-34, P2 18-24
    assert figures["youth_share"] == pytest.approx(0.5)
    assert figures["organisations"] == 2  # the council and association A
    assert figures["kinds"] == ["commune_council", "osc"]
    assert figures["first_time"] == 3  # P1 attended E0 before


def test_the_managers_report_equals_the_hand_count(manager, fixture):
    report = monitoring.monitoring_report(manager, today=TODAY)
    assert (report["period"].start, report["period"].end) == (date(2026, 1, 1), date(2026, 6, 30))
    f = report["figures"]
    assert f["events"] == 3  # E1, E2, E4 (E0 before, E3 cancelled, E5 after)
    assert f["participations"] == 7
    assert f["people"] == 6
    assert (f["women"], f["men"], f["gender_unknown"]) == (4, 2, 0)
    assert f["women_share"] == pytest.approx(4 / 6)
    assert (f["youth"], f["age_known"], f["age_unknown"]) == (3, 5, 1)
    assert f["youth_share"] == pytest.approx(0.6)
    assert f["organisations"] == 5  # council, A, B, INDH, C
    assert len(f["kinds"]) == 3
    assert f["first_time"] == 5  # everyone but P1
    assert f["trainings"] == 1
    assert [(r["module"], r["trainings"], r["people"]) for r in report["trained"]] == [
        ("budget_participatif", 1, 4)
    ]
    assert {r["kind"]: r["events"] for r in report["by_kind"]} == {
        "training": 1,
        "coordination_meeting": 1,
        "forum": 1,
    }
    engaged = {r["commune_code"]: len(r["associations"]) for r in report["associations"]}
    assert engaged == {OUJDA: 2, CASABLANCA: 1, fixture["c2"]: 1}
    assert report["associations_total"] == 4
    tied = {r["commune_code"]: r["tied"] for r in report["pilots"]}
    assert tied == {OUJDA: True, fixture["c2"]: True, fixture["c3"]: False, CASABLANCA: False}
    assert report["pilots_tied"] == 2


def test_the_oriental_officers_report_holds_their_territory_only(officer, fixture):
    report = monitoring.monitoring_report(officer, today=TODAY)
    f = report["figures"]
    assert (f["events"], f["participations"], f["people"]) == (2, 6, 5)
    assert (f["women"], f["men"], f["youth"], f["age_known"]) == (3, 2, 2, 4)
    assert (f["organisations"], f["first_time"]) == (4, 4)
    assert report["associations_total"] == 3
    assert {r["commune_code"] for r in report["pilots"]} == {OUJDA, fixture["c2"], fixture["c3"]}
    assert report["pilots_tied"] == 2


def test_a_territory_and_period_narrow_the_report(manager, fixture):
    report = monitoring.monitoring_report(
        manager, territory=CASABLANCA, start="2026-05-01", end="2026-05-31"
    )
    assert report["territory"]["name"] == "Casablanca" or report["territory"]["code"] == CASABLANCA
    assert (report["figures"]["events"], report["figures"]["people"]) == (1, 1)
    assert report["figures"]["first_time"] == 1


def test_the_report_page_and_its_xlsx(app, login, manager, fixture):
    app.config["CLOCK"] = lambda: datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    client = login(manager)
    page = client.get("/rapports/suivi").get_data(as_text=True)
    assert "du 01/01/2026 au 30/06/2026" in page
    assert "Association Al Amal" in page and "<svg" in page
    # People are counted, never named (P5 is under opposition; nobody is named anyway).
    for name in ("Houda", "Zerouali", "ZEROUALI", "Karim", "Salma"):
        assert name not in page
    response = client.get("/rapports/suivi.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    summary = {row[0]: row[1] for row in workbook["Synthèse"].iter_rows(values_only=True)}
    assert summary["Événements tenus"] == 3
    assert summary["Participations"] == 7
    assert summary["Personnes distinctes"] == 6
    assert (summary["Femmes"], summary["Hommes"], summary["Jeunes (18-34 ans)"]) == (4, 2, 3)
    assert summary["Nouveaux participants"] == 5
    assert summary["Associations engagées"] == 4
    assert summary["Communes pilotes avec un lien conseil–association"] == "2 / 4"
    cells = [
        str(v)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert not any(n in c for c in cells for n in ("Houda", "Zerouali", "Karim"))
    audit = run(
        "MATCH (a:AuditEvent {action: 'export', target_kind: 'report'}) RETURN a.details AS d"
    )
    assert len(audit) == 1 and '"people": 6' in audit[0]["d"]


def test_a_period_ending_before_it_starts_is_refused(client, fixture):
    page = client.get("/rapports/suivi?du=2026-06-01&au=2026-01-01").get_data(as_text=True)
    assert "La fin de la période précède son début." in page
    assert client.get("/rapports/suivi.xlsx?du=2026-06-01&au=2026-01-01").status_code == 400
    assert "Date invalide" in client.get("/rapports/suivi?du=demain").get_data(as_text=True)


def test_an_event_page_shows_its_figures(client, fixture):
    page = client.get(f"/evenements/{fixture['events'][1]}").get_data(as_text=True)
    assert "Nouveaux participants" in page
    assert "3 (75 %)" in page  # women
