"""Krackhardt and Stern's E-I index and vertical/horizontal ties, counted by hand."""

import networkx as nx
import pytest

from graph.analysis.ei import (
    ei_index,
    group_ei_index,
    orientation_counts,
    tie_orientation,
    vertical_horizontal_ei,
)


def _graph(edges, sectors):
    G = nx.Graph()
    G.add_nodes_from(sectors)
    G.add_edges_from(edges)
    nx.set_node_attributes(G, sectors, "sector")
    return G


# Two groups: x = {a, b, c} all tied (3 internal), y = {d, e} tied (1 internal); c - d and
# c - e cross (2 external). f (z) has no tie; g has no sector and a tie to a.
SECTORS = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y", "f": "z", "g": ""}
EDGES = [("a", "b"), ("a", "c"), ("b", "c"), ("d", "e"), ("c", "d"), ("c", "e"), ("a", "g")]


def test_ei_index_by_hand():
    G = _graph(EDGES, SECTORS)
    assert ei_index(G) == pytest.approx((2 - 4) / 6)  # the tie to g is not counted


def test_group_ei_index_by_hand():
    G = _graph(EDGES, SECTORS)
    # x: E = 2, I = 3. y: E = 2, I = 1. z: no tie.
    assert group_ei_index(G) == {"x": pytest.approx(-1 / 5), "y": pytest.approx(1 / 3), "z": None}


def test_weighted_ei_index_by_hand():
    G = _graph(
        [("a", "b", {"weight": 3.0}), ("b", "c", {"weight": 1.0})], {"a": "x", "b": "x", "c": "y"}
    )
    assert ei_index(G, weight="weight") == pytest.approx((1 - 3) / 4)
    assert ei_index(G) == 0.0


def test_all_external_and_all_internal():
    assert ei_index(_graph([("a", "b")], {"a": "x", "b": "y"})) == 1.0
    assert ei_index(_graph([("a", "b")], {"a": "x", "b": "x"})) == -1.0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("central_state", "territorial_collectivity", "vertical"),
        ("territorial_collectivity", "deconcentrated_state", "vertical"),
        ("territorial_collectivity", "civil_society", "horizontal"),
        ("territorial_collectivity", "territorial_collectivity", "horizontal"),
        ("territorial_collectivity", "private", "other"),
        ("territorial_collectivity", "", "other"),
        ("civil_society", "deconcentrated_state", "other"),
        ("central_state", "deconcentrated_state", "other"),
        ("", "", "other"),
    ],
)
def test_tie_orientation(a, b, expected):
    assert tie_orientation(a, b) == expected


def test_vertical_horizontal_ei_by_hand():
    sectors = {
        "wali": "deconcentrated_state",
        "ministry": "central_state",
        "commune": "territorial_collectivity",
        "region": "territorial_collectivity",
        "osc": "civil_society",
        "bank": "private",
    }
    edges = [
        ("wali", "commune"),  # vertical
        ("ministry", "region"),  # vertical
        ("wali", "region"),  # vertical
        ("commune", "osc"),  # horizontal
        ("commune", "bank"),  # other
        ("wali", "osc"),  # other
    ]
    G = _graph(edges, sectors)
    assert orientation_counts(G) == {"vertical": 3.0, "horizontal": 1.0, "other": 2.0}
    assert vertical_horizontal_ei(G) == pytest.approx((3 - 1) / 4)
    G.add_edge("commune", "region")  # horizontal
    assert vertical_horizontal_ei(G) == pytest.approx((3 - 2) / 5)


def test_no_vertical_or_horizontal_tie_gives_none():
    G = _graph([("a", "b")], {"a": "civil_society", "b": "private"})
    assert vertical_horizontal_ei(G) is None
    assert ei_index(nx.Graph()) is None
    assert group_ei_index(nx.Graph()) == {}
