"""Map layout and aggregation (graph.analysis.layout): stable positions, summed ties."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from graph.analysis.layout import SPACING, aggregate, positions


def shuffled_copy(G: nx.Graph, seed: int) -> nx.Graph:
    """The same graph, its nodes and ties added in another order."""
    rng = random.Random(seed)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from((v, u, d) if rng.random() < 0.5 else (u, v, d) for u, v, d in edges)
    return H


def test_an_empty_graph_has_no_position():
    assert positions(nx.Graph()) == {}


def test_a_single_node_is_at_the_centre():
    assert positions(nx.empty_graph(["seul"])) == {"seul": (0.0, 0.0)}


def test_positions_are_the_same_for_the_same_data_whatever_the_order():
    G = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"org-{n}")
    G.add_nodes_from(["isolé-1", "isolé-2"])
    G.add_edge("paire-a", "paire-b")
    first = positions(G, seed=7)
    assert set(first) == set(G)
    assert positions(G, seed=7) == first
    assert positions(shuffled_copy(G, 1), seed=7) == first
    assert positions(shuffled_copy(G, 2), seed=7) == first


def test_positions_do_not_change_the_graph():
    G = nx.karate_club_graph()
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    positions(G)
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before


def test_a_large_sparse_graph_is_laid_out_without_overlapping_components():
    G = nx.disjoint_union_all([nx.path_graph(5), nx.star_graph(6), nx.cycle_graph(8)])
    G.add_nodes_from(range(100, 110))  # isolated
    xy = positions(G, seed=3)
    # No two nodes on the same spot, and the layout is centred.
    spots = {(round(x), round(y)) for x, y in xy.values()}
    assert len(spots) == G.number_of_nodes()
    xs, ys = [x for x, _ in xy.values()], [y for _, y in xy.values()]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(0, abs=0.1)
    assert (min(ys) + max(ys)) / 2 == pytest.approx(0, abs=0.1)
    # Ties are drawn at a readable length: their median is the spacing.
    lengths = sorted(math.dist(xy[u], xy[v]) for u, v in G.edges())
    assert lengths[len(lengths) // 2] == pytest.approx(SPACING, rel=0.05)


def test_positions_of_a_thousand_nodes_are_stable_too():
    G = nx.powerlaw_cluster_graph(1200, 2, 0.2, seed=5)  # igraph's grid variant
    assert positions(G, seed=1) == positions(shuffled_copy(G, 3), seed=1)


def test_aggregation_sums_the_ties_between_communes():
    G = nx.Graph(level="organisation")
    G.add_nodes_from(
        [
            ("a", {"kind": "organisation", "name": "A", "commune": "02.1.1", "province": "02.1",
                   "region": "02"}),
            ("b", {"kind": "organisation", "name": "B", "commune": "02.1.1", "province": "02.1",
                   "region": "02"}),
            ("c", {"kind": "organisation", "name": "C", "commune": "02.1.2", "province": "02.1",
                   "region": "02"}),
            ("indh", {"kind": "organisation", "name": "INDH", "commune": ""}),
        ]
    )  # fmt: skip
    G.add_edge("a", "b", weight=2.0, kinds=["partnership"], last="2025-01-01")
    G.add_edge("a", "c", weight=1.0, kinds=["co_attendance"], last="2025-03-01")
    G.add_edge("b", "c", weight=0.5, kinds=["interaction"], last="2025-06-01")
    G.add_edge("c", "indh", weight=0.25, kinds=["partnership"], last=None)
    A = aggregate(G, labels={"02.1.1": "Oujda", "02.1.2": "Berkane"})

    assert set(A) == {"02.1.1", "02.1.2", "indh"}
    assert A.graph["aggregated_by"] == "commune" and A.graph["level"] == "organisation"
    oujda = A.nodes["02.1.1"]
    assert oujda["name"] == "Oujda" and oujda["kind"] == "commune"
    assert oujda["members"] == 2 and oujda["internal_ties"] == 1
    assert oujda["internal_weight"] == pytest.approx(2.0)
    assert oujda["province"] == "02.1" and oujda["region"] == "02"
    tie = A["02.1.1"]["02.1.2"]
    assert tie["weight"] == pytest.approx(1.5) and tie["ties"] == 2
    assert tie["kinds"] == ["co_attendance", "interaction"] and tie["last"] == "2025-06-01"
    # A node placed nowhere stays itself, with its attributes.
    assert A.nodes["indh"]["name"] == "INDH" and A.nodes["indh"]["members"] == 1
    assert A["02.1.2"]["indh"]["weight"] == pytest.approx(0.25)
    # The weights of ties between groups and inside them add up to the graph's.
    total = sum(d["weight"] for *_, d in A.edges(data=True))
    total += sum(d["internal_weight"] for _, d in A.nodes(data=True))
    assert total == pytest.approx(sum(d["weight"] for *_, d in G.edges(data=True)))
    assert "kinds" in G["a"]["b"] and G["a"]["b"]["kinds"] == ["partnership"]  # unchanged


def test_aggregation_by_region_keeps_only_the_shared_places():
    G = nx.Graph()
    G.add_node("a", commune="02.1.1", province="02.1", region="02")
    G.add_node("b", commune="02.2.1", province="02.2", region="02")
    A = aggregate(G, "region")
    assert A.nodes["02"]["members"] == 2
    assert A.nodes["02"]["province"] == "" and A.nodes["02"]["commune"] == ""
    assert A.nodes["02"]["name"] == "02"


def test_aggregating_empty_and_one_node_graphs():
    assert aggregate(nx.Graph()).number_of_nodes() == 0
    one = nx.Graph()
    one.add_node("x", commune="02.1.1")
    A = aggregate(one)
    assert list(A) == ["02.1.1"] and A.number_of_edges() == 0
    assert positions(A) == {"02.1.1": (0.0, 0.0)}
