"""Where to draw a network's nodes, and the network aggregated into larger units."""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Hashable, Mapping

import igraph
import networkx as nx

__all__ = ["AGGREGATE_ABOVE", "SPACING", "aggregate", "positions"]

# Above this many nodes, a map offers the aggregated view first (communes as nodes): the
# browser draws 2,000 pre-positioned nodes in well under the 3 s target, and a map much
# denser than that is a hairball nobody can read (benchmarks/network_map.py).
AGGREGATE_ABOVE = 2000

# Typical distance between two neighbouring nodes, in pixels at zoom 1.
SPACING = 60.0

# igraph draws its random numbers from one process-wide generator: seeding it for a layout
# must not interleave with another thread's layout.
_RNG_LOCK = threading.Lock()


def positions(
    G: nx.Graph, *, seed: int = 0, spacing: float = SPACING
) -> dict[Hashable, tuple[float, float]]:
    """Pixel coordinates for every node of `G`, the same for the same graph and seed.

    Each connected component is laid out by Fruchterman-Reingold (igraph's, which switches
    to its grid approximation above 1,000 nodes: about a second for 10,000 nodes), scaled so
    that neighbours sit about `spacing` pixels apart, and the components are packed in rows,
    largest first; isolated nodes come last, on a grid. The result depends on the nodes and
    ties only, not on the order they were added in (nodes are sorted by ``str``), so a map
    keeps its shape between two reloads of the same data.

    Parameters
    ----------
    G : networkx.Graph
        Not changed. Edge weights are ignored: the drawing shows structure.
    seed : int, optional (default=0)
    spacing : float, optional (default=SPACING)

    Returns
    -------
    dict
        Node -> ``(x, y)``, rounded to a tenth of a pixel, centred on ``(0, 0)``; ``y`` grows
        downwards, as on a screen.

    Examples
    --------
    >>> xy = positions(nx.path_graph(3), seed=1)
    >>> sorted(xy) == [0, 1, 2] and xy == positions(nx.path_graph([2, 1, 0]), seed=1)
    True
    >>> positions(nx.empty_graph(1))
    {0: (0.0, 0.0)}
    """
    if G.number_of_nodes() == 0:
        return {}
    order = sorted(G, key=_sort_key)
    rank = {node: i for i, node in enumerate(order)}
    components = sorted(
        (sorted(c, key=rank.__getitem__) for c in nx.connected_components(G)),
        key=lambda c: (-len(c), rank[c[0]]),
    )
    shapes = [_component_shape(G, nodes, rank, seed, spacing) for nodes in components]
    placed = _pack(shapes, spacing)
    xs = [x for x, _ in placed.values()]
    ys = [y for _, y in placed.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {node: (round(x - cx, 1), round(y - cy, 1)) for node, (x, y) in placed.items()}


def aggregate(
    G: nx.Graph, key: str = "commune", *, labels: Mapping[str, str] | None = None
) -> nx.Graph:
    """`G` with its nodes grouped by the value of a node attribute, ties summed.

    Nodes sharing a non-empty value of `key` (a commune's code, a province's...) become one
    node named by that value; a node without a value stays as it is (a national institution
    placed nowhere remains itself). Between two groups, one edge sums the ties of their
    members: ``weight`` (sum), ``ties`` (how many ties of `G`), ``kinds`` (union, sorted) and
    ``last`` (latest date). Ties inside a group are counted on its node.

    Parameters
    ----------
    G : networkx.Graph
        Not changed.
    key : str, optional (default="commune")
    labels : mapping, optional
        Value of `key` -> name of the group (``name`` attribute; the value itself otherwise).

    Returns
    -------
    networkx.Graph
        A group's node has ``kind`` = `key`, ``code``, ``name``, ``named`` (True),
        ``members`` (how many nodes of `G`), ``internal_ties`` and ``internal_weight``, and
        the ``commune``/``province``/``region`` its members share (or ""). A node kept as it
        is keeps its attributes, plus ``members`` 1 and no internal tie. ``G.graph`` is
        copied, with ``aggregated_by`` = `key`.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"commune": "X"}), ("b", {"commune": "X"}),
    ...                   ("c", {"commune": "Y"})])
    >>> G.add_edge("a", "c", weight=1.0)
    >>> G.add_edge("b", "c", weight=0.5)
    >>> A = aggregate(G)
    >>> A["X"]["Y"]["weight"], A["X"]["Y"]["ties"], A.nodes["X"]["members"]
    (1.5, 2, 2)
    """
    labels = labels or {}
    group_of: dict[Hashable, Hashable] = {}
    A = nx.Graph()
    A.graph.update(G.graph, aggregated_by=key)
    for node, data in G.nodes(data=True):
        value = data.get(key) or ""
        if not value:
            group_of[node] = node
            A.add_node(node, **data, members=1, internal_ties=0, internal_weight=0.0)
            continue
        group_of[node] = value
        if value not in A:
            A.add_node(
                value,
                kind=key,
                code=value,
                name=labels.get(value, str(value)),
                named=True,
                members=0,
                internal_ties=0,
                internal_weight=0.0,
                **{place: data.get(place) or "" for place in _PLACES},
            )
        group = A.nodes[value]
        group["members"] += 1
        for place in _PLACES:
            if group[place] != (data.get(place) or ""):
                group[place] = ""
    for u, v, data in G.edges(data=True):
        a, b = group_of[u], group_of[v]
        weight = float(data.get("weight", 1.0))
        if a == b:
            A.nodes[a]["internal_ties"] += 1
            A.nodes[a]["internal_weight"] += weight
            continue
        if not A.has_edge(a, b):
            A.add_edge(a, b, weight=0.0, ties=0, kinds=set(), last=None)
        tie = A[a][b]
        tie["weight"] += weight
        tie["ties"] += 1
        tie["kinds"].update(data.get("kinds") or ())
        last = data.get("last")
        if last and (tie["last"] is None or last > tie["last"]):
            tie["last"] = last
    for _, _, data in A.edges(data=True):
        data["kinds"] = sorted(data["kinds"])
    return A


_PLACES = ("commune", "province", "region")


def _sort_key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _component_shape(
    G: nx.Graph, nodes: list, rank: dict, seed: int, spacing: float
) -> tuple[dict, float]:
    """One component laid out around ``(0, 0)``: its positions and its radius."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}, spacing / 2
    if len(nodes) == 2:
        return {nodes[0]: (-spacing / 2, 0.0), nodes[1]: (spacing / 2, 0.0)}, spacing
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted(
        {tuple(sorted((index[u], index[v]))) for u, v in G.subgraph(nodes).edges() if u != v}
    )
    g = igraph.Graph(n=len(nodes), edges=edges)
    # igraph's own random start (drawn from the seeded generator): a start spread wider or
    # narrower than it makes the grid variant several times slower (measured).
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(f"{seed}:{rank[nodes[0]]}"))
        try:
            coords = g.layout_fruchterman_reingold(niter=500).coords
        finally:
            igraph.set_random_number_generator(random)
    # Scale so that the median tie is `spacing` long.
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in edges) or [1.0]
    median = lengths[len(lengths) // 2] or 1.0
    factor = spacing / median
    cx = sum(x for x, _ in coords) / len(coords)
    cy = sum(y for _, y in coords) / len(coords)
    shape = {
        node: ((coords[i][0] - cx) * factor, (coords[i][1] - cy) * factor)
        for i, node in enumerate(nodes)
    }
    radius = max(math.hypot(x, y) for x, y in shape.values()) + spacing / 2
    return shape, radius


def _pack(shapes: list[tuple[dict, float]], spacing: float) -> dict:
    """Components in rows (largest first), each row as wide as the largest component or a
    square of all of them, whichever is wider."""
    area = sum((2 * r) ** 2 for _, r in shapes)
    width = max(2 * shapes[0][1], math.sqrt(area))
    placed: dict = {}
    x = y = row_height = 0.0
    for shape, radius in shapes:
        size = 2 * radius
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        ox, oy = x + radius, y + radius
        for node, (px, py) in shape.items():
            placed[node] = (ox + px, oy + py)
        x += size
        row_height = max(row_height, size)
    return placed
