"""The home page is the actor's day: an officer's territory only, a manager's every region."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from crm import home, interactions, organisations, people
from graph.database import count_round_trips
from tests.integration.conftest import CASABLANCA, CASABLANCA_SETTAT, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def day_of_work(app, officer, manager, make_user):
    """A few weeks of interactions in the Oriental and in Casablanca-Settat."""
    app.config["CLOCK"] = lambda: datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    casa_officer = make_user("officer", "casa@example.org", (CASABLANCA_SETTAT,))

    def org(name, commune, kind="osc", shared=False):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    association = org("Association Oujda Jeunesse", OUJDA)
    anfa = org("Association Anfa Solidarité", CASABLANCA)
    indh = org("INDH", "", "national_agency", shared=True)
    karim = people.create_person(
        manager, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )

    def log(actor, when, summary, status="held", **data):
        return interactions.log_interaction(
            actor,
            {"kind": "meeting", "date": when, "status": status, "summary": summary, **data},
            today=TODAY,
        )

    log(officer, days(-100), "Première rencontre Jeunesse", organisations=[f"A [{association}]"])
    log(
        officer,
        days(-5),
        "Réunion avec Karim",
        people=[f"Karim [{karim}]"],
        follow_ups=[
            {"what": "Relancer la commune", "due": days(-3)},
            {"what": "Appeler Karim", "due": TODAY},
            {"what": "Préparer l'atelier", "due": days(20)},
        ],
    )
    log(officer, days(7), "Atelier jeunesse prévu", "planned", organisations=[f"A [{association}]"])
    log(officer, days(20), "Forum prévu plus tard", "planned", people=[f"Karim [{karim}]"])
    log(manager, days(-1), "Visite à Anfa", organisations=[f"Anfa [{anfa}]"])
    log(manager, days(3), "Comité Anfa prévu", "planned", organisations=[f"Anfa [{anfa}]"])
    # Another region's meeting with a shared institution: visible to all, nobody else's day.
    log(casa_officer, days(-2), "Point INDH Casablanca", organisations=[f"INDH [{indh}]"])


def _section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def test_an_officer_lands_on_their_day_in_their_territory_only(login, officer, day_of_work):
    html = login(officer).get("/").get_data(as_text=True)
    assert "Votre journée du 10/03/2026" in html and "Oriental" in html

    follow_ups = _section(html, "day-follow-ups")
    assert "Relancer la commune" in follow_ups and "3 j de retard" in follow_ups
    assert "Appeler Karim" in follow_ups and ">aujourd'hui<" in follow_ups
    assert "Préparer l&#39;atelier" not in follow_ups  # not due yet

    planned = _section(html, "day-planned")
    assert "Réunion du 17/03/2026" in planned and "Oujda Jeunesse" in planned
    assert "30/03/2026" not in planned  # beyond 14 days
    assert "Anfa" not in planned

    recent = _section(html, "day-recent")
    assert "Réunion du 05/03/2026" in recent and "Karim OUJDI" in recent
    assert "Anfa" not in recent and "INDH" not in recent
    assert "Réunion du 17/03/2026" not in recent  # planned, not held

    ties = _section(html, "day-ties")
    assert "Association Oujda Jeunesse" in ties and "40 j de retard" in ties  # 100 d vs 60

    regions = _section(html, "day-regions")
    assert "Votre territoire" in regions and "Oriental" in regions
    assert "Casablanca" not in regions
    assert "Par région" not in html
    assert "Tableau de bord du réseau — bientôt" in html
    assert "Casablanca" not in html and "Anfa" not in html


def test_a_manager_sees_every_region_with_a_count_each(login, manager, day_of_work):
    html = login(manager).get("/").get_data(as_text=True)
    assert "toutes les régions" in html
    recent = _section(html, "day-recent")
    for summary_date in ("05/03/2026", "09/03/2026", "08/03/2026"):  # Oujda, Anfa, INDH
        assert f"Réunion du {summary_date}" in recent
    planned = _section(html, "day-planned")
    assert "Réunion du 17/03/2026" in planned and "Réunion du 13/03/2026" in planned

    regions = _section(html, "day-regions")
    rows = {
        name: [int(n) for n in numbers]
        for name, *numbers in re.findall(
            r">([^<]+)</a></td>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", regions
        )
    }
    # Held in the last 30 days, planned in the next 14, open follow-ups overdue.
    assert rows["Oriental"] == [1, 1, 1]
    assert rows["Casablanca-Settat"] == [1, 1, 0]
    assert len(rows) >= 5  # the programme's regions are always listed


def test_my_day_as_data_and_its_round_trips(app, login, officer, day_of_work):
    day = home.my_day(officer, today=TODAY)
    assert [f["what"] for f in day["overdue"]] == ["Relancer la commune"]
    assert [f["what"] for f in day["due_today"]] == ["Appeler Karim"]
    assert [i["summary"] for i in day["planned"]] == ["Atelier jeunesse prévu"]
    assert [i["summary"] for i in day["recent"]] == [
        "Réunion avec Karim",
        "Première rencontre Jeunesse",
    ]
    assert [t["name"] for t in day["ties"]] == ["Association Oujda Jeunesse"]
    assert [r["code"] for r in day["regions"]] == ["02"] and day["by_region"] == []

    client = login(officer)
    with count_round_trips() as trips:
        assert client.get("/").status_code == 200
    # The session, the day, the cadences and the ties past them.
    assert trips.count <= 4


def test_a_long_backlog_shows_its_oldest_and_links_to_the_rest(app, login, officer, manager):
    app.config["CLOCK"] = lambda: datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    karim = people.create_person(
        manager, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )
    interactions.log_interaction(
        officer,
        {
            "kind": "meeting",
            "date": days(-40),
            "summary": "Tournée",
            "people": [f"Karim [{karim}]"],
            "follow_ups": [{"what": f"Relance {n:02d}", "due": days(-n)} for n in range(1, 15)]
            + [{"what": "Appeler Karim", "due": TODAY}],
        },
        today=TODAY,
    )
    day = home.my_day(officer, today=TODAY)
    assert (day["overdue_total"], day["due_today_total"]) == (14, 1)
    assert [f["what"] for f in day["overdue"]] == [f"Relance {n:02d}" for n in range(14, 4, -1)]
    assert [f["what"] for f in day["due_today"]] == ["Appeler Karim"]
    html = _section(login(officer).get("/").get_data(as_text=True), "day-follow-ups")
    assert 'Suivis à faire <span class="count">(15)</span>' in html
    assert "Appeler Karim" in html and "Relance 04" not in html
    more = re.search(r'href="([^"]+)">Voir les 14 suivis en retard', html).group(1)
    assert "liste=overdue" in more


def test_the_regions_overview_follows_every_write(login, manager, officer, day_of_work):
    karim = people.search_people(officer, "Karim Oujdi").items[0]["uid"]
    client = login(manager)
    before = _section(client.get("/").get_data(as_text=True), "day-regions")
    assert re.search(r">Oriental</a></td>\s*<td>1</td>", before)
    interactions.log_interaction(
        officer,
        {
            "kind": "visit",
            "date": days(-1),
            "summary": "Visite",
            "commune": OUJDA,
            "people": [f"Karim [{karim}]"],
        },  # fmt: skip
        today=TODAY,
    )
    after = _section(client.get("/").get_data(as_text=True), "day-regions")
    assert re.search(r">Oriental</a></td>\s*<td>2</td>", after)  # not the cached count
