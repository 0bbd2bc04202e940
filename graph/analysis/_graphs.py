"""Helpers shared by the analysis modules."""

from __future__ import annotations

import networkx as nx

__all__ = ["without_self_loops"]


def without_self_loops(G: nx.Graph) -> nx.Graph:
    """`G` itself when it has no self-loop, else a copy without them (never changes `G`)."""
    if nx.number_of_selfloops(G) == 0:
        return G
    H = G.copy()
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return H
