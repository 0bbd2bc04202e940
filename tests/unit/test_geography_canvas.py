"""The geographic view's drawing helpers (crm.geography): placing communes on the canvas and
the colour classes of the legend. Pure functions, no database."""

from __future__ import annotations

import math

import pytest

from crm.geography import BAD, GOOD, NO_DATA, legend_classes, place

OUJDA = {"code": "02.411.01.23", "lat": 34.691997, "lon": -1.911185}
CASABLANCA = {"code": "06.141.01.0", "lat": 33.552462, "lon": -7.650829}
TANGER = {"code": "01.511.01.0", "lat": 35.756235, "lon": -5.832718}
AGADIR = {"code": "09.001.01.0", "lat": 30.4278, "lon": -9.5981}


def test_communes_keep_north_up_and_east_right_inside_the_canvas():
    rows, height = place([OUJDA, CASABLANCA, TANGER, AGADIR], width=600)
    at = {r["code"]: r for r in rows}
    assert all(16 <= r["x"] <= 584 and 16 <= r["y"] <= height - 16 for r in rows)
    assert at[TANGER["code"]]["y"] < at[OUJDA["code"]]["y"] < at[AGADIR["code"]]["y"]
    assert at[AGADIR["code"]]["x"] < at[CASABLANCA["code"]]["x"] < at[OUJDA["code"]]["x"]
    # The wider of the two spans fills the canvas: Agadir–Oujda (east–west here).
    assert at[AGADIR["code"]]["x"] == pytest.approx(16) and at[OUJDA["code"]]["x"] == 584
    # Distances keep their proportions (same scale on both axes).
    dx = at[OUJDA["code"]]["x"] - at[AGADIR["code"]]["x"]
    dy = at[AGADIR["code"]]["y"] - at[TANGER["code"]]["y"]
    shrink = math.cos(math.radians((34.691997 + 33.552462 + 35.756235 + 30.4278) / 4))
    expected = (35.756235 - 30.4278) / ((9.5981 - 1.911185) * shrink)
    assert dy / dx == pytest.approx(expected, rel=1e-3)  # coordinates are rounded to 0.1
    assert OUJDA.keys() == {"code", "lat", "lon"}  # inputs are not changed


def test_one_commune_sits_in_the_middle_and_none_gives_an_empty_canvas():
    rows, height = place([OUJDA], width=600)
    assert (rows[0]["x"], rows[0]["y"], height) == (300, 300, 600)
    assert place([], width=600) == ([], 300)


def test_a_line_of_communes_gets_a_canvas_a_third_as_high_as_wide():
    rows, height = place([{"lat": 34.0, "lon": -6.0}, {"lat": 34.0, "lon": -2.0}], width=600)
    assert height == pytest.approx(200)
    assert rows[0]["y"] == rows[1]["y"] == pytest.approx(100)


def test_legend_classes_for_counts_and_fractions():
    few = legend_classes([0, 2, 1], fractional=False, higher_is_better=False)
    assert [(c["label"], c["color"]) for c in few] == [("0", BAD[0]), ("1", BAD[2]), ("2", BAD[4])]
    many = legend_classes([0, 7, 20], fractional=False, higher_is_better=True)
    assert [c["label"] for c in many] == ["0 – 4", "5 – 8", "9 – 12", "13 – 16", "17 – 20"]
    six = legend_classes([6], fractional=False, higher_is_better=True)
    assert [c["label"] for c in six] == ["0 – 1", "2", "3", "4", "5 – 6"]
    assert [c["color"] for c in many] == list(GOOD)
    shares = legend_classes([0.1, None, 1.0], fractional=True, higher_is_better=True)
    assert shares[0]["label"] == "0 – 0,2" and shares[-2]["label"] == "0,8 – 1"
    assert shares[-1] == {"low": None, "high": None, "label": "Pas de donnée", "color": NO_DATA}
    assert legend_classes([], fractional=False, higher_is_better=True) == [
        {"low": 0, "high": 0, "label": "0", "color": GOOD[0]}
    ]
