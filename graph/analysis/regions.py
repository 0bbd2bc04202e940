"""Regions side by side: size, density, ties across sectors, E-I, women's share, engagement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from graph.analysis import centrality, ei

__all__ = ["REGION_FIGURES", "region_comparison"]

# The figures of a region's row, in the order a table shows them: code -> French label.
REGION_FIGURES: dict[str, str] = {
    "nodes": "Acteurs",
    "ties": "Liens",
    "density": "Densité",
    "cross_sector_share": "Part des liens entre secteurs",
    "ei_sector": "Indice E-I (secteurs)",
    "ei_vertical": "Indice E-I vertical / horizontal",
    "women_share": "Part des femmes",
    "pilot_communes": "Communes pilotes",
    "engaged_associations": "Associations engagées (communes pilotes)",
    "engaged_per_pilot": "Associations engagées par commune pilote",
}


def region_comparison(
    G_org: nx.Graph,
    G_people: nx.Graph,
    *,
    pilot_communes: Iterable[str] | None = None,
    region_names: Mapping[str, str] | None = None,
) -> list[dict]:
    """One row of figures per region, from the organisation and person networks of a scope.

    A region's actors are the nodes whose ``region`` attribute is its code. Its ties are the
    ties of the organisation network that touch one of its actors and whose other end is in
    the region too or placed nowhere (the shared national institutions): a region's vertical
    ties are mostly ties with the State, which has no commune. Ties with another region's
    actors are left out of both regions.

    - ``nodes``: organisations of the region; ``ties``: its ties as above;
    - ``density``: of the ties among the region's own organisations
      (:func:`graph.analysis.centrality.density`);
    - ``cross_sector_share``: share of its ties (both sectors known) joining two sectors;
    - ``ei_sector``, ``ei_vertical``: :func:`graph.analysis.ei.ei_index` and
      :func:`graph.analysis.ei.vertical_horizontal_ei` over its ties;
    - ``women_share``: women among the people of the person network placed in the region
      whose gender is known;
    - ``pilot_communes``: how many of ``pilot_communes`` are in the region;
      ``engaged_associations``: associations (sector ``civil_society``) of those communes
      with at least one tie; ``engaged_per_pilot``: their ratio.

    Figures that cannot be computed (no tie, no known gender, no pilot commune) are None.

    Parameters
    ----------
    G_org : networkx.Graph
        Organisation network; node attributes ``region``, ``commune``, ``sector``, ``pilot``.
    G_people : networkx.Graph
        Person network; node attributes ``region``, ``gender`` ("f", "m" or "").
    pilot_communes : iterable of str, optional
        HCP codes of the pilot communes of the scope (pilot communes without any actor count
        too). None: the communes of the nodes marked ``pilot``.
    region_names : mapping, optional
        Region code -> name; the code where missing.

    Returns
    -------
    list of dict
        ``{"region", "name", **REGION_FIGURES}`` per region having an actor or a pilot
        commune, by region code.

    Examples
    --------
    >>> G = nx.Graph([("commune", "osc"), ("commune", "wali")])
    >>> nx.set_node_attributes(G, {
    ...     "commune": {"region": "02", "commune": "02.1", "sector": "territorial_collectivity"},
    ...     "osc": {"region": "02", "commune": "02.1", "sector": "civil_society"},
    ...     "wali": {"region": "", "commune": "", "sector": "deconcentrated_state"}})
    >>> row = region_comparison(G, nx.Graph(), pilot_communes=["02.1"])[0]
    >>> row["nodes"], row["ties"], row["ei_vertical"], row["engaged_per_pilot"]
    (2, 2, 0.0, 1.0)
    """
    names = region_names or {}
    pilots = (
        {c for c in pilot_communes if c}
        if pilot_communes is not None
        else {
            d.get("commune")
            for H in (G_org, G_people)
            for _, d in H.nodes(data=True)
            if d.get("pilot") and d.get("commune")
        }
    )
    members: dict[str, list] = {}
    for node, data in G_org.nodes(data=True):
        if data.get("region"):
            members.setdefault(data["region"], []).append(node)
    genders: dict[str, list[str]] = {}
    for _, data in G_people.nodes(data=True):
        if data.get("region") and data.get("gender") in ("f", "m"):
            genders.setdefault(data["region"], []).append(data["gender"])
    codes = sorted(set(members) | {_region_of(c) for c in pilots} | set(_people_regions(G_people)))
    return [
        {
            "region": code,
            "name": names.get(code) or code,
            **_figures(G_org, code, members.get(code, []), genders.get(code, []), pilots),
        }
        for code in codes
    ]


def _figures(G: nx.Graph, code: str, nodes: list, genders: list[str], pilots: set[str]) -> dict:
    ties = _region_ties(G, code, nodes)
    known = [(G.nodes[u].get("sector"), G.nodes[v].get("sector")) for u, v in ties.edges()]
    known = [(a, b) for a, b in known if a and b]
    own_pilots = {c for c in pilots if _region_of(c) == code}
    engaged = sum(
        1
        for node in nodes
        if G.nodes[node].get("commune") in own_pilots
        and G.nodes[node].get("sector") == ei.CIVIL_SOCIETY_SECTOR
        and G.degree(node) > 0
    )
    return {
        "nodes": len(nodes),
        "ties": ties.number_of_edges(),
        "density": centrality.density(G.subgraph(nodes)),
        "cross_sector_share": (sum(1 for a, b in known if a != b) / len(known) if known else None),
        "ei_sector": ei.ei_index(ties),
        "ei_vertical": ei.vertical_horizontal_ei(ties),
        "women_share": genders.count("f") / len(genders) if genders else None,
        "pilot_communes": len(own_pilots),
        "engaged_associations": engaged,
        "engaged_per_pilot": engaged / len(own_pilots) if own_pilots else None,
    }


def _region_ties(G: nx.Graph, code: str, nodes: list) -> nx.Graph:
    """The ties touching the region's nodes whose other end is in the region or nowhere."""
    kept = [
        (u, v)
        for u, v in G.edges(nodes)
        if u != v and G.nodes[u].get("region", "") in (code, "")
        and G.nodes[v].get("region", "") in (code, "")
    ]  # fmt: skip
    return G.edge_subgraph(kept)


def _region_of(commune: str) -> str:
    return commune.split(".")[0]


def _people_regions(G: nx.Graph) -> set[str]:
    return {d["region"] for _, d in G.nodes(data=True) if d.get("region")}
