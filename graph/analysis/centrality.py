"""Centrality, reach, density and centralisation of the actors of a network."""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping
from typing import TypedDict

import networkx as nx

from graph.analysis._graphs import without_self_loops
from graph.analysis.fast import (
    IGraph,
    convert,
    igraph_betweenness,
    igraph_closeness,
    igraph_pagerank,
    igraph_sampled_closeness,
    igraph_two_step_reach,
)

__all__ = [
    "WORK_BUDGET",
    "SAMPLES",
    "path_work",
    "sample_size",
    "Betweenness",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "two_step_reach",
    "density",
    "degree_centralization",
    "betweenness_centralization",
]

# Shortest-path metrics (betweenness, closeness) run one breadth-first search per source
# node, each visiting the ties of the source's component: their work is the sum over the
# components of nodes x ties (``path_work``). Exact up to ``WORK_BUDGET``; above it, from a
# sample of sources sized by the budget only (``budget * n / work``), with a floor of
# ``SAMPLES`` sources so a graph just above the budget still gets a usable sample. At national
# scale (3M ties, work 1e11-6e11) the budget gives about 35-40 sources: a 500-source floor made
# each sampled metric cost 40-180 s there for no gain within the budget.
# Measured with igraph on the 2-core development machine, loaded: random graphs 5k nodes /
# 25k ties (work 1.25e8) 1.5-4 s; the programme-scale person network (5k nodes, 49k ties in
# many small components, work 3e7) 0.25 s.
WORK_BUDGET = 100_000_000
SAMPLES = 32


def path_work(G: nx.Graph, *, ig: IGraph | None = None) -> int:
    """The work of the all-sources shortest-path metrics on `G`: the sum over its connected
    components of their nodes times their ties (self-loops ignored).

    Examples
    --------
    >>> path_work(nx.disjoint_union(nx.path_graph(3), nx.path_graph(2)))
    8
    """
    ig = ig if ig is not None else convert(G, weight=None)
    g = ig.graph  # without self-loops: a component's ties are half its degrees
    nodes: dict[int, int] = {}
    ends: dict[int, int] = {}
    for c, d in zip(g.connected_components().membership, g.degree(), strict=True):
        nodes[c] = nodes.get(c, 0) + 1
        ends[c] = ends.get(c, 0) + d
    return sum(nodes[c] * (ends[c] // 2) for c in nodes)


def sample_size(G: nx.Graph, *, budget: int = WORK_BUDGET, samples: int = SAMPLES,
                ig: IGraph | None = None) -> int | None:  # fmt: skip
    """How many sources the shortest-path metrics sample on `G`: None when they are exact
    (work within `budget`, or the sample would hold every node), else at least `samples`.

    Examples
    --------
    >>> sample_size(nx.path_graph(10)) is None
    True
    >>> sample_size(nx.path_graph(10), budget=0, samples=4)
    4
    """
    n = G.number_of_nodes()
    work = path_work(G, ig=ig)
    if work <= budget:
        return None
    k = max(samples, math.ceil(budget * n / work))
    return None if k >= n else k


class Betweenness(TypedDict):
    """What :func:`betweenness` returns: the values and how they were computed."""

    values: dict[Hashable, float]
    exact: bool
    samples: int | None
    seed: int | None
    normalized: bool


def degree(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, int]:
    """Number of distinct other actors each node is tied to (self-loops ignored).

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    dict
        Node -> degree.

    Examples
    --------
    >>> degree(nx.path_graph(3))
    {0: 1, 1: 2, 2: 1}
    """
    if ig is not None:
        return dict(zip(ig.nodes, ig.graph.degree(), strict=True))
    return {node: sum(1 for other in G[node] if other != node) for node in G}


def weighted_degree(
    G: nx.Graph, weight: str = "weight", *, ig: IGraph | None = None
) -> dict[Hashable, float]:
    """Sum of the weights of each node's ties (strength); a tie without weight counts 1.

    Parameters
    ----------
    G : networkx.Graph
    weight : str, optional (default="weight")

    Returns
    -------
    dict
        Node -> strength.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"weight": 0.5}), ("b", "c", {"weight": 2.0})])
    >>> weighted_degree(G)
    {'a': 0.5, 'b': 2.5, 'c': 2.0}
    """
    if ig is not None and weight == "weight":
        return dict(zip(ig.nodes, ig.graph.strength(weights="weight"), strict=True))
    return {
        node: float(sum(d.get(weight, 1.0) for other, d in G[node].items() if other != node))
        for node in G
    }


def betweenness(
    G: nx.Graph,
    *,
    normalized: bool = True,
    budget: int = WORK_BUDGET,
    samples: int = SAMPLES,
    seed: int = 0,
    ig: IGraph | None = None,
) -> Betweenness:
    """Betweenness centrality over shortest paths counted in hops, exact or sampled.

    Exact when the work (``path_work``) is within `budget`; above, the shortest paths from
    ``sample_size`` source nodes drawn with `seed` (at least `samples`) are counted and
    inflated, as ``nx.betweenness_centrality(G, k=..., seed=seed)`` does (same sample, same
    values). Tie weights are strengths, not lengths, so they are not used.

    Parameters
    ----------
    G : networkx.Graph
    normalized : bool, optional (default=True)
        Divide by the number of pairs of other nodes, ``(n - 1)(n - 2) / 2``.
    budget : int, optional (default=WORK_BUDGET)
    samples : int, optional (default=SAMPLES)
        The fewest sources a sampled run uses.
    seed : int, optional (default=0)
    ig : graph.analysis.fast.IGraph, optional
        `G` already converted (shared by the metrics of one analysis).

    Returns
    -------
    Betweenness
        ``values`` (node -> betweenness), ``exact``, and ``samples`` and ``seed`` (None when
        exact), ``normalized``.

    Examples
    --------
    >>> result = betweenness(nx.star_graph(3), normalized=False)
    >>> result["values"][0], result["exact"]
    (3.0, True)
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    ig = ig if ig is not None else convert(G, weight=None)
    k = sample_size(G, budget=budget, samples=samples, ig=ig)
    if k is None:
        values = igraph_betweenness(G, normalized=normalized, ig=ig)
        return Betweenness(
            values=values, exact=True, samples=None, seed=None, normalized=normalized
        )
    # networkx draws its sample this way for an integer seed; the tests hold us to it.
    sources = random.Random(seed).sample(list(G), k)
    values = igraph_betweenness(G, normalized=normalized, sources=sources, ig=ig)
    return Betweenness(values=values, exact=False, samples=k, seed=seed, normalized=normalized)


def closeness(
    G: nx.Graph,
    *,
    budget: int = WORK_BUDGET,
    samples: int = SAMPLES,
    seed: int = 0,
    ig: IGraph | None = None,
) -> dict[Hashable, float]:
    """Closeness centrality over hops, as ``nx.closeness_centrality`` (Wasserman–Faust).

    In a disconnected graph a node's closeness within its component is scaled by the share of
    the other nodes it reaches; an isolated node has 0. Exact when the work (``path_work``)
    is within `budget`; above, each large component's distances are estimated from a sample
    of its nodes (Eppstein and Wang), sized as ``sample_size`` says.

    Parameters
    ----------
    G : networkx.Graph
    budget, samples, seed : as for :func:`betweenness`
    ig : graph.analysis.fast.IGraph, optional

    Returns
    -------
    dict
        Node -> closeness in [0, 1].

    Examples
    --------
    >>> closeness(nx.star_graph(2))
    {0: 1.0, 1: 0.6666666666666666, 2: 0.6666666666666666}
    """
    ig = ig if ig is not None else convert(G, weight=None)
    k = sample_size(G, budget=budget, samples=samples, ig=ig)
    if k is None:
        return igraph_closeness(G, ig=ig)
    return igraph_sampled_closeness(G, share=k / G.number_of_nodes(), seed=seed, ig=ig)


def eigenvector(G: nx.Graph, weight: str | None = "weight") -> dict[Hashable, float]:
    """Eigenvector centrality, computed within each connected component.

    On a connected graph it is ``nx.eigenvector_centrality`` (unit Euclidean norm). On a
    disconnected graph, where the whole-graph eigenvector would give every component but one
    zeros, each component's vector has norm ``sqrt(size / n)``; isolated nodes have 0.

    Parameters
    ----------
    G : networkx.Graph
    weight : str or None, optional (default="weight")

    Returns
    -------
    dict
        Node -> eigenvector centrality.

    Examples
    --------
    >>> values = eigenvector(nx.path_graph(3))
    >>> round(values[1], 4), round(values[0], 4)
    (0.7071, 0.5)
    """
    n = G.number_of_nodes()
    result = dict.fromkeys(G, 0.0)
    simple = without_self_loops(G)
    for component in nx.connected_components(simple):
        if len(component) < 2:
            continue
        values = nx.eigenvector_centrality(
            simple.subgraph(component), max_iter=10_000, tol=1e-9, weight=weight
        )
        scale = math.sqrt(len(component) / n)
        for node, value in values.items():
            result[node] = value * scale
    return result


def pagerank(
    G: nx.Graph,
    *,
    alpha: float = 0.85,
    weight: str | None = "weight",
    ig: IGraph | None = None,
) -> dict[Hashable, float]:
    """PageRank, as ``nx.pagerank`` (computed by igraph; networkx's needs scipy).

    Parameters
    ----------
    G : networkx.Graph
    alpha : float, optional (default=0.85)
    weight : str or None, optional (default="weight")

    Returns
    -------
    dict
        Node -> PageRank; the values sum to 1 (empty for an empty graph).

    Examples
    --------
    >>> ranks = pagerank(nx.star_graph(2))
    >>> ranks[0] > ranks[1]
    True
    """
    return igraph_pagerank(G, alpha=alpha, weight=weight, ig=ig)


def two_step_reach(
    G: nx.Graph, *, share: bool = True, ig: IGraph | None = None
) -> dict[Hashable, float]:
    """Other actors a node reaches in at most two steps (its ties and their ties).

    Parameters
    ----------
    G : networkx.Graph
    share : bool, optional (default=True)
        Divide by the number of other nodes, ``n - 1`` (0 when ``n < 2``).

    Returns
    -------
    dict
        Node -> count (``share=False``) or share of the other nodes.

    Examples
    --------
    >>> two_step_reach(nx.path_graph(4), share=False)
    {0: 2.0, 1: 3.0, 2: 3.0, 3: 2.0}
    """
    n = G.number_of_nodes()
    counts = igraph_two_step_reach(G, ig=ig)
    if not share:
        return {node: float(count) for node, count in counts.items()}
    return {node: count / (n - 1) if n > 1 else 0.0 for node, count in counts.items()}


def density(G: nx.Graph, *, ig: IGraph | None = None) -> float:
    """Share of the possible ties that exist, ``2m / (n (n - 1))``; 0.0 below two nodes.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    float

    Examples
    --------
    >>> density(nx.path_graph(3))
    0.6666666666666666
    """
    n = G.number_of_nodes()
    ties = ig.graph.ecount() if ig is not None else _ties(G)
    return 2.0 * ties / (n * (n - 1)) if n > 1 else 0.0


def degree_centralization(G: nx.Graph) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every node has the same degree.

    ``sum(max_degree - degree) / ((n - 1)(n - 2))``; 0.0 below three nodes.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    float

    Examples
    --------
    >>> degree_centralization(nx.star_graph(4)), degree_centralization(nx.cycle_graph(4))
    (1.0, 0.0)
    """
    n = G.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = degree(G).values()
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def betweenness_centralization(values: Mapping[Hashable, float]) -> float:
    """Freeman's betweenness centralisation from normalised betweenness values.

    ``sum(max - value) / (n - 1)``: 1 for a star, 0 when all values are equal; 0.0 below three
    nodes.

    Parameters
    ----------
    values : mapping
        Node -> normalised betweenness (``betweenness(G)["values"]``).

    Returns
    -------
    float

    Examples
    --------
    >>> betweenness_centralization(betweenness(nx.star_graph(4))["values"])
    1.0
    """
    n = len(values)
    if n < 3:
        return 0.0
    top = max(values.values())
    return sum(top - v for v in values.values()) / (n - 1)


def _ties(G: nx.Graph) -> int:
    return G.number_of_edges() - nx.number_of_selfloops(G)
