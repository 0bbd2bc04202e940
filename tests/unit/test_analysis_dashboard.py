"""The dashboard's pure figures (graph.analysis.dashboard) on small graphs worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.dashboard import commune_gap_rows, commune_ties, region_comparison


def two_regions() -> tuple[nx.Graph, nx.Graph]:
    """Oriental (02): a council, two associations, a provincial service; Souss (09): a
    council and an association; the DGCT (placed nowhere) tied to both councils."""
    G = nx.Graph()
    for node, region, sector, commune in (
        ("council02", "02", "territorial_collectivity", "02.1"),
        ("asso02a", "02", "civil_society", "02.1"),
        ("asso02b", "02", "civil_society", "02.2"),
        ("service02", "02", "deconcentrated_state", "02.2"),
        ("council09", "09", "territorial_collectivity", "09.1"),
        ("asso09", "09", "civil_society", "09.1"),
        ("dgct", "", "central_state", ""),
    ):
        G.add_node(node, region=region, sector=sector, commune=commune)
    G.add_edges_from(
        [
            ("council02", "asso02a"),  # horizontal
            ("council02", "asso02b"),  # horizontal
            ("asso02a", "asso02b"),  # same sector
            ("council02", "service02"),  # vertical
            ("council02", "dgct"),  # vertical, with a national institution
            ("council09", "dgct"),  # vertical
            ("council09", "asso09"),  # horizontal
            ("asso02a", "asso09"),  # between regions: neither's
            ("dgct", "dgct"),  # a self-loop counts nowhere
        ],
        weight=1.0,
        count=1,
    )
    P = nx.Graph()
    for node, region, gender in (
        ("p1", "02", "f"), ("p2", "02", "m"), ("p3", "02", "m"), ("p4", "02", ""),
        ("p5", "09", "f"),
    ):  # fmt: skip
        P.add_node(node, region=region, gender=gender)
    return G, P


COMMUNES = [
    {"code": "02.1", "region": "02", "pilot": True},
    {"code": "02.2", "region": "02", "pilot": True},
    {"code": "02.3", "region": "02", "pilot": False},
    {"code": "09.1", "region": "09", "pilot": False},
    {"code": "05.1", "region": "05", "pilot": True},
]


def test_regions_side_by_side():
    G, P = two_regions()
    before = (G.number_of_nodes(), G.number_of_edges(), dict(G.nodes(data=True)))
    rows = {r["region"]: r for r in region_comparison(G, P, COMMUNES, {"02.1": 3, "02.3": 7})}
    assert (G.number_of_nodes(), G.number_of_edges(), dict(G.nodes(data=True))) == before
    assert sorted(rows) == ["02", "05", "09"]

    oriental = rows["02"]
    assert oriental["organisations"] == 4
    # Own ties: 4 among the region's organisations, + 1 to the DGCT; not the tie to Souss.
    assert oriental["ties"] == 5
    assert oriental["density"] == pytest.approx(4 / 6)
    # Cross-sector: council-asso x2, council-service, council-dgct (asso-asso is not).
    assert oriental["cross_sector_ties"] == 4
    assert oriental["cross_sector_share"] == pytest.approx(4 / 5)
    assert (oriental["vertical_ties"], oriental["horizontal_ties"]) == (2, 2)
    assert oriental["ei_vertical"] == pytest.approx(0.0)
    assert (oriental["people"], oriental["women"], oriental["gender_known"]) == (4, 1, 3)
    assert oriental["women_share"] == pytest.approx(1 / 3)
    # Engaged associations in pilot communes only (02.3 is not a pilot): 3 over 2 pilots.
    assert oriental["pilot_communes"] == 2
    assert oriental["engaged_associations"] == 3
    assert oriental["engaged_per_pilot"] == pytest.approx(1.5)

    souss = rows["09"]
    assert (souss["organisations"], souss["ties"]) == (2, 2)
    assert souss["density"] == pytest.approx(1.0)
    assert souss["ei_vertical"] == pytest.approx(0.0)  # one vertical, one horizontal
    assert souss["women_share"] == pytest.approx(1.0)
    assert souss["engaged_per_pilot"] is None  # no pilot commune: no figure, no division

    # A region known only by its communes: every figure empty, nothing divided by zero.
    empty = rows["05"]
    assert (empty["organisations"], empty["ties"]) == (0, 0)
    assert empty["density"] is None and empty["ei_vertical"] is None
    assert empty["women_share"] is None and empty["cross_sector_share"] is None
    assert empty["engaged_per_pilot"] == 0.0


def test_no_graph_no_region():
    assert region_comparison(nx.Graph(), nx.Graph(), []) == []


def test_communes_ranked_by_their_most_serious_gaps():
    gaps = [
        {"commune": "b", "rule": "no_vertical_tie", "severity": "medium"},
        {"commune": "b", "rule": "single_person_tie", "severity": "medium"},
        {"commune": "c", "rule": "expected_actor_missing", "severity": "high"},
        {"commune": "d", "rule": "tie_past_cadence", "severity": "low"},
        {"commune": "d", "rule": "tie_past_cadence", "severity": "low"},
        {"commune": "zz", "rule": "tie_past_cadence", "severity": "low"},  # not assessed
    ]
    communes = [{"code": c, "name": c.upper(), "pilot": c == "a"} for c in "abcd"]
    rows = commune_gap_rows(gaps, communes)
    assert [r["code"] for r in rows] == ["c", "b", "d", "a"]
    assert [r["worst"] for r in rows] == ["high", "medium", "low", ""]
    assert rows[1]["by_severity"] == {"high": 0, "medium": 2, "low": 0}
    assert rows[1]["rules"] == ["no_vertical_tie", "single_person_tie"]
    assert rows[2]["gaps"] == 2 and rows[2]["rules"] == ["tie_past_cadence"]
    assert rows[3]["pilot"] is True  # the communes' own keys are kept


def test_ties_between_communes_are_summed():
    G, _ = two_regions()
    found = {(r["a"], r["b"]): r for r in commune_ties(G)}
    # council02-asso02b and asso02a-asso02b cross 02.1-02.2; council02-service02 too.
    assert found[("02.1", "02.2")]["ties"] == 3
    assert found[("02.1", "02.2")]["weight"] == pytest.approx(3.0)
    assert found[("02.1", "09.1")]["ties"] == 1
    # Ties with the DGCT (no commune) and within a commune are not between communes.
    assert set(found) == {("02.1", "02.2"), ("02.1", "09.1")}
    assert commune_ties(G)[0]["a"] == "02.1" and commune_ties(G)[0]["b"] == "02.2"
