"""Centralities on named graphs with published answers and small graphs worked out by hand."""

import networkx as nx
import pytest

from graph.analysis.centrality import (
    SAMPLES,
    betweenness,
    betweenness_centralization,
    closeness,
    degree,
    degree_centralization,
    density,
    eigenvector,
    pagerank,
    path_work,
    sample_size,
    two_step_reach,
    weighted_degree,
)

# Krackhardt's kite: 0 Andre, 1 Beverly, 2 Carol, 3 Diane, 4 Ed, 5 Fernando, 6 Garth,
# 7 Heather, 8 Ike, 9 Jane.
KITE = nx.krackhardt_kite_graph()


def test_kite_betweenness_known_values():
    values = betweenness(KITE, normalized=False)["values"]
    # Heather bridges the clique to Ike and Jane: 8 pairs through her alone, plus shares.
    assert values[7] == pytest.approx(14.0)
    assert max(values, key=values.get) == 7
    assert values[8] == pytest.approx(8.0)  # Ike: Jane to each of the 8 others
    assert values[5] == values[6] == pytest.approx(25 / 3)
    assert values[3] == pytest.approx(11 / 3)
    assert values[0] == values[1] == pytest.approx(5 / 6)
    assert values[2] == values[4] == values[9] == 0.0


def test_kite_closeness_known_values():
    values = closeness(KITE)
    # Fernando and Garth: distances sum to 14 (six at 1, three at 2): 9 / 14.
    assert values[5] == values[6] == pytest.approx(9 / 14)
    assert values[3] == values[7] == pytest.approx(9 / 15)
    assert values[9] == pytest.approx(9 / 29)  # Jane, at the tail


def test_karate_betweenness_and_closeness_match_networkx_and_the_literature():
    G = nx.karate_club_graph()
    result = betweenness(G, normalized=False)
    assert result["exact"] is True and result["samples"] is None
    # Published values (UCINET on Zachary's 78 ties): the instructor 231.071, the president
    # 160.552.
    assert result["values"][0] == pytest.approx(231.071, abs=1e-3)
    assert result["values"][33] == pytest.approx(160.552, abs=1e-3)
    assert result["values"] == pytest.approx(nx.betweenness_centrality(G, normalized=False))
    assert closeness(G) == pytest.approx(nx.closeness_centrality(G))
    assert closeness(G)[0] == pytest.approx(0.5689655)


def test_betweenness_is_sampled_above_the_limit_and_says_so():
    G = nx.gnm_random_graph(60, 150, seed=1)
    assert path_work(G) == 60 * 150
    result = betweenness(G, budget=1_000, samples=20, seed=5)
    assert (result["exact"], result["samples"], result["seed"]) == (False, 20, 5)
    assert result["values"] == pytest.approx(nx.betweenness_centrality(G, k=20, seed=5))
    assert betweenness(G, budget=9_000, samples=20)["exact"] is True  # within the budget
    assert betweenness(G, budget=0, samples=60)["exact"] is True  # samples cover all
    # Above the budget the sample is sized to the budget: 3,000 / 9,000 of 60 nodes.
    assert betweenness(G, budget=3_000, samples=5)["samples"] == 20


def test_sample_size_follows_the_budget_down_to_a_few_dozen_sources():
    # National scale leaves room for only a few dozen sources: no larger floor inflates the work.
    G = nx.gnm_random_graph(2_000, 6_000, seed=2)
    work = path_work(G)
    assert sample_size(G, budget=work // 50) == 40  # 2,000 / 50 sources, within the budget
    assert sample_size(G, budget=work // 1_000) == SAMPLES  # the floor
    assert 10 <= SAMPLES <= 64
    result = betweenness(G, budget=work // 50, seed=3)
    assert (result["exact"], result["samples"]) == (False, 40)
    assert result["values"] == pytest.approx(nx.betweenness_centrality(G, k=40, seed=3))


def test_betweenness_refuses_no_samples():
    with pytest.raises(ValueError):
        betweenness(nx.path_graph(3), budget=0, samples=0)


def test_degree_and_weighted_degree():
    G = nx.Graph([("a", "b", {"weight": 0.5}), ("b", "c", {"weight": 2.0}), ("c", "d")])
    assert degree(G) == {"a": 1, "b": 2, "c": 2, "d": 1}
    assert weighted_degree(G) == {"a": 0.5, "b": 2.5, "c": 3.0, "d": 1.0}


def test_eigenvector_on_a_connected_graph_is_networkx():
    G = nx.karate_club_graph()
    expected = nx.eigenvector_centrality(G, weight="weight", max_iter=10_000, tol=1e-9)
    assert eigenvector(G) == pytest.approx(expected, abs=1e-7)


def test_eigenvector_of_two_equal_components_is_shared_between_them():
    G = nx.disjoint_union(nx.path_graph(3), nx.path_graph(3))
    G.add_node("alone")
    values = eigenvector(G, weight=None)
    # Each path has norm sqrt(3/7); within a path the centre is sqrt(2) times an end.
    assert values[1] == values[4] == pytest.approx((3 / 7) ** 0.5 / 2**0.5)
    assert values[0] == pytest.approx((3 / 7) ** 0.5 / 2)
    assert values["alone"] == 0.0


def test_pagerank_sums_to_one_and_favours_the_hub():
    ranks = pagerank(nx.star_graph(4))
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert ranks[0] > ranks[1] == pytest.approx(ranks[4])


def test_two_step_reach_by_hand():
    G = nx.path_graph(5)  # 0-1-2-3-4
    assert two_step_reach(G, share=False) == {0: 2.0, 1: 3.0, 2: 4.0, 3: 3.0, 4: 2.0}
    assert two_step_reach(G)[2] == 1.0
    assert two_step_reach(G)[0] == 0.5


def test_density_and_centralisations_by_hand():
    assert density(nx.complete_graph(5)) == 1.0
    assert density(nx.path_graph(4)) == pytest.approx(0.5)  # 3 ties of 6
    star, cycle = nx.star_graph(5), nx.cycle_graph(6)
    assert degree_centralization(star) == 1.0 and degree_centralization(cycle) == 0.0
    # Path of 4: degrees 1,2,2,1: (1 + 0 + 0 + 1) / (3 * 2).
    assert degree_centralization(nx.path_graph(4)) == pytest.approx(1 / 3)
    assert betweenness_centralization(betweenness(star)["values"]) == pytest.approx(1.0)
    assert betweenness_centralization(betweenness(cycle)["values"]) == pytest.approx(0.0)


def test_path_work_sums_nodes_times_ties_per_component():
    G = nx.disjoint_union(nx.complete_graph(4), nx.path_graph(3))
    G.add_node("alone")
    G.add_edge(0, 0)  # self-loops are no ties
    assert path_work(G) == 4 * 6 + 3 * 2


def test_closeness_is_estimated_from_sampled_sources_above_the_budget():
    # A large component (sampled) and a small one (exact even in a sampled run).
    G = nx.disjoint_union(nx.connected_watts_strogatz_graph(600, 6, 0.2, seed=3), nx.path_graph(5))
    exact = nx.closeness_centrality(G)
    estimate = closeness(G, budget=0, samples=300, seed=1)
    assert closeness(G) == pytest.approx(exact)  # within the budget: exact
    for v in range(600, 605):
        assert estimate[v] == pytest.approx(exact[v])
    errors = [abs(estimate[v] - exact[v]) / exact[v] for v in range(600)]
    assert max(errors) < 0.05
    assert estimate == closeness(G, budget=0, samples=300, seed=1)  # seeded
    assert closeness(G, budget=0, samples=10_000) == pytest.approx(exact)  # sample covers all
