"""Krackhardt and Stern's E-I index and vertical/horizontal ties, counted by hand."""

import random

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


def _reference(G, weight):
    """The former tie-by-tie computation of the three indices, for the comparison below."""
    sector = nx.get_node_attributes(G, "sector")
    external = internal = 0.0
    by_group_e: dict = {}
    by_group_i: dict = {}
    orientation = {"vertical": 0.0, "horizontal": 0.0, "other": 0.0}
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        amount = 1.0 if weight is None else float(d.get(weight, 1.0))
        g, h = sector.get(u) or "", sector.get(v) or ""
        orientation[tie_orientation(g, h)] += amount
        if not g or not h:
            continue
        if g == h:
            internal += amount
            by_group_i[g] = by_group_i.get(g, 0.0) + amount
        else:
            external += amount
            by_group_e[g] = by_group_e.get(g, 0.0) + amount
            by_group_e[h] = by_group_e.get(h, 0.0) + amount
    groups = sorted({s for s in sector.values() if s})
    ratio = lambda e, i: (e - i) / (e + i) if e + i > 0 else None  # noqa: E731
    return (
        ratio(external, internal),
        {g: ratio(by_group_e.get(g, 0.0), by_group_i.get(g, 0.0)) for g in groups},
        orientation,
    )


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("weight", [None, "weight"])
def test_indices_equal_the_tie_by_tie_computation_on_random_graphs(seed, weight):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(60, 200, seed=seed)
    G.add_edge(5, 5)  # self-loops are left out
    sectors = ["central_state", "deconcentrated_state", "territorial_collectivity",
               "civil_society", "private", ""]  # fmt: skip
    for node in G:
        if rng.random() < 0.9:  # some nodes have no sector at all
            G.nodes[node]["sector"] = rng.choice(sectors)
    for u, v in G.edges():
        if rng.random() < 0.7:
            G.edges[u, v]["weight"] = rng.choice([0.5, 1.0, 2.0, 3.25])
    whole, by_group, orientation = _reference(G, weight)
    assert ei_index(G, weight=weight) == pytest.approx(whole)
    assert group_ei_index(G, weight=weight) == pytest.approx(by_group)
    assert orientation_counts(G, weight=weight) == pytest.approx(orientation)
    if weight is None:  # counts are whole numbers: exactly equal
        assert (ei_index(G), group_ei_index(G), orientation_counts(G)) == (
            whole,
            by_group,
            orientation,
        )
