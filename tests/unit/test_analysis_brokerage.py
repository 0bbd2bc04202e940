"""Gould and Fernandez brokerage roles on hand-made graphs, counted by hand."""

import itertools
import random

import networkx as nx
import pytest

from graph.analysis import brokerage
from graph.analysis.brokerage import ROLES, brokerage_roles


def _graph(edges, sectors):
    G = nx.Graph(edges)
    G.add_nodes_from(sectors)
    nx.set_node_attributes(G, sectors, "sector")
    return G


def _only(role, count):
    counts = dict.fromkeys((*ROLES, "total"), 0)
    counts[role] = count
    counts["total"] = count
    return counts


@pytest.mark.parametrize(
    ("sectors", "role"),
    [
        ({"a": "x", "b": "x", "c": "x"}, "coordinator"),
        ({"a": "x", "b": "y", "c": "x"}, "consultant"),
        ({"a": "x", "b": "y", "c": "z"}, "liaison"),
    ],
)
def test_a_symmetric_role_counts_twice_one_per_direction(sectors, role):
    roles = brokerage_roles(_graph([("a", "b"), ("b", "c")], sectors))
    assert roles["b"] == _only(role, 2)
    assert roles["a"] == roles["c"] == _only("coordinator", 0)


def test_a_broker_sharing_its_group_with_one_end_is_gatekeeper_one_way_representative_the_other():
    # a -> b -> c: b receives from another group for its own: gatekeeper. c -> b -> a: b passes
    # its group's flow to another group: representative.
    roles = brokerage_roles(_graph([("a", "b"), ("b", "c")], {"a": "y", "b": "x", "c": "x"}))
    assert roles["b"] == {
        "coordinator": 0,
        "gatekeeper": 1,
        "representative": 1,
        "consultant": 0,
        "liaison": 0,
        "total": 2,
    }


def test_a_closed_triad_brokers_nothing():
    roles = brokerage_roles(_graph([("a", "b"), ("b", "c"), ("a", "c")], dict.fromkeys("abc", "x")))
    assert all(counts["total"] == 0 for counts in roles.values())


def test_mixed_broker_by_hand():
    # b (x) is tied to a1 and a2 (x, tied to each other), c (y) and d (z).
    # {a1, a2} closed: nothing. {a1, c}, {a2, c}, {a1, d}, {a2, d}: x-x-other, 1 gatekeeper and
    # 1 representative each. {c, d}: y-x-z, liaison, 2.
    edges = [("b", "a1"), ("b", "a2"), ("a1", "a2"), ("b", "c"), ("b", "d")]
    sectors = {"a1": "x", "a2": "x", "b": "x", "c": "y", "d": "z"}
    roles = brokerage_roles(_graph(edges, sectors))
    assert roles["b"] == {
        "coordinator": 0,
        "gatekeeper": 4,
        "representative": 4,
        "consultant": 0,
        "liaison": 2,
        "total": 10,
    }
    assert roles["a1"]["total"] == roles["c"]["total"] == 0


def test_unknown_sectors_are_left_out():
    # b has no sector: brokers nothing. e has no sector: the pairs with e are not counted.
    G = _graph(
        [("a", "b"), ("b", "c"), ("c", "d"), ("c", "e")],
        {"a": "x", "b": "", "c": "x", "d": "x", "e": ""},
    )
    del G.nodes["e"]["sector"]
    roles = brokerage_roles(G)
    assert roles["b"]["total"] == 0
    assert roles["c"] == _only("coordinator", 0)  # {b, d}: b unknown; {d, e}: e unknown
    G.nodes["b"]["sector"] = "x"
    assert brokerage_roles(G)["c"] == _only("coordinator", 2)  # {b, d}


def _by_ordered_triads(G):
    """The definition, triad by triad over ordered pairs, to check the counting shortcut."""
    result = {v: dict.fromkeys((*ROLES, "total"), 0) for v in G}
    group = nx.get_node_attributes(G, "sector")
    for b in G:
        for a, c in itertools.permutations(G[b], 2):
            if G.has_edge(a, c) or not (group[a] and group[b] and group[c]):
                continue
            ga, gb, gc = group[a], group[b], group[c]
            if ga == gb == gc:
                role = "coordinator"
            elif gb == gc:
                role = "gatekeeper"
            elif ga == gb:
                role = "representative"
            elif ga == gc:
                role = "consultant"
            else:
                role = "liaison"
            result[b][role] += 1
            result[b]["total"] += 1
    return result


@pytest.mark.parametrize("method", [None, "bits", "sets"])
def test_counts_equal_the_triad_by_triad_definition_on_a_random_graph(method):
    G = nx.gnm_random_graph(80, 300, seed=2)
    rng = random.Random(2)
    nx.set_node_attributes(G, {v: rng.choice(["x", "y", "z", "w", ""]) for v in G}, "sector")
    assert brokerage_roles(G, method=method) == _by_ordered_triads(G)


@pytest.mark.parametrize("seed", range(4))
def test_bit_sets_and_sets_count_alike_on_dense_clustered_graphs(seed):
    # Co-attendance makes cliques that overlap: many closed pairs around each broker.
    G = nx.relaxed_caveman_graph(12, 9, 0.2, seed=seed)
    G.add_edge(0, 0)  # a self-loop, ignored by both
    rng = random.Random(seed)
    sectors = ["civil_society", "territorial_collectivity", "deconcentrated_state", ""]
    nx.set_node_attributes(G, {v: rng.choice(sectors) for v in G}, "sector")
    bits = brokerage_roles(G, method="bits")
    assert bits == brokerage_roles(G, method="sets")
    H = G.copy()
    H.remove_edge(0, 0)
    assert bits == _by_ordered_triads(H)


def test_the_method_is_picked_by_size_and_an_unknown_one_is_refused(monkeypatch):
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "y", "b": "x", "c": "x"}, "sector")
    expected = brokerage_roles(G, method="sets")

    def refused(*args):
        raise AssertionError("bit sets used above BITSET_NODES")

    monkeypatch.setattr(brokerage, "_around_by_bits", refused)
    monkeypatch.setattr(brokerage, "BITSET_NODES", 2)  # 3 nodes of known group: sets
    assert brokerage_roles(G) == expected
    with pytest.raises(ValueError, match="unknown method"):
        brokerage_roles(G, method="matrix")
