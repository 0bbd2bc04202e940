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
from typing import NamedTuple

import networkx as nx

from graph.analysis import centrality
from graph.analysis.fast import IGraph, convert

__all__ = ["key_people", "officer_portfolios"]


def key_people(
    G: nx.Graph,
    top: int = 10,
    *,
    max_sources: int = 50,
    betweenness: dict | None = None,
    ig: IGraph | None = None,
) -> list[dict]:
    """The ``top`` nodes whose removal disconnects part of the network or stretches it most.

    Parameters
    ----------
    G : a projection of the contract (either level)
    top : how many nodes to return (at least 1)
    max_sources : the most breadth-first searches used to estimate the path increase (fewer
        on large components: at most ``DISTANCE_BUDGET`` distances per ranked node)
    betweenness : ``centrality.betweenness(G)["values"]`` when already computed
    ig : `G` converted by ``graph.analysis.fast.convert`` when already done

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
    if G.number_of_nodes() == 0:
        return []
    ig = ig if ig is not None else convert(G, weight=None)
    g, nodes = ig.graph, ig.nodes
    components = g.connected_components()
    component_of = components.membership
    sizes = [len(c) for c in components]
    cut_off = _cut_offs(g, component_of, sizes)
    bridges: dict[int, list[list]] = {}
    for j in g.bridges():
        u, v = g.es[j].tuple
        pair = sorted((nodes[u], nodes[v]))
        bridges.setdefault(u, []).append(pair)
        bridges.setdefault(v, []).append(pair)
    if betweenness is None:
        betweenness = centrality.betweenness(G, ig=ig)["values"]
    between = [betweenness[node] for node in nodes]
    at_stake = [i for i in range(len(nodes)) if cut_off.get(i, 0) > 0 or between[i] > 0]
    at_stake.sort(
        key=lambda i: (-cut_off.get(i, 0), -between[i], -len(bridges.get(i, ())), nodes[i])
    )
    plans: dict[int, _Plan] = {}  # per component, shared by its ranked nodes
    rows = []
    for i in at_stake[:top]:
        c = component_of[i]
        if c not in plans:
            plans[c] = _plan(ig, components[c], max_sources)
        data = G.nodes[nodes[i]]
        rows.append(
            {
                "uid": nodes[i],
                "name": data.get("name", ""),
                "kind": data.get("kind", ""),
                "articulation": i in cut_off,
                "cut_off": cut_off.get(i, 0),
                "component_size": sizes[c],
                "bridges": sorted(bridges.get(i, [])),
                "betweenness": between[i],
                "path_increase": _path_increase(ig, i, plans[c]),
            }
        )
    return rows


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


# The most distances (sources x nodes of the component) a path increase is estimated from:
# 50 sources on the programme's networks, a handful at national scale.
DISTANCE_BUDGET = 1_000_000


def _cut_offs(g, component_of: list[int], sizes: list[int]) -> dict[int, int]:
    """For each articulation point (vertex index), how many other vertices of its component
    are no longer in the largest remaining piece once it is removed.

    One pass over the block-cut tree (blocks and cut points, a tree per component): the pieces
    left by removing a cut point are the subtrees around it, each holding the vertices of its
    blocks that are not cut points, plus its cut points.
    """
    blocks, points = g.biconnected_components(return_articulation_points=True)
    if not points:
        return {}
    is_point = set(points)
    # Tree vertices: cut point p is ("p", p), block b is ("b", b); a block weighs its
    # vertices that are not cut points, a cut point weighs 1.
    weight: dict[tuple, int] = {("p", p): 1 for p in points}
    around: dict[tuple, list[tuple]] = {("p", p): [] for p in points}
    for b, block in enumerate(blocks):
        key = ("b", b)
        weight[key] = sum(1 for v in block if v not in is_point)
        around[key] = [("p", v) for v in block if v in is_point]
        for p in around[key]:
            around[p].append(key)
    result: dict[int, int] = {}
    seen: set[tuple] = set()
    for root in around:
        if root in seen:
            continue
        # Iterative depth-first order, then subtree weights from the leaves up.
        order, parent = [], {root: None}
        stack = [root]
        seen.add(root)
        while stack:
            x = stack.pop()
            order.append(x)
            for y in around[x]:
                if y not in seen:
                    seen.add(y)
                    parent[y] = x
                    stack.append(y)
        below = {}
        for x in reversed(order):
            below[x] = weight[x] + sum(below[y] for y in around[x] if parent.get(y) == x)
        for x in order:
            if x[0] != "p":
                continue
            v = x[1]
            total = sizes[component_of[v]]
            pieces = [below[y] for y in around[x] if parent.get(y) == x]
            if parent[x] is not None:
                pieces.append(total - below[x])
            result[v] = total - 1 - max(pieces, default=0)
    return {v: n for v, n in result.items() if n > 0}


class _Plan(NamedTuple):
    """One component's path-increase sources, shared by its ranked nodes: its vertices by uid,
    each one's column, the sources (``limit`` are used per ranked node, never the node
    itself) and their distances to every vertex of the component in the whole graph."""

    ordered: list[int]
    column: dict[int, int]
    sources: list[int]
    limit: int
    before: list[list[int]]
    row_sums: list[int]


def _plan(ig: IGraph, component: list[int], max_sources: int) -> _Plan:
    nodes = ig.nodes
    # By uid, so that the sample does not depend on the graph's node order.
    ordered = sorted(component, key=lambda u: nodes[u])
    others = len(ordered) - 1
    limit = min(max_sources, max(2, DISTANCE_BUDGET // max(others, 1)))
    if others <= limit:
        sources = ordered  # every other node is a source: exact
    else:
        # One more than needed, in the sample's order: a ranked node that was drawn is
        # replaced by the next one, so each keeps ``limit`` sources.
        by_uid = {nodes[u]: u for u in ordered}
        drawn = random.Random(0).sample(sorted(by_uid), limit + 1)
        sources = [by_uid[uid] for uid in drawn]
    before = ig.graph.distances(source=sources, target=ordered) if others >= 2 else []
    return _Plan(ordered, {u: j for j, u in enumerate(ordered)}, sources, limit, before,
                 [sum(row) for row in before])  # fmt: skip


def _path_increase(ig: IGraph, v: int, plan: _Plan) -> float | None:
    """Mean increase of hops between the pairs (from the plan's sources) that stay connected
    once vertex ``v`` is gone: breadth-first searches in igraph on the graph without ``v``'s
    ties, against the distances of the whole graph the plan holds."""
    if len(plan.ordered) < 3:
        return None
    picked = [(r, u) for r, u in enumerate(plan.sources) if u != v][: plan.limit]
    rest = ig.graph.copy()
    rest.delete_edges(rest.incident(v))
    # Pairs still connected without v are those within one component of what remains: by
    # component, the distances are all finite and each row adds up in C.
    part = rest.connected_components().membership
    targets: dict[int, list[int]] = {}
    for u in plan.ordered:
        if u != v:
            targets.setdefault(part[u], []).append(u)
    starts: dict[int, list[tuple[int, int]]] = {}
    for r, u in picked:
        starts.setdefault(part[u], []).append((r, u))
    before = after = 0
    pairs = 0
    for c, group in starts.items():
        reached = targets[c]
        pairs += len(group) * (len(reached) - 1)  # each source meets itself, at distance 0
        after += sum(map(sum, rest.distances(source=[u for _, u in group], target=reached)))
        # The same pairs in the whole graph, from the plan's rows: the columns reached, or
        # the row's sum less the others when they are fewer.
        if 2 * len(reached) >= len(plan.ordered):
            away = [plan.column[u] for u in plan.ordered if part[u] != c]
            before += sum(plan.row_sums[r] - sum(plan.before[r][j] for j in away)
                          for r, _ in group)  # fmt: skip
        else:
            inside = [plan.column[u] for u in reached]
            before += sum(sum(plan.before[r][j] for j in inside) for r, _ in group)
    if pairs <= 0:
        return None
    return (after - before) / pairs
