"""The weight of a tie (``graph.analysis.weights``), worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from graph.analysis.weights import HALF_LIFE_DAYS, TIE_KINDS, tie_weight

TODAY = date(2026, 6, 1)


def test_one_record_of_the_day_counts_one():
    assert tie_weight([TODAY], TODAY) == 1.0


def test_a_record_one_half_life_old_counts_half_and_two_a_quarter():
    assert tie_weight([TODAY - timedelta(days=365)], TODAY) == pytest.approx(0.5)
    assert tie_weight([TODAY - timedelta(days=730)], TODAY) == pytest.approx(0.25)
    assert tie_weight([TODAY - timedelta(days=30)], TODAY, half_life_days=30) == pytest.approx(0.5)


def test_records_add_up():
    dates = [TODAY, TODAY - timedelta(days=365), TODAY - timedelta(days=730)]
    assert tie_weight(dates, TODAY) == pytest.approx(1.75)
    assert tie_weight([TODAY, TODAY, TODAY], TODAY) == pytest.approx(3.0)


def test_an_undated_record_counts_one_and_a_future_one_is_clamped_to_one():
    assert tie_weight([None], TODAY) == 1.0
    assert tie_weight([TODAY + timedelta(days=400)], TODAY) == 1.0
    assert tie_weight([None, TODAY - timedelta(days=365)], TODAY) == pytest.approx(1.5)


def test_no_records_weigh_nothing_and_the_half_life_must_be_positive():
    assert tie_weight([], TODAY) == 0.0
    with pytest.raises(ValueError):
        tie_weight([TODAY], TODAY, half_life_days=0)


def test_the_tie_kinds_and_the_default_half_life():
    assert HALF_LIFE_DAYS == 365
    assert TIE_KINDS["organisation"] == (
        "partnership",
        "shared_member",
        "co_attendance",
        "interaction",
    )
    assert TIE_KINDS["person"] == ("co_attendance", "interaction", "shared_affiliation")


def test_a_tie_weighs_the_sum_of_its_records_weights():
    from graph.analysis.weights import record_weight

    dates = [TODAY, TODAY - timedelta(days=365), None, TODAY + timedelta(days=3)]
    assert [record_weight(d, TODAY) for d in dates] == pytest.approx([1.0, 0.5, 1.0, 1.0])
    assert sum(record_weight(d, TODAY) for d in dates) == tie_weight(dates, TODAY)
