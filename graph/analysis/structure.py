"""Communities, cores, cut points and Burt's structural holes of a network."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypedDict

import networkx as nx

from graph.analysis._graphs import without_self_loops
from graph.analysis.fast import (
    IGraph,
    igraph_articulation_points,
    igraph_bridges,
    igraph_constraint,
    igraph_core_numbers,
    igraph_effective_size,
    leiden_communities,
)

__all__ = [
    "Communities",
    "communities",
    "core_numbers",
    "core_periphery",
    "articulation_points",
    "bridges",
    "constraint",
    "effective_size",
]


class Communities(TypedDict):
    """What :func:`communities` returns."""

    membership: dict[Hashable, int]
    modularity: float
    seed: int


def communities(
    G: nx.Graph,
    *,
    seed: int = 0,
    weight: str | None = "weight",
    resolution: float = 1.0,
    ig: IGraph | None = None,
) -> Communities:
    """Communities by the Leiden algorithm maximising (weighted) modularity, seeded.

    The same graph and seed always give the same partition. Its modularity is within a hair
    of networkx's Louvain (``nx.community.louvain_communities``), usually equal or higher.
    A node without ties is a community of its own; a graph without ties has modularity 0.

    Parameters
    ----------
    G : networkx.Graph
    seed : int, optional (default=0)
    weight : str or None, optional (default="weight")
    resolution : float, optional (default=1.0)

    Returns
    -------
    Communities
        ``membership`` (node -> community number, 0 the largest), ``modularity``, ``seed``.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    >>> result = communities(G)
    >>> result["membership"][0] == result["membership"][2] != result["membership"][3]
    True
    """
    membership, modularity = leiden_communities(
        G, seed=seed, weight=weight, resolution=resolution, ig=ig
    )
    return Communities(membership=membership, modularity=modularity, seed=seed)


def core_numbers(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, int]:
    """The k-core number of each node (self-loops ignored), as ``nx.core_number``.

    A node's core number is the largest k such that it belongs to a subgraph where every node
    has at least k ties.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    dict
        Node -> core number (0 for an isolated node).

    Examples
    --------
    >>> G = nx.complete_graph(4)
    >>> G.add_edge(3, 4)
    >>> core_numbers(G)
    {0: 3, 1: 3, 2: 3, 3: 3, 4: 1}
    """
    return igraph_core_numbers(G, ig=ig)


def core_periphery(G: nx.Graph, *, ig: IGraph | None = None) -> dict[Hashable, bool]:
    """Core (True) or periphery (False): the core is the main k-core, k the largest core number.

    A graph without ties has no core: every node is periphery.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    dict
        Node -> whether it is in the core.

    Examples
    --------
    >>> G = nx.complete_graph(3)
    >>> G.add_edge(2, 3)
    >>> core_periphery(G)
    {0: True, 1: True, 2: True, 3: False}
    """
    numbers = core_numbers(G, ig=ig)
    top = max(numbers.values(), default=0)
    return {node: top > 0 and k == top for node, k in numbers.items()}


def articulation_points(G: nx.Graph, *, ig: IGraph | None = None) -> list[Hashable]:
    """Nodes whose removal disconnects their component (cut points), in the graph's order.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    list

    Examples
    --------
    >>> articulation_points(nx.path_graph(4))
    [1, 2]
    """
    cut = igraph_articulation_points(G, ig=ig)
    return [node for node in G if node in cut]


def bridges(G: nx.Graph, *, ig: IGraph | None = None) -> list[tuple[Hashable, Hashable]]:
    """Ties whose removal disconnects their component, each ``(u, v)`` as ``G.edges`` gives it.

    Parameters
    ----------
    G : networkx.Graph

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> G = nx.complete_graph(3)
    >>> G.add_edge(2, 3)
    >>> bridges(G)
    [(2, 3)]
    """
    return igraph_bridges(G, ig=ig)


def constraint(
    G: nx.Graph, weight: str | None = "weight", *, ig: IGraph | None = None
) -> dict[Hashable, float | None]:
    """Burt's constraint, as ``nx.constraint``; None for a node without ties (undefined).

    Low constraint: the node's contacts are not tied to each other, so it spans structural
    holes. With `weight`, a tie's share of a node's investment is proportional to its weight.

    Parameters
    ----------
    G : networkx.Graph
    weight : str or None, optional (default="weight")

    Returns
    -------
    dict
        Node -> constraint, or None for an isolated node.

    Examples
    --------
    >>> constraint(nx.star_graph(2), weight=None)
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    return igraph_constraint(G, weight=weight, ig=ig)


def effective_size(
    G: nx.Graph, weight: str | None = "weight", *, ig: IGraph | None = None
) -> dict[Hashable, float | None]:
    """Burt's effective size, as ``nx.effective_size``; None for a node without ties.

    The number of a node's contacts minus their redundancy (how tied they are to each other).

    Parameters
    ----------
    G : networkx.Graph
    weight : str or None, optional (default="weight")

    Returns
    -------
    dict
        Node -> effective size, or None for an isolated node.

    Examples
    --------
    >>> effective_size(nx.star_graph(2), weight=None)
    {0: 2.0, 1: 1.0, 2: 1.0}
    """
    if weight is None:
        # Borgatti's formula, which networkx applies to unweighted undirected graphs, from
        # igraph's clustering coefficients: networkx builds an ego graph (a copy of the whole
        # graph) per node, hours for thousands of nodes.
        return igraph_effective_size(G, ig=ig)
    simple = without_self_loops(G)
    values = nx.effective_size(simple, nodes=[v for v in simple if simple.degree(v)], weight=weight)
    return {node: values.get(node) for node in G}
