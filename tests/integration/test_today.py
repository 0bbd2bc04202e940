"""At 00:30 in Casablanca the server (in UTC) is still on the day before: every date compared
by Tansiq is the programme's, passed to Cypher as a parameter."""

from datetime import UTC, date, datetime

import pytest

from crm import cadence, clock, followups, interactions, people
from tests.integration.conftest import OUJDA

pytestmark = pytest.mark.integration

HALF_PAST_MIDNIGHT_IN_CASABLANCA = datetime(2026, 6, 9, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def server_in_utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("TANSIQ_TIMEZONE", raising=False)


def test_use_cases_take_the_programmes_today(officer):
    people.create_person(officer, {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA})
    with clock.frozen(HALF_PAST_MIDNIGHT_IN_CASABLANCA):
        # Dated "today" in Casablanca: not refused as a date in the future.
        interactions.log_interaction(
            officer,
            {
                "kind": "visit",
                "date": "2026-06-10",
                "summary": "Visite",
                "people": ["Amina Zeroual"],
                "follow_ups": [{"what": "Rappeler", "due": "2026-06-10"}],
            },
        )
        mine = followups.my_follow_ups(officer)
        assert mine["as_of"] == date(2026, 6, 10)
        assert [f["what"] for f in mine["today"]] == ["Rappeler"]
        assert mine["overdue"] == []
        assert cadence.losing_touch(officer).total == 0


def test_pages_take_the_programmes_today(app, client):
    app.config["CLOCK"] = lambda: HALF_PAST_MIDNIGHT_IN_CASABLANCA
    form = client.get("/interactions/nouvelle").get_data(as_text=True)
    assert 'value="2026-06-10"' in form
