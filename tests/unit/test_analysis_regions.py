"""Regions side by side (graph.analysis.regions), on small networks counted by hand."""

import doctest

import networkx as nx
import pytest

from graph.analysis import regions
from graph.analysis.regions import REGION_FIGURES, region_comparison

STATE, COUNCIL, OSC = "deconcentrated_state", "territorial_collectivity", "civil_society"


def _org_graph():
    """Oriental (02): a commune council, two associations of pilot commune 02.1, an
    association of 02.2, a provincial service; Souss-Massa (09): a council and an
    association; INDH (national, no region).

    Ties: council–osc1, council–osc2 (horizontal), council–service (vertical), council–INDH
    (vertical, national), osc1–osc2 (same sector), osc3 isolated; Souss: council9–osc9
    (horizontal); osc2–osc9 across regions (left out of both); INDH–osc9 (other)."""
    G = nx.Graph()
    nodes = {
        "council": ("02", "02.1", COUNCIL, True),
        "osc1": ("02", "02.1", OSC, True),
        "osc2": ("02", "02.1", OSC, True),
        "osc3": ("02", "02.2", OSC, False),
        "service": ("02", "02.3", STATE, False),
        "council9": ("09", "09.1", COUNCIL, False),
        "osc9": ("09", "09.1", OSC, False),
        "indh": ("", "", STATE, False),
    }
    for node, (region, commune, sector, pilot) in nodes.items():
        G.add_node(node, region=region, commune=commune, sector=sector, pilot=pilot)
    G.add_edges_from(
        [("council", "osc1"), ("council", "osc2"), ("council", "service"), ("council", "indh"),
         ("osc1", "osc2"), ("council9", "osc9"), ("osc2", "osc9"), ("indh", "osc9")]
    )  # fmt: skip
    return G


def _people_graph():
    G = nx.Graph()
    for node, region, gender in (("a", "02", "f"), ("b", "02", "m"), ("c", "02", "m"),
                                 ("d", "02", ""), ("e", "09", "f"), ("x", "", "f")):  # fmt: skip
        G.add_node(node, region=region, gender=gender, commune=f"{region}.1" if region else "")
    return G


def test_each_region_counted_by_hand():
    rows = region_comparison(
        _org_graph(), _people_graph(), pilot_communes=["02.1", "02.4"],
        region_names={"02": "Oriental"},
    )  # fmt: skip
    assert [r["region"] for r in rows] == ["02", "09"]
    oriental, souss = rows
    assert oriental["name"] == "Oriental" and souss["name"] == "09"
    # Oriental: 5 organisations; ties: council–osc1, council–osc2, council–service,
    # council–INDH, osc1–osc2 (osc2–osc9 crosses regions: left out).
    assert oriental["nodes"] == 5 and oriental["ties"] == 5
    # Density among its own 5 organisations: 4 ties of 10 possible.
    assert oriental["density"] == pytest.approx(4 / 10)
    # Sectors: 4 ties cross sectors (council–osc ×2, council–service, council–INDH), 1 not.
    assert oriental["cross_sector_share"] == pytest.approx(4 / 5)
    assert oriental["ei_sector"] == pytest.approx((4 - 1) / 5)
    # Vertical: council–service, council–INDH; horizontal: council–osc1, council–osc2.
    assert oriental["ei_vertical"] == pytest.approx(0.0)
    # Women among the people of known gender: a (f), b, c (m); d unknown.
    assert oriental["women_share"] == pytest.approx(1 / 3)
    # Pilot communes 02.1 and 02.4 (no actor there); associations engaged in 02.1: osc1, osc2.
    assert oriental["pilot_communes"] == 2 and oriental["engaged_associations"] == 2
    assert oriental["engaged_per_pilot"] == pytest.approx(1.0)
    # Souss-Massa: council9–osc9 and INDH–osc9 (other), not osc2–osc9.
    assert souss["nodes"] == 2 and souss["ties"] == 2
    assert souss["density"] == pytest.approx(1.0)
    assert souss["ei_vertical"] == pytest.approx(-1.0)
    assert souss["women_share"] == pytest.approx(1.0)
    assert souss["pilot_communes"] == 0 and souss["engaged_per_pilot"] is None
    assert set(REGION_FIGURES) <= set(souss)


def test_pilot_communes_default_to_the_nodes_marked_pilot():
    rows = region_comparison(_org_graph(), nx.Graph())
    oriental = rows[0]
    assert oriental["pilot_communes"] == 1 and oriental["engaged_associations"] == 2


def test_an_isolated_association_of_a_pilot_commune_is_not_engaged():
    rows = region_comparison(_org_graph(), nx.Graph(), pilot_communes=["02.2"])
    assert rows[0]["engaged_associations"] == 0 and rows[0]["engaged_per_pilot"] == 0.0


def test_a_region_with_only_a_pilot_commune_or_people_has_a_row():
    rows = region_comparison(nx.Graph(), _people_graph(), pilot_communes=["06.141.01.0"])
    assert [r["region"] for r in rows] == ["02", "06", "09"]
    casablanca = rows[1]
    assert casablanca["nodes"] == 0 and casablanca["ties"] == 0
    assert casablanca["density"] == 0.0 and casablanca["ei_sector"] is None
    assert casablanca["cross_sector_share"] is None and casablanca["women_share"] is None


def test_empty_networks_give_no_row():
    assert region_comparison(nx.Graph(), nx.Graph()) == []


def test_the_input_graphs_are_left_unchanged():
    G, P = _org_graph(), _people_graph()
    before = (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), dict(P.nodes(data=True)))
    region_comparison(G, P, pilot_communes=["02.1"])
    assert before == (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), dict(P.nodes(data=True)))


def test_the_docstring_example():
    assert doctest.testmod(regions).failed == 0
