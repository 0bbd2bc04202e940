"""The igraph kernels give networkx's answers on the same graphs."""

import random

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from graph.analysis.fast import (
    convert,
    igraph_articulation_points,
    igraph_betweenness,
    igraph_bridges,
    igraph_closeness,
    igraph_constraint,
    igraph_core_numbers,
    igraph_effective_size,
    igraph_pagerank,
    igraph_two_step_reach,
    leiden_communities,
    to_igraph,
)


def _random_graph():
    G = nx.gnm_random_graph(200, 600, seed=7)
    G.add_nodes_from(["isolated", "x", "y"])  # an isolate and a small separate component
    G.add_edge("x", "y", weight=2.0)
    return G


def _with_loop_and_tails():
    G = nx.karate_club_graph()
    G.add_edge(0, 0)  # a self-loop: ignored by every kernel
    G.add_edges_from([(33, "t1"), ("t1", "t2"), ("t1", "t3")])  # a tree hanging off: bridges
    for u, v, d in G.edges(data=True):
        d.setdefault("weight", 1.0 + len(str(u) + str(v)) % 3 / 2)
    return G


GRAPHS = {
    "karate": nx.karate_club_graph(),
    "karate with tails": _with_loop_and_tails(),
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
    # Self-loops are left out of every kernel (a tie of an actor with itself is no tie).
    expected = _pagerank_python(_simple(G), alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
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


def _simple(G):
    H = nx.Graph(G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return H


@pytest.mark.parametrize("name", GRAPHS)
def test_structure_kernels_equal_networkx(name):
    G = GRAPHS[name]
    H = _simple(G)
    ig = convert(G)
    assert igraph_core_numbers(G, ig=ig) == nx.core_number(H)
    assert igraph_articulation_points(G, ig=ig) == set(nx.articulation_points(H))
    expected = {frozenset(e) for e in nx.bridges(H)}
    found = igraph_bridges(G, ig=ig)
    assert {frozenset(e) for e in found} == expected
    assert found == [(u, v) for u, v in G.edges() if frozenset((u, v)) in expected]
    reach = {v: len(nx.single_source_shortest_path_length(H, v, cutoff=2)) - 1 for v in H}
    assert igraph_two_step_reach(G, ig=ig) == reach


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("weight", [None, "weight"])
def test_constraint_equals_networkx(name, weight):
    G = GRAPHS[name]
    H = _simple(G)
    expected = nx.constraint(H, nodes=[v for v in H if H.degree(v)], weight=weight)
    found = igraph_constraint(G, weight=weight, ig=convert(G))
    assert {v: x for v, x in found.items() if x is not None} == pytest.approx(expected)
    assert {v for v, x in found.items() if x is None} == {v for v in H if not H.degree(v)}


@pytest.mark.parametrize("name", GRAPHS)
def test_effective_size_equals_networkx(name):
    G = GRAPHS[name]
    H = _simple(G)
    expected = nx.effective_size(H, nodes=[v for v in H if H.degree(v)], weight=None)
    found = igraph_effective_size(G)
    assert {v: x for v, x in found.items() if x is not None} == pytest.approx(expected)
    assert {v for v, x in found.items() if x is None} == {v for v in H if not H.degree(v)}


def test_one_conversion_serves_every_kernel_and_leaves_the_input_alone():
    G = GRAPHS["karate with tails"]
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    ig = convert(G)
    assert igraph_betweenness(G, ig=ig) == igraph_betweenness(G)
    assert igraph_pagerank(G, ig=ig) == igraph_pagerank(G)
    assert leiden_communities(G, ig=ig, seed=1) == leiden_communities(G, seed=1)
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before
