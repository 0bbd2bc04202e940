"""Gould and Fernandez's brokerage roles of the actors of a network, over their sectors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

import networkx as nx

from graph.analysis._graphs import without_self_loops

__all__ = ["ROLES", "brokerage_roles"]

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def brokerage_roles(G: nx.Graph, attribute: str = "sector") -> dict[Hashable, dict[str, int]]:
    """Count the brokerage roles each node plays between groups (Gould and Fernandez, 1989).

    The roles are defined on a directed two-path A -> B -> C where A and C are not tied, B
    being the broker: *coordinator* (A, B and C in one group), *gatekeeper* (B and C in one
    group, A in another: B controls what enters its group), *representative* (A and B in one
    group, C in another: B speaks for its group), *consultant* (A and C in one group, B in
    another), *liaison* (three different groups).

    The graph is undirected: each tie is read as two arcs, so each open triad A - B - C (A and
    C not tied) counts once for the ordered pair (A, C) and once for (C, A). A coordinator,
    consultant or liaison triad therefore counts 2; a triad where B shares its group with one
    end only counts 1 gatekeeper and 1 representative, so on an undirected graph the two
    counts are always equal for every broker.

    A node whose group is unknown (attribute missing or "") is left out: it brokers nothing,
    and triads with it at an end are not counted. Self-loops are ignored.

    Parameters
    ----------
    G : networkx.Graph
    attribute : str, optional (default="sector")
        The node attribute holding the group.

    Returns
    -------
    dict
        Node -> {"coordinator": int, "gatekeeper": int, "representative": int,
        "consultant": int, "liaison": int, "total": int}, for every node of `G`.

    Examples
    --------
    A path a - b - c where a is in another group than b and c: b is gatekeeper for the flow
    from a to c and representative for the flow from c to a.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "state", "b": "osc", "c": "osc"}, "sector")
    >>> roles = brokerage_roles(G)["b"]
    >>> roles["gatekeeper"], roles["representative"], roles["total"]
    (1, 1, 2)
    """
    simple = without_self_loops(G)
    group = {node: simple.nodes[node].get(attribute) or "" for node in simple}
    result = {node: dict.fromkeys((*ROLES, "total"), 0) for node in simple}
    # Each node's contacts of known group, as sets: the closed pairs around a broker are
    # counted by set intersections (C) rather than by walking every contact's contacts.
    known = {node: {v for v in simple[node] if group[v]} for node in simple}
    for broker in simple:
        mine = group[broker]
        if not mine:
            continue
        contacts = known[broker]
        by_group: dict[str, set] = {}
        for v in contacts:
            by_group.setdefault(group[v], set()).add(v)
        # Pairs of contacts by their (sorted) pair of groups: all pairs minus the closed ones.
        names = sorted(by_group)
        pairs: dict[tuple[str, str], int] = {}
        for i, g in enumerate(names):
            size = len(by_group[g])
            pairs[(g, g)] = size * (size - 1) // 2
            for h in names[i + 1 :]:
                pairs[(g, h)] = size * len(by_group[h])
        closed: Counter[tuple[str, str]] = Counter()  # each closed pair seen from both ends
        for a in contacts:
            theirs = known[a]
            if len(theirs) < 2:
                continue
            ga = group[a]
            for h, members in by_group.items():
                shared = len(members.intersection(theirs))
                if shared:
                    closed[_key(ga, h)] += shared
        counts = result[broker]
        for key, total in pairs.items():
            open_pairs = total - closed[key] // 2
            if open_pairs == 0:
                continue
            g, h = key
            if g == h == mine:
                counts["coordinator"] += 2 * open_pairs
            elif g == h:
                counts["consultant"] += 2 * open_pairs
            elif mine in key:
                counts["gatekeeper"] += open_pairs
                counts["representative"] += open_pairs
            else:
                counts["liaison"] += 2 * open_pairs
        counts["total"] = sum(counts[role] for role in ROLES)
    return result


def _key(g: str, h: str) -> tuple[str, str]:
    return (g, h) if g <= h else (h, g)
