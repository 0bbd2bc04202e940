"""Every analysis function gives a defined result on degenerate graphs and leaves them unchanged."""

import copy
import math

import networkx as nx
import pytest

from graph.analysis import brokerage, centrality, ei, structure


def _empty():
    return nx.Graph()


def _single():
    G = nx.Graph()
    G.add_node("a", sector="civil_society")
    return G


def _disconnected():
    G = nx.Graph()
    G.add_edge("a", "b", weight=0.5)
    G.add_edge("c", "d", weight=2.0)
    G.add_node("e")
    nx.set_node_attributes(
        G,
        {"a": "civil_society", "b": "territorial_collectivity", "c": "private", "d": "private"},
        "sector",
    )
    return G


def _self_loop():
    G = nx.path_graph(["a", "b", "c"])
    G.add_edge("b", "b")  # not in a projection's graph, but must not break anything
    nx.set_node_attributes(G, {"a": "academia", "b": "media", "c": "academia"}, "sector")
    return G


def _no_ties():
    G = nx.Graph()
    G.add_nodes_from(["a", "b", "c"], sector="donor")
    return G


GRAPHS = {
    "empty": _empty,
    "single": _single,
    "disconnected": _disconnected,
    "self_loop": _self_loop,
    "no_ties": _no_ties,
}

FUNCTIONS = {
    "degree": centrality.degree,
    "weighted_degree": centrality.weighted_degree,
    "betweenness": lambda G: centrality.betweenness(G)["values"],
    "betweenness_sampled": lambda G: centrality.betweenness(G, budget=0, samples=2)["values"],
    "closeness_sampled": lambda G: centrality.closeness(G, budget=0, samples=2),
    "closeness": centrality.closeness,
    "eigenvector": centrality.eigenvector,
    "pagerank": centrality.pagerank,
    "two_step_reach": centrality.two_step_reach,
    "density": centrality.density,
    "degree_centralization": centrality.degree_centralization,
    "betweenness_centralization": lambda G: centrality.betweenness_centralization(
        centrality.betweenness(G)["values"]
    ),
    "communities": structure.communities,
    "core_numbers": structure.core_numbers,
    "core_periphery": structure.core_periphery,
    "articulation_points": structure.articulation_points,
    "bridges": structure.bridges,
    "constraint": structure.constraint,
    "effective_size": structure.effective_size,
    "brokerage_roles": brokerage.brokerage_roles,
    "ei_index": ei.ei_index,
    "group_ei_index": ei.group_ei_index,
    "orientation_counts": ei.orientation_counts,
    "vertical_horizontal_ei": ei.vertical_horizontal_ei,
}


def _finite(value):
    """No NaN or infinity anywhere in the result."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_finite(v) for v in value)
    return True


def _snapshot(G):
    return (
        list(G.nodes(data=True)),
        sorted((str(u), str(v), sorted(d.items())) for u, v, d in G.edges(data=True)),
        copy.deepcopy(G.graph),
    )


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_defined_result_and_input_untouched(graph, function):
    G = GRAPHS[graph]()
    before = _snapshot(G)
    result = FUNCTIONS[function](G)
    assert _finite(result)
    assert _snapshot(G) == before
    if isinstance(result, dict) and function not in ("communities", "group_ei_index"):
        if function != "orientation_counts":
            assert set(result) == set(G)  # one value for every node, none invented


def test_self_loops_are_ignored():
    G = _self_loop()
    assert centrality.degree(G) == {"a": 1, "b": 2, "c": 1}
    assert centrality.density(G) == pytest.approx(2 / 3)
    assert structure.core_numbers(G) == {"a": 1, "b": 1, "c": 1}
    assert structure.constraint(G, weight=None)["b"] == pytest.approx(0.5)
    assert brokerage.brokerage_roles(G)["b"]["consultant"] == 2
    assert ei.ei_index(G) == 1.0


def test_degenerate_values():
    assert centrality.density(_single()) == 0.0
    assert centrality.closeness(_single()) == {"a": 0.0}
    assert structure.constraint(_disconnected())["e"] is None
    assert structure.effective_size(_disconnected())["e"] is None
    assert structure.communities(_no_ties())["modularity"] == 0.0
    assert structure.core_periphery(_no_ties()) == dict.fromkeys("abc", False)
    assert centrality.eigenvector(_no_ties()) == dict.fromkeys("abc", 0.0)
    assert centrality.pagerank(_no_ties()) == pytest.approx(dict.fromkeys("abc", 1 / 3))
    assert ei.group_ei_index(_no_ties()) == {"donor": None}
