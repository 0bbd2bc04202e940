"""Key-person risk: actors whose loss cuts or stretches the network, and one-officer ties.

Definitions (hops: edge weights are tie strengths, not distances, so paths count ties)
    Cut off
        For a node ``v`` in a component ``C``: the nodes of ``C`` other than ``v`` that are
        no longer in the largest remaining piece of ``C`` once ``v`` is removed. Zero unless
        ``v`` is an articulation point.
    Bridges
        The bridges (ties whose removal disconnects their component) that ``v`` is on.
    Betweenness
        ``graph.analysis.centrality.betweenness`` (equal to networkx's, normalised and
        unweighted; computed by igraph, sampled above its exact limit).
    Path increase
        Over the pairs of other nodes of ``C`` that still reach each other without ``v``: their
        mean distance without ``v`` minus their mean distance with it. ``None`` when no pair
        remains connected. Computed for the ranked nodes only, from at most ``max_sources``
        breadth-first searches (a fixed sample of sources, same for both graphs) to bound cost.
    Ranking
        Nodes with something at stake (cut off > 0 or betweenness > 0), by cut off, then
        betweenness, then number of bridges, then uid.
Self-loops are ignored; the input is never modified.
"""

from __future__ import annotations

import random

import networkx as nx

from graph.analysis import centrality
from graph.analysis.fast import to_igraph

__all__ = ["key_people", "officer_portfolios"]


def key_people(G: nx.Graph, top: int = 10, *, max_sources: int = 50) -> list[dict]:
    """The ``top`` nodes whose removal disconnects part of the network or stretches it most.

    Parameters
    ----------
    G : a projection of the contract (either level)
    top : how many nodes to return (at least 1)
    max_sources : the most breadth-first searches used to estimate the path increase

    Returns
    -------
    Ranked dicts: ``uid``, ``name``, ``kind``, ``articulation`` (bool), ``cut_off`` (int),
    ``component_size`` (int), ``bridges`` (sorted ``[u, v]`` pairs), ``betweenness`` (float),
    ``path_increase`` (float or None). ``[]`` for an empty graph or one without risk.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> [(r["uid"], r["cut_off"], r["path_increase"]) for r in key_people(G)]
    [('b', 1, None)]
    """
    if top < 1:
        raise ValueError("Le nombre d'acteurs demandés doit être au moins 1.")
    H = _simple(G)
    if H.number_of_nodes() == 0:
        return []
    component_of = {n: frozenset(c) for c in nx.connected_components(H) for n in c}
    articulation = set(nx.articulation_points(H))
    bridges: dict[str, list[list[str]]] = {}
    for u, v in nx.bridges(H):
        pair = sorted((u, v))
        bridges.setdefault(u, []).append(pair)
        bridges.setdefault(v, []).append(pair)
    betweenness = centrality.betweenness(H)["values"]  # igraph; sampled on large graphs
    cut_off = {n: _cut_off(H, n, component_of[n]) for n in articulation}
    at_stake = [n for n in H if cut_off.get(n, 0) > 0 or betweenness[n] > 0]
    at_stake.sort(key=lambda n: (-cut_off.get(n, 0), -betweenness[n], -len(bridges.get(n, ())), n))
    return [
        {
            "uid": n,
            "name": H.nodes[n].get("name", ""),
            "kind": H.nodes[n].get("kind", ""),
            "articulation": n in articulation,
            "cut_off": cut_off.get(n, 0),
            "component_size": len(component_of[n]),
            "bridges": sorted(bridges.get(n, [])),
            "betweenness": betweenness[n],
            "path_increase": _path_increase(H, n, component_of[n], max_sources),
        }
        for n in at_stake[:top]
    ]


def officer_portfolios(G: nx.Graph) -> list[dict]:
    """Per officer, the actors only they maintain, and the ties among those actors.

    An actor is in an officer's portfolio when its ``officers`` list is exactly that officer
    (they logged every interaction held with it in the window).

    Returns
    -------
    One dict per officer with such actors, sorted by officer uid: ``officer``, ``actors``
    (sorted uids), ``ties`` (``{"from", "to", "kinds", "last"}`` between two of those actors,
    sorted). Actors with no officer or several officers are in no portfolio.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", officers=["u1"]); G.add_node("b", officers=["u1", "u2"])
    >>> officer_portfolios(G)
    [{'officer': 'u1', 'actors': ['a'], 'ties': []}]
    """
    actors: dict[str, list[str]] = {}
    for n, data in G.nodes(data=True):
        officers = list(data.get("officers") or [])
        if len(officers) == 1:
            actors.setdefault(officers[0], []).append(n)
    portfolios = []
    for officer in sorted(actors):
        mine = sorted(actors[officer])
        inside = set(mine)
        ties = {}
        for a, b, data in G.edges(mine, data=True):
            if a != b and a in inside and b in inside:
                u, v = sorted((a, b))
                ties[u, v] = {
                    "from": u,
                    "to": v,
                    "kinds": list(data.get("kinds") or []),
                    "last": data.get("last"),
                }
        portfolios.append(
            {"officer": officer, "actors": mine, "ties": [ties[k] for k in sorted(ties)]}
        )
    return portfolios


def _simple(G: nx.Graph) -> nx.Graph:
    """An undirected copy without self-loops (the input stays untouched)."""
    H = nx.Graph(G.to_undirected() if G.is_directed() else G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return H


def _cut_off(H: nx.Graph, node: str, component: frozenset) -> int:
    rest = H.subgraph(component - {node})
    largest = max((len(c) for c in nx.connected_components(rest)), default=0)
    return len(component) - 1 - largest


def _path_increase(H: nx.Graph, node: str, component: frozenset, max_sources: int) -> float | None:
    """Mean increase of hops between the pairs (from sampled sources) that stay connected
    once ``node`` is gone. Breadth-first searches in igraph (C): same sources, same pairs,
    same result as networkx's, far faster on thousands of nodes."""
    others = sorted(component - {node})
    if len(others) < 2:
        return None
    sources = others
    if len(others) > max_sources:
        sources = random.Random(0).sample(others, max_sources)
    whole, order = to_igraph(H.subgraph(component), weight=None)
    index = {n: i for i, n in enumerate(order)}
    rest = whole.copy()
    rest.delete_vertices([index[node]])
    rest_index = {n: i for i, n in enumerate(n for n in order if n != node)}
    before_rows = whole.distances(source=[index[s] for s in sources])
    after_rows = rest.distances(source=[rest_index[s] for s in sources])
    before = after = pairs = 0
    for source, full, reach in zip(sources, before_rows, after_rows, strict=True):
        for target in others:
            if target == source:
                continue
            hops = reach[rest_index[target]]
            if hops == float("inf"):
                continue
            after += hops
            before += full[index[target]]
            pairs += 1
    if not pairs:
        return None
    return (after - before) / pairs
