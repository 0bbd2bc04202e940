"""One "today", in the programme's time zone, whatever the server's zone."""

from datetime import UTC, date, datetime

from crm import clock

# 00:30 in Casablanca (UTC+1) on 10 June is still 9 June in UTC (outside Ramadan,
# when Morocco keeps UTC+0).
HALF_PAST_MIDNIGHT_IN_CASABLANCA = datetime(2026, 6, 9, 23, 30, tzinfo=UTC)


def test_today_is_the_programmes_date_not_the_servers(monkeypatch):
    monkeypatch.delenv("TANSIQ_TIMEZONE", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    assert clock.today(HALF_PAST_MIDNIGHT_IN_CASABLANCA) == date(2026, 6, 10)
    with clock.frozen(HALF_PAST_MIDNIGHT_IN_CASABLANCA):
        assert clock.today() == date(2026, 6, 10)
        assert clock.now() == HALF_PAST_MIDNIGHT_IN_CASABLANCA


def test_the_zone_comes_from_tansiq_timezone(monkeypatch):
    monkeypatch.setenv("TANSIQ_TIMEZONE", "UTC")
    assert clock.today(HALF_PAST_MIDNIGHT_IN_CASABLANCA) == date(2026, 6, 9)
    monkeypatch.setenv("TANSIQ_TIMEZONE", "Not/AZone")
    assert clock.today(HALF_PAST_MIDNIGHT_IN_CASABLANCA) == date(2026, 6, 10)


def test_a_naive_clock_is_refused():
    with clock.frozen(datetime(2026, 3, 1, 23, 30)):
        try:
            clock.now()
        except ValueError:
            return
    raise AssertionError("a naive datetime must be refused")
