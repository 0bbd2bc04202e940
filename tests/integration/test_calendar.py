"""The personal calendar feed (issue 9, item 8): read back with ``icalendar``, scoped to the
account, without a session, and dead once its secret is rotated or the account deactivated."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from crm import events, interactions, organisations, people, team
from graph.database import run
from tests.formparse import forms
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)


@pytest.fixture
def agenda(app, manager, officer):
    app.config["CLOCK"] = lambda: datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    oujda = events.create_event(
        officer,
        {"title": "Forum des associations d'Oujda", "kind": "forum", "commune": OUJDA,
         "start_date": "2026-04-02", "start_time": "09:30", "end_time": "13:00",
         "venue": "Maison des jeunes"},
    )  # fmt: skip
    whole_day = events.create_event(
        officer,
        {"title": "Visite de terrain", "kind": "field_visit", "commune": OUJDA,
         "start_date": "2026-04-05", "end_date": "2026-04-06"},
    )  # fmt: skip
    casablanca = events.create_event(
        manager,
        {"title": "Consultation d'Anfa", "kind": "public_consultation", "commune": CASABLANCA,
         "start_date": "2026-04-03"},
    )  # fmt: skip
    person = people.create_person(
        officer, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )
    organisations.create_organisation(
        officer, {"name": "Association Oujda Jeunesse", "kind": "osc", "commune": OUJDA}
    )
    interactions.log_interaction(
        officer,
        {"kind": "meeting", "date": TODAY, "summary": "Préparation du forum.",
         "people": [person],
         "follow_ups": [{"what": "Envoyer la convocation", "due": date(2026, 3, 20)}]},
        today=TODAY,
    )  # fmt: skip
    return {"oujda": oujda, "whole_day": whole_day, "casablanca": casablanca}


def _subscribe(client) -> str:
    page = client.get("/calendrier/").get_data(as_text=True)
    form = next(f for f in forms(page) if f.action.endswith("/nouvelle-adresse"))
    response = client.post(form.action, data=form.submission())
    html = response.get_data(as_text=True)
    found = re.search(r'value="(http://[^"]+\.ics)"', html)
    assert found, html[:2000]
    return found.group(1).replace("http://localhost", "")


def test_the_feed_lists_the_officers_events_and_follow_ups_only(app, client, agenda):
    url = _subscribe(client)
    anonymous = app.test_client()  # calendar software: no session cookie
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    items = {str(c["summary"]): c for c in calendar.walk("VEVENT")}
    assert "Forum des associations d'Oujda" in items
    assert "Visite de terrain" in items
    assert "Suivi : Envoyer la convocation" in items
    assert not any("Anfa" in name for name in items)  # Casablanca: outside the territory
    forum = items["Forum des associations d'Oujda"]
    start = forum.decoded("dtstart")
    assert isinstance(start, datetime) and (start.hour, start.minute) == (9, 30)
    assert str(start.tzinfo) in ("Africa/Casablanca",) or start.utcoffset() is not None
    assert forum.decoded("dtend").hour == 13
    assert "Maison des jeunes" in str(forum["location"])
    assert str(forum["url"]).endswith(f"/evenements/{agenda['oujda']}")
    visit = items["Visite de terrain"]
    assert visit.decoded("dtstart") == date(2026, 4, 5)
    assert visit.decoded("dtend") == date(2026, 4, 7)  # exclusive end of a two-day visit
    follow_up = items["Suivi : Envoyer la convocation"]
    assert follow_up.decoded("dtstart") == date(2026, 3, 20)


def test_the_managers_feed_holds_every_region(login, manager, agenda):
    client = login(manager)
    url = _subscribe(client)
    calendar = Calendar.from_ical(client.application.test_client().get(url).data)
    names = {str(c["summary"]) for c in calendar.walk("VEVENT")}
    assert {"Forum des associations d'Oujda", "Consultation d'Anfa"} <= names


def test_a_cancelled_event_says_so(app, client, officer, agenda):
    url = _subscribe(client)
    events.cancel_event(officer, agenda["oujda"], 1)
    calendar = Calendar.from_ical(app.test_client().get(url).data)
    forum = next(c for c in calendar.walk("VEVENT") if "Forum" in str(c["summary"]))
    assert str(forum["status"]) == "CANCELLED"


def test_rotating_the_secret_ends_the_old_address(app, client, agenda):
    old = _subscribe(client)
    new = _subscribe(client)
    assert old != new
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    denied = run(
        "MATCH (a:AuditEvent {action: 'denied', target_kind: 'calendar'}) RETURN a.summary AS s"
    )
    assert len(denied) == 1
    assert old.rsplit("/", 1)[1].removesuffix(".ics") not in denied[0]["s"]
    # The secret is never stored, only its hash.
    stored = run("MATCH (u:User) WHERE u.calendar_token_hash IS NOT NULL RETURN u")
    assert len(stored) == 1
    assert new.rsplit("/", 1)[1].removesuffix(".ics") not in str(dict(stored[0]["u"]))


def test_switching_off_ends_the_feed(app, client, agenda):
    url = _subscribe(client)
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 200
    page = client.get("/calendrier/").get_data(as_text=True)
    form = next(f for f in forms(page) if f.action.endswith("/desactiver"))
    assert client.post(form.action, data=form.submission()).status_code == 302
    assert anonymous.get(url).status_code == 404


def test_deactivating_the_account_ends_the_feed(app, make_user, client, officer, agenda):
    url = _subscribe(client)
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 200
    admin = make_user("admin", "admin@example.org")
    team.deactivate_user(admin, officer.uid, confirmed=True)
    assert anonymous.get(url).status_code == 404


def test_unknown_secrets_answer_404(app):
    anonymous = app.test_client()
    assert anonymous.get("/calendrier/nimportequoi.ics").status_code == 404
    assert anonymous.get("/calendrier/" + "x" * 43 + ".ics").status_code == 404
    # The page that gives the address needs a session.
    assert anonymous.get("/calendrier/").status_code in (302, 401)
