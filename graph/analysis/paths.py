"""Introduction paths: the shortest chains of known ties between two actors.

Order
    Chains with fewer ties come first (``networkx.shortest_simple_paths``, unweighted). Among
    chains with as many ties, the one whose weakest tie is strongest comes first (``weight``
    decays with age, so this prefers chains without a stale link), then the one with the
    greater total weight, then the node uids in alphabetical order (stable results). To bound
    cost, at most ``max_candidates`` chains are read before ranking.
Visibility
    The graph is what the user may see; ``visible`` restricts it further: no chain passes
    through a node outside it, and an end outside it is treated as unknown (same message, so
    the answer does not reveal that the record exists).
"""

from __future__ import annotations

from collections.abc import Container
from itertools import islice, pairwise

import networkx as nx

__all__ = ["introduction_paths"]

UNKNOWN_ACTOR = "Acteur inconnu ou hors de votre périmètre."
SAME_ACTOR = "Choisissez deux acteurs différents."
BAD_K = "Le nombre de chemins demandés doit être au moins 1."


def introduction_paths(
    G: nx.Graph,
    source: str,
    target: str,
    k: int = 3,
    *,
    visible: Container[str] | None = None,
    max_candidates: int = 200,
) -> list[list[dict]]:
    """Up to ``k`` shortest chains of ties from ``source`` to ``target``.

    Parameters
    ----------
    G : a projection of the contract (either level)
    source, target : node uids
    k : how many chains at most (at least 1)
    visible : if given, the only nodes a chain may use (ends included)
    max_candidates : the most chains read before ranking (at least ``k`` are always read)

    Returns
    -------
    A list of chains, best first; each chain is a list of steps
    ``{"from", "to", "kinds", "last", "weight"}`` from ``source`` to ``target``.
    ``[]`` when no chain joins them.

    Raises
    ------
    ValueError
        (French message) for an unknown or invisible end, ``source == target``, or ``k < 1``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", kinds=["interaction"], last="2026-01-05", weight=0.9)
    >>> G.add_edge("b", "c", kinds=["partnership"], last=None, weight=1.0)
    >>> [[s["to"] for s in chain] for chain in introduction_paths(G, "a", "c")]
    [['b', 'c']]
    """
    if k < 1:
        raise ValueError(BAD_K)
    for end in (source, target):
        if end not in G or (visible is not None and end not in visible):
            raise ValueError(UNKNOWN_ACTOR)
    if source == target:
        raise ValueError(SAME_ACTOR)
    H = G if visible is None else G.subgraph(n for n in G if n in visible)
    if H.is_directed():
        H = H.to_undirected(as_view=True)
    chains = nx.shortest_simple_paths(H, source, target)
    candidates: list[list[str]] = []
    try:
        for chain in islice(chains, max(k, max_candidates)):
            # Past the k-th chain, only chains as short as the k-th can still make the cut.
            if len(candidates) >= k and len(chain) > len(candidates[k - 1]):
                break
            candidates.append(chain)
    except nx.NetworkXNoPath:
        return []
    candidates.sort(key=lambda chain: _rank(H, chain))
    return [_steps(H, chain) for chain in candidates[:k]]


def _rank(H: nx.Graph, chain: list[str]) -> tuple:
    weights = [_weight(H, u, v) for u, v in pairwise(chain)]
    return (len(chain), -min(weights), -sum(weights), chain)


def _steps(H: nx.Graph, chain: list[str]) -> list[dict]:
    return [
        {
            "from": u,
            "to": v,
            "kinds": list(H.edges[u, v].get("kinds") or []),
            "last": H.edges[u, v].get("last"),
            "weight": _weight(H, u, v),
        }
        for u, v in pairwise(chain)
    ]


def _weight(H: nx.Graph, u: str, v: str) -> float:
    return float(H.edges[u, v].get("weight", 0.0) or 0.0)
