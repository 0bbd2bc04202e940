"""Krackhardt and Stern's E-I index between sectors, and vertical versus horizontal ties."""

from __future__ import annotations

import networkx as nx

__all__ = [
    "STATE_SECTORS",
    "COLLECTIVITY_SECTOR",
    "CIVIL_SOCIETY_SECTOR",
    "ei_index",
    "group_ei_index",
    "tie_orientation",
    "orientation_counts",
    "vertical_horizontal_ei",
]

STATE_SECTORS = frozenset({"central_state", "deconcentrated_state"})
COLLECTIVITY_SECTOR = "territorial_collectivity"
CIVIL_SOCIETY_SECTOR = "civil_society"


def ei_index(G: nx.Graph, attribute: str = "sector", weight: str | None = None) -> float | None:
    """Krackhardt and Stern's E-I index of the whole network: ``(E - I) / (E + I)``.

    E counts the ties between nodes of different groups, I the ties within a group: +1 when
    every tie crosses groups, -1 when none does. Ties with an end of unknown group (attribute
    missing or "") and self-loops are left out.

    Parameters
    ----------
    G : networkx.Graph
    attribute : str, optional (default="sector")
    weight : str or None, optional (default=None)
        None counts ties; an attribute name sums it instead (1.0 where missing).

    Returns
    -------
    float or None
        None when no tie is counted.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "y"}, "sector")
    >>> ei_index(G)  # E = 1 (b - c), I = 2
    -0.3333333333333333
    """
    external = internal = 0.0
    for (g, h), amount in _pair_amounts(G, attribute, weight).items():
        if not g or not h:
            continue
        if g == h:
            internal += amount
        else:
            external += amount
    return _ratio(external, internal)


def group_ei_index(
    G: nx.Graph, attribute: str = "sector", weight: str | None = None
) -> dict[str, float | None]:
    """The E-I index of each group: its members' ties outside the group against inside.

    For group g, E counts the ties from a member of g to a node of another (known) group and I
    the ties between two members of g; ``(E - I) / (E + I)``, None when g has no counted tie.

    Parameters
    ----------
    G : networkx.Graph
    attribute : str, optional (default="sector")
    weight : str or None, optional (default=None)
        None counts ties; an attribute name sums it instead (1.0 where missing).

    Returns
    -------
    dict
        Group -> E-I index or None, for every known group among the nodes, sorted by group.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> G.add_node("d")
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "z"}, "sector")
    >>> group_ei_index(G)
    {'x': 0.0, 'y': 1.0, 'z': None}
    """
    groups = sorted({G.nodes[v].get(attribute) or "" for v in G} - {""})
    external = dict.fromkeys(groups, 0.0)
    internal = dict.fromkeys(groups, 0.0)
    for (g, h), amount in _pair_amounts(G, attribute, weight).items():
        if not g or not h:
            continue
        if g == h:
            internal[g] += amount
        else:
            external[g] += amount
            external[h] += amount
    return {g: _ratio(external[g], internal[g]) for g in groups}


def tie_orientation(sector_a: str, sector_b: str) -> str:
    """Whether a tie between two sectors is vertical, horizontal or other (order ignored).

    *Vertical*: between the State (central or deconcentrated) and a territorial collectivity.
    *Horizontal*: between a territorial collectivity and civil society, or between two
    territorial collectivities. Every other tie is *other*.

    Parameters
    ----------
    sector_a, sector_b : str
        Sector codes (``graph.vocabulary.SECTORS``), or "".

    Returns
    -------
    str
        "vertical", "horizontal" or "other".

    Examples
    --------
    >>> tie_orientation("deconcentrated_state", "territorial_collectivity")
    'vertical'
    >>> tie_orientation("civil_society", "territorial_collectivity")
    'horizontal'
    >>> tie_orientation("civil_society", "deconcentrated_state")
    'other'
    """
    pair = {sector_a, sector_b}
    if COLLECTIVITY_SECTOR not in pair:
        return "other"
    other = sector_b if sector_a == COLLECTIVITY_SECTOR else sector_a
    if other in STATE_SECTORS:
        return "vertical"
    if other in (COLLECTIVITY_SECTOR, CIVIL_SOCIETY_SECTOR):
        return "horizontal"
    return "other"


def orientation_counts(
    G: nx.Graph, attribute: str = "sector", weight: str | None = None
) -> dict[str, float]:
    """How many ties are vertical, horizontal and other (see :func:`tie_orientation`).

    Self-loops are left out; a tie with an end of unknown sector is "other".

    Parameters
    ----------
    G : networkx.Graph
    attribute : str, optional (default="sector")
    weight : str or None, optional (default=None)
        None counts ties; an attribute name sums it instead (1.0 where missing).

    Returns
    -------
    dict
        {"vertical": float, "horizontal": float, "other": float}.

    Examples
    --------
    >>> G = nx.Graph([("wali", "commune"), ("commune", "osc")])
    >>> nx.set_node_attributes(G, {"wali": "deconcentrated_state",
    ...     "commune": "territorial_collectivity", "osc": "civil_society"}, "sector")
    >>> orientation_counts(G)
    {'vertical': 1.0, 'horizontal': 1.0, 'other': 0.0}
    """
    counts = {"vertical": 0.0, "horizontal": 0.0, "other": 0.0}
    for (g, h), amount in _pair_amounts(G, attribute, weight).items():
        counts[tie_orientation(g, h)] += amount
    return counts


def vertical_horizontal_ei(
    G: nx.Graph, attribute: str = "sector", weight: str | None = None
) -> float | None:
    """An E-I index of the territorial collectivities' ties: ``(V - H) / (V + H)``.

    V counts the vertical ties (State - collectivity) and H the horizontal ones (collectivity -
    civil society, collectivity - collectivity), as an E-I index whose "external" ties are the
    vertical ones: +1 when collectivities only deal with the State, -1 when only with their
    peers and civil society. Other ties are not counted.

    Parameters
    ----------
    G : networkx.Graph
    attribute : str, optional (default="sector")
    weight : str or None, optional (default=None)
        None counts ties; an attribute name sums it instead (1.0 where missing).

    Returns
    -------
    float or None
        None when there is no vertical or horizontal tie.

    Examples
    --------
    >>> G = nx.Graph([("wali", "commune"), ("commune", "osc"), ("commune", "province")])
    >>> nx.set_node_attributes(G, {"wali": "deconcentrated_state", "osc": "civil_society",
    ...     "commune": "territorial_collectivity", "province": "territorial_collectivity"},
    ...     "sector")
    >>> vertical_horizontal_ei(G)  # V = 1, H = 2
    -0.3333333333333333
    """
    counts = orientation_counts(G, attribute=attribute, weight=weight)
    return _ratio(counts["vertical"], counts["horizontal"])


def _pair_amounts(G: nx.Graph, attribute: str, weight: str | None) -> dict[tuple[str, str], float]:
    """The ties between two distinct nodes, counted (or their `weight` summed) by the pair of
    their ends' groups, sorted ("" for an unknown group): one pass over the ties with each
    node's group read once, rather than two node lookups per tie. Counts are whole numbers,
    so they do not depend on the order of the ties."""
    group = {node: data.get(attribute) or "" for node, data in G.nodes(data=True)}
    amounts: dict[tuple[str, str], float] = {}
    if weight is None:
        for u, v in G.edges():
            if u != v:
                g, h = group[u], group[v]
                key = (g, h) if g <= h else (h, g)
                amounts[key] = amounts.get(key, 0.0) + 1.0
    else:
        for u, v, amount in G.edges(data=weight, default=1.0):
            if u != v:
                g, h = group[u], group[v]
                key = (g, h) if g <= h else (h, g)
                amounts[key] = amounts.get(key, 0.0) + float(amount)
    return amounts


def _ratio(external: float, internal: float) -> float | None:
    total = external + internal
    return (external - internal) / total if total > 0 else None
