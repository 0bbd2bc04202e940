"""Communities, cores, cut points and Burt's measures on named graphs and small hand-made ones."""

import networkx as nx
import pytest

from graph.analysis.structure import (
    articulation_points,
    bridges,
    communities,
    constraint,
    core_numbers,
    core_periphery,
    effective_size,
)

KITE = nx.krackhardt_kite_graph()  # 7 Heather, 8 Ike, 9 Jane


def test_kite_constraint_equals_networkx_and_hand_values():
    values = constraint(KITE, weight=None)
    assert values == pytest.approx(nx.constraint(KITE))
    assert values[9] == 1.0  # Jane has one contact: fully constrained
    assert values[8] == pytest.approx(0.5)  # Ike: two unconnected contacts, (1/2)^2 each
    assert min(values, key=values.get) == 7  # Heather spans the hole


def test_kite_effective_size_by_hand():
    values = effective_size(KITE, weight=None)
    assert values == pytest.approx(nx.effective_size(KITE))
    assert values[8] == 2.0 and values[9] == 1.0
    # Heather: 3 contacts, Fernando and Garth tied to each other: 3 - 2 * 1 / 3.
    assert values[7] == pytest.approx(3 - 2 / 3)


def test_constraint_equals_networkx_on_weighted_graphs():
    G = nx.karate_club_graph()
    assert constraint(G) == pytest.approx(nx.constraint(G, weight="weight"))
    R = nx.gnm_random_graph(150, 500, seed=3)
    for i, (u, v) in enumerate(R.edges()):
        R[u][v]["weight"] = 0.5 + i % 4
    R.add_node("alone")
    expected = nx.constraint(R, nodes=[n for n in R if R.degree(n)], weight="weight")
    assert constraint(R) == pytest.approx({**expected, "alone": None})


def test_weighted_constraint_uses_the_weights():
    G = nx.Graph([("b", "a", {"weight": 3.0}), ("b", "c", {"weight": 1.0})])
    # b invests 3/4 in a and 1/4 in c, who are not tied: (3/4)^2 + (1/4)^2.
    assert constraint(G)["b"] == pytest.approx(0.625)
    assert constraint(G, weight=None)["b"] == pytest.approx(0.5)


def test_communities_are_seeded_and_split_two_cliques():
    G = nx.barbell_graph(5, 0)  # two 5-cliques joined by one tie
    result = communities(G, seed=1)
    assert result["seed"] == 1
    assert {result["membership"][v] for v in range(5)} != {
        result["membership"][v] for v in range(5, 10)
    }
    assert len(set(result["membership"].values())) == 2
    assert result["modularity"] == pytest.approx(
        nx.community.modularity(G, [set(range(5)), set(range(5, 10))])
    )
    assert communities(G, seed=1) == result


def test_cores_by_hand():
    G = nx.complete_graph(4)  # a 3-core
    G.add_edges_from([(3, 4), (4, 5)])
    G.add_node(6)
    assert core_numbers(G) == {0: 3, 1: 3, 2: 3, 3: 3, 4: 1, 5: 1, 6: 0}
    assert core_periphery(G) == {0: True, 1: True, 2: True, 3: True, 4: False, 5: False, 6: False}


def test_articulation_points_and_bridges_by_hand():
    G = nx.complete_graph(3)
    G.add_edges_from([(2, 3), (3, 4)])
    assert articulation_points(G) == [2, 3]
    assert bridges(G) == [(2, 3), (3, 4)]
    assert articulation_points(KITE) == [7, 8]
    assert bridges(KITE) == [(7, 8), (8, 9)]
