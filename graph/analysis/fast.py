"""igraph- and leidenalg-backed kernels for the heavy metrics, equal to networkx's results."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import igraph
import leidenalg
import networkx as nx

__all__ = [
    "to_igraph",
    "igraph_betweenness",
    "igraph_closeness",
    "igraph_pagerank",
    "leiden_communities",
]


def to_igraph(G: nx.Graph, weight: str | None = "weight") -> tuple[igraph.Graph, list[Hashable]]:
    """Return an undirected igraph copy of `G` and its node list (vertex ``i`` is ``nodes[i]``).

    Self-loops are left out. With `weight`, the edge attribute of that name (1.0 where missing)
    becomes the igraph edge attribute ``"weight"``. `G` is not changed.

    Parameters
    ----------
    G : networkx.Graph
    weight : str or None, optional (default="weight")

    Returns
    -------
    (igraph.Graph, list)

    Examples
    --------
    >>> g, nodes = to_igraph(nx.path_graph(["a", "b", "c"]))
    >>> g.vcount(), g.ecount(), nodes
    (3, 2, ['a', 'b', 'c'])
    """
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(u, v, d) for u, v, d in G.edges(data=True) if u != v]
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in pairs])
    if weight is not None:
        g.es["weight"] = [float(d.get(weight, 1.0)) for _, _, d in pairs]
    return g, nodes


def igraph_betweenness(
    G: nx.Graph, *, normalized: bool = True, sources: Sequence[Hashable] | None = None
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
    g, nodes = to_igraph(G, weight=None)
    n = len(nodes)
    if n < 3 or g.ecount() == 0:
        return dict.fromkeys(nodes, 0.0)
    if sources is None:
        raw = g.betweenness(directed=False)
        # igraph counts unordered pairs; networkx normalises by (n-1)(n-2)/2 for undirected graphs.
        scale = 2.0 / ((n - 1) * (n - 2)) if normalized else 1.0
        return {node: value * scale for node, value in zip(nodes, raw, strict=True)}
    index = {node: i for i, node in enumerate(nodes)}
    picked = [index[s] for s in sources]
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


def igraph_closeness(G: nx.Graph) -> dict[Hashable, float]:
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
    g, nodes = to_igraph(G, weight=None)
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


def igraph_pagerank(
    G: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight"
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
    g, nodes = to_igraph(G, weight=weight)
    if not nodes:
        return {}
    values = g.personalized_pagerank(
        directed=False, damping=alpha, weights="weight" if weight is not None else None
    )
    return dict(zip(nodes, values, strict=True))


def leiden_communities(
    G: nx.Graph, *, seed: int = 0, weight: str | None = "weight", resolution: float = 1.0
) -> tuple[dict[Hashable, int], float]:
    """Communities maximising modularity by the Leiden algorithm (leidenalg), seeded.

    Parameters
    ----------
    G : networkx.Graph
    seed : int, optional (default=0)
    weight : str or None, optional (default="weight")
    resolution : float, optional (default=1.0)
        1.0 is plain modularity; larger values give smaller communities.

    Returns
    -------
    (dict, float)
        Node -> community number (0 is the largest community), and the partition's
        modularity (``nx.community.modularity`` of it); 0.0 for a graph without ties.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> membership, q = leiden_communities(G)
    >>> sorted(set(membership.values())), round(q, 2)
    ([0, 1], 0.5)
    """
    g, nodes = to_igraph(G, weight=weight)
    if g.ecount() == 0:
        return {node: i for i, node in enumerate(nodes)}, 0.0
    weights = "weight" if weight is not None else None
    partition = leidenalg.find_partition(
        g,
        leidenalg.RBConfigurationVertexPartition,
        weights=weights,
        resolution_parameter=resolution,
        seed=seed,
    )
    membership = list(partition.membership)  # leidenalg numbers communities largest first
    modularity = g.modularity(membership, weights=weights, resolution=resolution)
    return dict(zip(nodes, membership, strict=True)), float(modularity)
