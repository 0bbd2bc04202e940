"""Figures of the manager's dashboard: regions compared, communes ranked by their gaps, ties
between communes.

Regions
    A region's organisations are the nodes whose ``region`` attribute is its code. Its ties are
    the ties with one end among them and the other among them or *placed nowhere* (a shared
    national institution such as the DGCT or the INDH has no commune: its ties with a
    region's council are that region's vertical ties). Ties between two regions belong to
    neither. Density is computed among the region's own organisations only (the national
    institutions are everyone's and would blur it).
Engaged associations per pilot commune
    The caller counts the engaged associations of each commune (``graph.participation``'s
    definition) and passes them in; a region's figure is the sum over its pilot communes
    divided by their number (``None`` without pilot commune).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from graph.analysis import ei
from graph.analysis.gaps import SEVERITIES

__all__ = [
    "commune_gap_rows",
    "commune_ties",
    "region_comparison",
]


def region_comparison(
    org_graph: nx.Graph,
    person_graph: nx.Graph,
    communes: Iterable[Mapping],
    engaged: Mapping[str, int] | None = None,
) -> list[dict]:
    """The figures of each region, side by side.

    Parameters
    ----------
    org_graph, person_graph : projections of the contract (``graph.projections``)
    communes : the communes assessed, each ``{"code", "region", "pilot"}``: they say which
        regions appear (with the regions of the organisations) and which communes are pilots
    engaged : commune code -> number of engaged associations (missing: 0)

    Returns
    -------
    One dict per region, by code: ``region``, ``organisations``, ``ties``, ``density``,
    ``cross_sector_ties``, ``cross_sector_share``, ``ei_sector`` (Krackhardt–Stern over
    sectors), ``vertical_ties``, ``horizontal_ties``,
    ``ei_vertical`` (``(V - H) / (V + H)``), ``people``, ``women``, ``gender_known``,
    ``women_share``, ``pilot_communes``, ``engaged_associations`` (in pilot communes) and
    ``engaged_per_pilot``. Shares and indices are ``None`` when nothing is counted. Inputs
    are not modified.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("c", region="02", sector="territorial_collectivity")
    >>> G.add_node("a", region="02", sector="civil_society")
    >>> G.add_node("dgct", region="", sector="central_state")
    >>> G.add_edges_from([("c", "a"), ("c", "dgct")])
    >>> row = region_comparison(G, nx.Graph(), [{"code": "02.1", "region": "02", "pilot": True}],
    ...                         {"02.1": 3})[0]
    >>> row["ties"], row["density"], row["ei_vertical"], row["engaged_per_pilot"]
    (2, 1.0, 0.0, 3.0)
    """
    engaged = engaged or {}
    communes = list(communes)
    nodes_of: dict[str, list] = {}
    for node, data in org_graph.nodes(data=True):
        if data.get("region"):
            nodes_of.setdefault(data["region"], []).append(node)
    people_of: dict[str, list] = {}
    for node, data in person_graph.nodes(data=True):
        if data.get("region"):
            people_of.setdefault(data["region"], []).append(node)
    regions = sorted(set(nodes_of) | {c["region"] for c in communes if c.get("region")})
    rows = []
    for region in regions:
        own = nodes_of.get(region, [])
        ties = _region_ties(org_graph, set(own), region)
        pilots = [c["code"] for c in communes if c.get("region") == region and c.get("pilot")]
        genders = [person_graph.nodes[p].get("gender") for p in people_of.get(region, [])]
        women, known = genders.count("f"), sum(1 for g in genders if g in ("f", "m"))
        orientation = ei.orientation_counts(ties)
        cross = _cross_sector(ties)
        sectored = sum(
            1
            for u, v in ties.edges()
            if ties.nodes[u].get("sector") and ties.nodes[v].get("sector")
        )
        n = len(own)
        inner = org_graph.subgraph(own).number_of_edges()
        engaged_count = sum(engaged.get(code, 0) for code in pilots)
        rows.append(
            {
                "region": region,
                "organisations": n,
                "ties": ties.number_of_edges(),
                "density": (2 * inner / (n * (n - 1))) if n > 1 else None,
                "cross_sector_ties": cross,
                "cross_sector_share": cross / sectored if sectored else None,
                "vertical_ties": int(orientation["vertical"]),
                "horizontal_ties": int(orientation["horizontal"]),
                "ei_sector": ei.ei_index(ties),
                "ei_vertical": ei.vertical_horizontal_ei(ties),
                "people": len(people_of.get(region, [])),
                "women": women,
                "gender_known": known,
                "women_share": women / known if known else None,
                "pilot_communes": len(pilots),
                "engaged_associations": engaged_count,
                "engaged_per_pilot": engaged_count / len(pilots) if pilots else None,
            }
        )
    return rows


def commune_gap_rows(gaps: Iterable[Mapping], communes: Iterable[Mapping]) -> list[dict]:
    """Each commune's gaps counted by severity, most serious communes first.

    Parameters
    ----------
    gaps : gaps as ``crm.network.analyse`` gives them (``commune``, ``rule``, ``severity``)
    communes : the communes assessed, each ``{"code", "name"}`` and any other key, kept

    Returns
    -------
    One dict per commune (those without a gap included): the commune's keys plus ``gaps``
    (total), ``by_severity`` (SEVERITIES code -> count), ``rules`` (codes, in order of first
    appearance) and ``worst`` (the most serious severity, "" without gap); sorted by counts
    of high, then medium, then low severity (most first), then name and code.

    Examples
    --------
    >>> rows = commune_gap_rows([{"commune": "b", "rule": "r", "severity": "low"}],
    ...                         [{"code": "a", "name": "A"}, {"code": "b", "name": "B"}])
    >>> [(r["code"], r["gaps"], r["worst"]) for r in rows]
    [('b', 1, 'low'), ('a', 0, '')]
    """
    rows = {
        c["code"]: {**c, "gaps": 0, "by_severity": dict.fromkeys(SEVERITIES, 0), "rules": []}
        for c in communes
    }
    for gap in gaps:
        row = rows.get(gap["commune"])
        if row is None:
            continue
        row["gaps"] += 1
        row["by_severity"][gap["severity"]] = row["by_severity"].get(gap["severity"], 0) + 1
        if gap["rule"] not in row["rules"]:
            row["rules"].append(gap["rule"])
    for row in rows.values():
        row["worst"] = next((s for s in SEVERITIES if row["by_severity"].get(s)), "")
    return sorted(
        rows.values(),
        key=lambda r: (
            *(-r["by_severity"].get(s, 0) for s in SEVERITIES),
            (r.get("name") or "").lower(),
            r["code"],
        ),
    )


def commune_ties(org_graph: nx.Graph) -> list[dict]:
    """The ties between organisations of two different communes, summed per pair of communes.

    Parameters
    ----------
    org_graph : the organisation projection (node attribute ``commune``; edge attributes
        ``weight``, ``count``)

    Returns
    -------
    One dict per pair of communes: ``a`` and ``b`` (codes, ``a < b``), ``ties`` (number of
    organisation ties), ``weight`` (sum of their weights) and ``records`` (sum of their
    ``count``); heaviest first, then by codes. Organisations without a commune are left out.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("x", {"commune": "1"}), ("y", {"commune": "2"}),
    ...                   ("z", {"commune": "2"})])
    >>> G.add_edge("x", "y", weight=1.0, count=1)
    >>> G.add_edge("x", "z", weight=0.5, count=2)
    >>> G.add_edge("y", "z", weight=1.0, count=1)
    >>> commune_ties(G)
    [{'a': '1', 'b': '2', 'ties': 2, 'weight': 1.5, 'records': 3}]
    """
    pairs: dict[tuple[str, str], dict] = {}
    for u, v, data in org_graph.edges(data=True):
        a, b = org_graph.nodes[u].get("commune"), org_graph.nodes[v].get("commune")
        if not a or not b or a == b:
            continue
        key = (a, b) if a < b else (b, a)
        row = pairs.setdefault(key, {"a": key[0], "b": key[1], "ties": 0, "weight": 0.0,
                                     "records": 0})  # fmt: skip
        row["ties"] += 1
        row["weight"] += float(data.get("weight", 1.0))
        row["records"] += int(data.get("count", 1))
    return sorted(pairs.values(), key=lambda r: (-r["weight"], r["a"], r["b"]))


def _region_ties(G: nx.Graph, own: set, region: str) -> nx.Graph:
    """The region's ties (see the module docstring) as a graph with their ends' attributes."""
    ties = nx.Graph()
    for u in own:
        ties.add_node(u, **G.nodes[u])
        for v in G.neighbors(u):
            if u == v:
                continue
            other = G.nodes[v].get("region") or ""
            if v in own or not other:
                ties.add_node(v, **G.nodes[v])
                ties.add_edge(u, v, **G.edges[u, v])
    return ties


def _cross_sector(G: nx.Graph) -> int:
    return sum(
        1
        for u, v in G.edges()
        if G.nodes[u].get("sector")
        and G.nodes[v].get("sector")
        and G.nodes[u]["sector"] != G.nodes[v]["sector"]
    )
