"""Gould and Fernandez's brokerage roles of the actors of a network, over their sectors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator

import networkx as nx

from graph.analysis._graphs import without_self_loops

__all__ = ["ROLES", "brokerage_roles"]

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def brokerage_roles(
    G: nx.Graph, attribute: str = "sector", *, method: str | None = None
) -> dict[Hashable, dict[str, int]]:
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
    method : {None, "bits", "sets"}, optional
        How closed pairs of contacts are counted: on bit sets (faster, up to
        ``BITSET_NODES`` nodes of known group) or on sets; None picks by size. Same result.

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
    known = [node for node in simple if group[node]]
    if method is None:
        method = "bits" if len(known) <= BITSET_NODES else "sets"
    if method not in ("bits", "sets"):
        raise ValueError(f"unknown method {method!r}: 'bits' or 'sets'")
    around = _around_by_bits if method == "bits" else _around_by_sets
    for broker, sizes, closed in around(simple, group, known):
        _count_roles(result[broker], group[broker], sizes, closed)
    return result


# Up to this many nodes of known group, the closed pairs around each broker are counted on
# bit sets (Python integers, one bit per node): a few hundred bytes per node at the
# programme's sizes and about 3x faster than set intersections (person network of the
# programme: 6k people, 100k ties, 0.34 s against 1.1 s, measured). Above, a node's bit set
# would weigh up to n/8 bytes whatever its degree, so sets are used.
BITSET_NODES = 20_000

# A broker's contacts by group: group -> how many; and its closed pairs of contacts (the
# two contacts are tied) by pair of groups (sorted): (g, h) -> how many.
_Around = tuple[Hashable, dict[str, int], dict[tuple[str, str], int]]


def _around_by_sets(G: nx.Graph, group: dict, known: list) -> Iterator[_Around]:
    """Each broker's contacts and closed pairs, by set intersections (any size). Nodes are
    numbered first: sets of small integers intersect faster than sets of uids (1.4x on the
    national organisation network, measured)."""
    number = {node: i for i, node in enumerate(known)}
    group_of = [group[node] for node in known]
    contacts_of = [{number[v] for v in G[node] if v in number} for node in known]
    for broker, contacts in zip(known, contacts_of, strict=True):
        by_group: dict[str, set[int]] = {}
        for v in contacts:
            by_group.setdefault(group_of[v], set()).add(v)
        groups = list(by_group.items())
        closed: Counter[tuple[str, str]] = Counter()  # each closed pair seen from both ends
        for a in contacts:
            theirs = contacts_of[a]
            if len(theirs) < 2:
                continue
            ga = group_of[a]
            for h, members in groups:
                shared = len(members.intersection(theirs))
                if shared:
                    closed[_key(ga, h)] += shared
        yield (
            broker,
            {g: len(members) for g, members in groups},
            {key: seen // 2 for key, seen in closed.items()},
        )


def _around_by_bits(G: nx.Graph, group: dict, known: list) -> Iterator[_Around]:
    """Each broker's contacts and closed pairs, by bit sets: node ``i`` (the known nodes
    ordered by group) is bit ``i``; a contact's closed pairs are the bits it shares with the
    broker's contacts, counted per group by masking."""
    ordered = sorted(known, key=lambda node: group[node])
    bit = {node: i for i, node in enumerate(ordered)}
    names = sorted({group[node] for node in ordered})
    masks = dict.fromkeys(names, 0)
    for node in ordered:
        masks[group[node]] |= 1 << bit[node]
    bits = {}
    for node in ordered:
        word = 0
        for v in G[node]:
            i = bit.get(v)
            if i is not None:
                word |= 1 << i
        bits[node] = word
    index = {g: k for k, g in enumerate(names)}
    for broker in ordered:
        contacts = bits[broker]
        if not contacts:
            yield broker, {}, {}
            continue
        present = [(k, contacts & masks[g]) for k, g in enumerate(names) if contacts & masks[g]]
        # seen[k][l]: closed pairs seen from a contact of group k towards one of group l
        seen = [[0] * len(names) for _ in names]
        for a in G[broker]:
            if a not in bit:
                continue
            shared = bits[a] & contacts
            if not shared:
                continue
            row = seen[index[group[a]]]
            for k, members in present:
                row[k] += (shared & members).bit_count()
        closed = {}
        for k, _ in present:
            for j, _ in present:
                if j >= k and seen[k][j]:
                    # a closed pair of two groups is seen once from each end's side
                    both = seen[k][j] if k == j else seen[k][j] + seen[j][k]
                    closed[(names[k], names[j])] = both // 2
        yield broker, {names[k]: members.bit_count() for k, members in present}, closed


def _count_roles(
    counts: dict[str, int], mine: str, sizes: dict[str, int], closed: dict[tuple[str, str], int]
) -> None:
    """Add to ``counts`` the roles of a broker of group ``mine``: every pair of its contacts
    (by their groups) that is not closed is an open triad, counted both ways."""
    names = sorted(sizes)
    for i, g in enumerate(names):
        for h in names[i:]:
            total = sizes[g] * (sizes[g] - 1) // 2 if g == h else sizes[g] * sizes[h]
            open_pairs = total - closed.get((g, h), 0)
            if open_pairs == 0:
                continue
            if g == h == mine:
                counts["coordinator"] += 2 * open_pairs
            elif g == h:
                counts["consultant"] += 2 * open_pairs
            elif mine in (g, h):
                counts["gatekeeper"] += open_pairs
                counts["representative"] += open_pairs
            else:
                counts["liaison"] += 2 * open_pairs
    counts["total"] = sum(counts[role] for role in ROLES)


def _key(g: str, h: str) -> tuple[str, str]:
    return (g, h) if g <= h else (h, g)
