"""igraph-backed kernels for the heavy metrics, each equal to networkx's result.

An analysis converts its networkx graph once (:func:`convert`) and hands the same
:class:`IGraph` to every kernel (``ig=``); without it a kernel converts the graph itself.
The conversion is what costs most next to igraph's own work at the programme's sizes, so
sharing it keeps each metric close to igraph alone.
"""

from __future__ import annotations

import math
import operator
import random
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import igraph
import networkx as nx

__all__ = [
    "IGraph",
    "convert",
    "to_igraph",
    "igraph_betweenness",
    "igraph_closeness",
    "igraph_sampled_closeness",
    "igraph_pagerank",
    "igraph_two_step_reach",
    "igraph_core_numbers",
    "igraph_articulation_points",
    "igraph_bridges",
    "igraph_constraint",
    "igraph_effective_size",
    "leiden_communities",
]


@dataclass(frozen=True, eq=False)
class IGraph:
    """An undirected igraph copy of a networkx graph, without its self-loops.

    Vertex ``i`` is ``nodes[i]``; edge ``j`` is ``edges[j]``, the ``j``-th tie of
    ``G.edges()`` that is not a self-loop, with its weight in the edge attribute ``"weight"``
    (1.0 where the tie has none).
    """

    graph: igraph.Graph
    nodes: list[Hashable]
    index: dict[Hashable, int]
    edges: list[tuple[Hashable, Hashable]]


def convert(G: nx.Graph, weight: str | None = "weight") -> IGraph:
    """Return the :class:`IGraph` of `G` (`G` is not changed).

    Parameters
    ----------
    G : networkx.Graph
    weight : str or None, optional (default="weight")
        The edge attribute read as the weight; None gives every tie 1.0.

    Returns
    -------
    IGraph

    Examples
    --------
    >>> ig = convert(nx.Graph([("a", "b", {"weight": 2.0}), ("b", "b")]))
    >>> ig.graph.vcount(), ig.edges, ig.graph.es["weight"]
    (2, [('a', 'b')], [2.0])
    """
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges, pairs, weights = [], [], []
    # G.edges() order, read from the adjacency dictionaries (networkx's documented storage,
    # faster than its views at 100k ties): a tie comes when its first end in node order is
    # reached, so it is kept where the other end comes later (self-loops never do).
    for u, around in G._adj.items():
        i = index[u]
        for v, data in around.items():
            j = index[v]
            if j > i:
                edges.append((u, v))
                pairs.append((i, j))
                weights.append(1.0 if weight is None else float(data.get(weight, 1.0)))
    g = igraph.Graph(n=len(nodes), edges=pairs)
    g.es["weight"] = weights
    return IGraph(g, nodes, index, edges)


def to_igraph(G: nx.Graph, weight: str | None = "weight") -> tuple[igraph.Graph, list[Hashable]]:
    """Return an undirected igraph copy of `G` and its node list (vertex ``i`` is ``nodes[i]``).

    Self-loops are left out; the weight is the edge attribute ``"weight"`` (see
    :func:`convert`). `G` is not changed.

    Examples
    --------
    >>> g, nodes = to_igraph(nx.path_graph(["a", "b", "c"]))
    >>> g.vcount(), g.ecount(), nodes
    (3, 2, ['a', 'b', 'c'])
    """
    ig = convert(G, weight)
    return ig.graph, ig.nodes


def _ig(G: nx.Graph, ig: IGraph | None, weight: str | None = "weight") -> IGraph:
    """`ig` when given and its weights are the ones asked for, else `G` converted."""
    if ig is not None and weight in (None, "weight"):
        return ig
    return convert(G, weight)


def igraph_betweenness(
    G: nx.Graph,
    *,
    normalized: bool = True,
    sources: Sequence[Hashable] | None = None,
    ig: IGraph | None = None,
) -> dict[Hashable, float]:
    """Betweenness over shortest paths counted in hops, as ``nx.betweenness_centrality``.

    Without `sources` the result equals ``nx.betweenness_centrality(G, normalized=normalized)``.
    With `sources` (the sampled nodes) only shortest paths starting at them are counted and the
    sums are inflated the way networkx does for ``k`` sampled sources (endpoints excluded), so
    the result equals ``nx.betweenness_centrality(G, k=len(sources), seed=...)`` when networkx
    samples the same nodes.

    Parameters
    ----------
    G : networkx.Graph
    normalized : bool, optional (default=True)
        Divide by the number of pairs of other nodes, ``(n - 1)(n - 2) / 2``.
    sources : sequence of nodes, optional

    Returns
    -------
    dict
        Node -> betweenness.

    Examples
    --------
    >>> igraph_betweenness(nx.path_graph(3), normalized=False)
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    ig = _ig(G, ig, None)
    g, nodes = ig.graph, ig.nodes
    n = len(nodes)
    if n < 3 or g.ecount() == 0:
        return dict.fromkeys(nodes, 0.0)
    if sources is None:
        raw = g.betweenness(directed=False)
        # igraph counts unordered pairs; networkx normalises by (n-1)(n-2)/2 for undirected graphs.
        scale = 2.0 / ((n - 1) * (n - 2)) if normalized else 1.0
        return {node: value * scale for node, value in zip(nodes, raw, strict=True)}
    picked = [ig.index[s] for s in sources]
    k = len(picked)
    # igraph's subset betweenness on an undirected graph is half networkx's per-source sums.
    raw = [2.0 * value for value in g.betweenness(directed=False, sources=picked)]
    # networkx's rescaling for k sampled sources without endpoints: a source cannot lie on a
    # path it starts, so its sum is over k - 1 sources.
    pairs_per_source = n - 2  # targets other than the source and v
    if normalized:
        on_source = 1.0 / ((k - 1) * pairs_per_source) if k > 1 else 0.0
        off_source = 1.0 / (k * pairs_per_source)
    else:
        on_source = (n - 1) / ((k - 1) * 2.0) if k > 1 else 0.0
        off_source = (n - 1) / (k * 2.0)
    chosen = set(picked)
    return {
        node: value * (on_source if i in chosen else off_source)
        for i, (node, value) in enumerate(zip(nodes, raw, strict=True))
    }


def igraph_closeness(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, float]:
    """Closeness over hops, as ``nx.closeness_centrality`` (Wasserman–Faust for components).

    A node's closeness is ``(r - 1) / sum of distances to the r - 1 nodes it reaches``,
    multiplied by ``(r - 1) / (n - 1)`` so that nodes in small components are not rated as
    central; an isolated node has 0.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    dict
        Node -> closeness in [0, 1].

    Examples
    --------
    >>> igraph_closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    ig = _ig(G, ig, None)
    g, nodes = ig.graph, ig.nodes
    n = len(nodes)
    if n < 2:
        return dict.fromkeys(nodes, 0.0)
    size = {}
    for component in g.connected_components():
        for i in component:
            size[i] = len(component)
    values = g.closeness(normalized=True)
    result = {}
    for i, (node, value) in enumerate(zip(nodes, values, strict=True)):
        reached = size[i] - 1
        result[node] = 0.0 if reached == 0 else value * reached / (n - 1)
    return result


def igraph_sampled_closeness(
    G: nx.Graph, *, share: float, seed: int = 0, ig: IGraph | None = None
) -> dict[Hashable, float]:
    """Closeness as :func:`igraph_closeness`, with each component's distances estimated from
    a sample of its nodes (Eppstein and Wang): a node's mean distance to the others is its
    mean distance to the sampled sources (itself left out).

    Components of at most ``SMALL_COMPONENT`` nodes, or where the sample would hold every
    node, are exact.

    Parameters
    ----------
    G : networkx.Graph
    share : float
        The share of each component's nodes used as sources (at least 2 of them).
    seed : int, optional (default=0)
    ig : IGraph, optional

    Returns
    -------
    dict
        Node -> estimated closeness in [0, 1].

    Examples
    --------
    >>> igraph_sampled_closeness(nx.path_graph(3), share=1.0)
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    ig = _ig(G, ig, None)
    g, nodes = ig.graph, ig.nodes
    n = len(nodes)
    result = [0.0] * n
    rng = random.Random(seed)
    for component in g.connected_components():
        size = len(component)
        if size < 2:
            continue
        scale = (size - 1) / (n - 1)
        k = max(2, math.ceil(share * size))
        if size <= SMALL_COMPONENT or k >= size:
            values = g.induced_subgraph(component).closeness(normalized=True)
            for v, value in zip(component, values, strict=True):
                result[v] = value * scale
            continue
        sources = rng.sample(component, k)
        sums = [0] * size
        for source in sources:
            [row] = g.distances(source=[source], target=component)
            sums = list(map(operator.add, sums, row))
        picked = set(sources)
        for v, total in zip(component, sums, strict=True):
            mean = total / (k - 1 if v in picked else k)
            result[v] = scale / mean if mean > 0 else 0.0
    return dict(zip(nodes, result, strict=True))


# Components up to this size get exact closeness in a sampled run (cheap, and the sample of
# a small component would be too small to estimate from).
SMALL_COMPONENT = 200


def igraph_pagerank(
    G: nx.Graph,
    *,
    alpha: float = 0.85,
    weight: str | None = "weight",
    ig: IGraph | None = None,
) -> dict[Hashable, float]:
    """PageRank by igraph's PRPACK solver, equal to ``nx.pagerank`` (which needs scipy).

    An isolated node spreads its rank evenly over every node, as in networkx.

    Parameters
    ----------
    G : networkx.Graph
    alpha : float, optional (default=0.85)
        Damping factor.
    weight : str or None, optional (default="weight")

    Returns
    -------
    dict
        Node -> PageRank; the values sum to 1.

    Examples
    --------
    >>> ranks = igraph_pagerank(nx.path_graph(3))
    >>> ranks[1] > ranks[0] == ranks[2]
    True
    """
    ig = _ig(G, ig, weight)
    g, nodes = ig.graph, ig.nodes
    if not nodes:
        return {}
    values = g.personalized_pagerank(
        directed=False, damping=alpha, weights="weight" if weight is not None else None
    )
    return dict(zip(nodes, values, strict=True))


def igraph_two_step_reach(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, int]:
    """Number of other nodes each node reaches in at most two ties (self-loops ignored).

    Examples
    --------
    >>> igraph_two_step_reach(nx.path_graph(4))
    {0: 2, 1: 3, 2: 3, 3: 2}
    """
    ig = _ig(G, ig, None)
    sizes = ig.graph.neighborhood_size(order=2)
    return {node: size - 1 for node, size in zip(ig.nodes, sizes, strict=True)}


def igraph_core_numbers(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, int]:
    """The k-core number of each node, as ``nx.core_number`` (self-loops ignored).

    Examples
    --------
    >>> igraph_core_numbers(nx.path_graph(3))
    {0: 1, 1: 1, 2: 1}
    """
    ig = _ig(G, ig, None)
    return dict(zip(ig.nodes, ig.graph.coreness(), strict=True))


def igraph_articulation_points(G: nx.Graph, *, ig: IGraph | None = None) -> set[Hashable]:
    """The cut points of `G`, as ``set(nx.articulation_points(G))``.

    Examples
    --------
    >>> sorted(igraph_articulation_points(nx.path_graph(4)))
    [1, 2]
    """
    ig = _ig(G, ig, None)
    return {ig.nodes[i] for i in ig.graph.articulation_points()}


def igraph_bridges(G: nx.Graph, *, ig: IGraph | None = None) -> list[tuple[Hashable, Hashable]]:
    """The bridges of `G`, each ``(u, v)`` as ``G.edges()`` gives it, in that order.

    Examples
    --------
    >>> G = nx.complete_graph(3)
    >>> G.add_edge(2, 3)
    >>> igraph_bridges(G)
    [(2, 3)]
    """
    ig = _ig(G, ig, None)
    return [ig.edges[j] for j in sorted(ig.graph.bridges())]


def igraph_constraint(
    G: nx.Graph, *, weight: str | None = "weight", ig: IGraph | None = None
) -> dict[Hashable, float | None]:
    """Burt's constraint, as ``nx.constraint`` on the graph without self-loops; None for a
    node without ties.

    Examples
    --------
    >>> igraph_constraint(nx.star_graph(2), weight=None)
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    ig = _ig(G, ig, weight)
    values = ig.graph.constraint(weights="weight" if weight is not None else None)
    degrees = ig.graph.degree()
    return {
        node: (value if d else None)
        for node, value, d in zip(ig.nodes, values, degrees, strict=True)
    }


def igraph_effective_size(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, float | None]:
    """Burt's effective size of the unweighted graph (Borgatti's ``n - 2t/n``: ``n``
    contacts, ``t`` ties among them), as ``nx.effective_size(G, weight=None)``; None for a
    node without ties. ``t`` comes from igraph's local clustering coefficient.

    Examples
    --------
    >>> igraph_effective_size(nx.star_graph(2))
    {0: 2.0, 1: 1.0, 2: 1.0}
    """
    ig = _ig(G, ig, None)
    clustering = ig.graph.transitivity_local_undirected(mode="zero")
    result: dict[Hashable, float | None] = {}
    for node, n, c in zip(ig.nodes, ig.graph.degree(), clustering, strict=True):
        if n == 0:
            result[node] = None
            continue
        ties = round(c * n * (n - 1) / 2)  # an integer: the coefficient is t / (n(n-1)/2)
        result[node] = n - 2 * ties / n
    return result


# igraph draws its random numbers from one process-wide generator: seeded runs take turns.
_RNG_LOCK = threading.Lock()


def leiden_communities(
    G: nx.Graph,
    *,
    seed: int = 0,
    weight: str | None = "weight",
    resolution: float = 1.0,
    ig: IGraph | None = None,
) -> tuple[dict[Hashable, int], float]:
    """Communities maximising modularity by the Leiden algorithm (igraph's), seeded.

    Leiden's passes are repeated until the partition no longer changes.

    Parameters
    ----------
    G : networkx.Graph
    seed : int, optional (default=0)
    weight : str or None, optional (default="weight")
    resolution : float, optional (default=1.0)
        1.0 is plain modularity; larger values give smaller communities.
    ig : IGraph, optional
        `G` already converted.

    Returns
    -------
    (dict, float)
        Node -> community number (0 is the largest community; equal sizes in the order of
        their first node in `G`), and the partition's modularity (``nx.community.modularity``
        of it); 0.0 for a graph without ties.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> membership, q = leiden_communities(G)
    >>> sorted(set(membership.values())), round(q, 2)
    ([0, 1], 0.5)
    """
    ig = _ig(G, ig, weight)
    g, nodes = ig.graph, ig.nodes
    if g.ecount() == 0:
        return {node: i for i, node in enumerate(nodes)}, 0.0
    weights = "weight" if weight is not None else None
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = g.community_leiden(
                objective_function="modularity",
                weights=weights,
                resolution=resolution,
                n_iterations=-1,
            )
        finally:
            igraph.set_random_number_generator(random)
    raw = found.membership
    size: dict[int, int] = {}
    first: dict[int, int] = {}
    for i, c in enumerate(raw):
        size[c] = size.get(c, 0) + 1
        first.setdefault(c, i)
    order = sorted(size, key=lambda c: (-size[c], first[c]))
    number = {c: k for k, c in enumerate(order)}
    membership = [number[c] for c in raw]
    modularity = g.modularity(membership, weights=weights, resolution=resolution)
    return dict(zip(nodes, membership, strict=True)), float(modularity)
