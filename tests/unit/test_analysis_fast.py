"""The igraph and leidenalg kernels give networkx's answers on the same graphs."""

import random

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from graph.analysis.fast import (
    igraph_betweenness,
    igraph_closeness,
    igraph_pagerank,
    leiden_communities,
    to_igraph,
)


def _random_graph():
    G = nx.gnm_random_graph(200, 600, seed=7)
    G.add_nodes_from(["isolated", "x", "y"])  # an isolate and a small separate component
    G.add_edge("x", "y", weight=2.0)
    return G


GRAPHS = {
    "karate": nx.karate_club_graph(),
    "kite": nx.krackhardt_kite_graph(),
    "random": _random_graph(),
}


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("normalized", [True, False])
def test_exact_betweenness_equals_networkx(name, normalized):
    G = GRAPHS[name]
    expected = nx.betweenness_centrality(G, normalized=normalized)
    assert igraph_betweenness(G, normalized=normalized) == pytest.approx(expected)


@pytest.mark.parametrize("name", ["karate", "random"])
@pytest.mark.parametrize("normalized", [True, False])
def test_sampled_betweenness_equals_networkx_with_the_same_sample(name, normalized):
    G = GRAPHS[name]
    k, seed = 12, 3
    sources = random.Random(seed).sample(list(G), k)  # what networkx draws for seed=3
    expected = nx.betweenness_centrality(G, k=k, seed=seed, normalized=normalized)
    assert igraph_betweenness(G, normalized=normalized, sources=sources) == pytest.approx(expected)


@pytest.mark.parametrize("name", GRAPHS)
def test_closeness_equals_networkx(name):
    G = GRAPHS[name]
    assert igraph_closeness(G) == pytest.approx(nx.closeness_centrality(G))


@pytest.mark.parametrize("name", GRAPHS)
def test_pagerank_equals_networkx(name):
    # nx.pagerank needs scipy, not installed; _pagerank_python is networkx's pure-Python
    # implementation, the reference its own tests hold the scipy one to.
    G = GRAPHS[name]
    expected = _pagerank_python(G, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    assert igraph_pagerank(G) == pytest.approx(expected, abs=1e-9)


def test_leiden_modularity_is_at_least_networkx_louvain_on_karate():
    G = GRAPHS["karate"]
    membership, modularity = leiden_communities(G, seed=0)
    louvain = nx.community.louvain_communities(G, seed=0, weight="weight")
    expected = nx.community.modularity(G, louvain, weight="weight")
    assert modularity >= expected - 1e-3
    groups: dict[int, set] = {}
    for node, community in membership.items():
        groups.setdefault(community, set()).add(node)
    assert modularity == pytest.approx(nx.community.modularity(G, groups.values()))


def test_leiden_finds_the_obvious_communities_louvain_finds():
    G = nx.ring_of_cliques(5, 6)
    membership, modularity = leiden_communities(G, seed=0, weight=None)
    found = {frozenset(v for v in G if membership[v] == c) for c in set(membership.values())}
    louvain = {frozenset(c) for c in nx.community.louvain_communities(G, seed=0)}
    assert found == louvain == {frozenset(range(i * 6, i * 6 + 6)) for i in range(5)}
    assert modularity == pytest.approx(nx.community.modularity(G, louvain))


def test_leiden_is_reproducible_with_its_seed():
    G = GRAPHS["random"]
    assert leiden_communities(G, seed=4) == leiden_communities(G, seed=4)


def test_community_numbers_start_with_the_largest():
    G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(5))
    membership, _ = leiden_communities(G, weight=None)
    assert {membership[v] for v in range(3, 8)} == {0}
    assert {membership[v] for v in range(3)} == {1}


def test_to_igraph_keeps_node_ids_and_weights_and_drops_self_loops():
    G = nx.Graph([("a", "b", {"weight": 0.25}), ("b", "c")])
    G.add_edge("c", "c")
    g, nodes = to_igraph(G)
    assert nodes == ["a", "b", "c"]
    assert sorted(tuple(sorted(nodes[i] for i in e.tuple)) for e in g.es) == [
        ("a", "b"),
        ("b", "c"),
    ]
    assert sorted(g.es["weight"]) == [0.25, 1.0]
    assert G.number_of_edges() == 3  # the input keeps its self-loop
