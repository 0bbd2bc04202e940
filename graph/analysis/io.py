"""A network with its metrics in the files analysts take elsewhere: GEXF 1.3, GraphML, tables.

:func:`export_graph` makes the graph that every format writes: one node per actor with flat,
typed attributes (its place, sector and metrics), one edge per tie (weight, number of
records, kinds joined as text); no list or dict (GraphML cannot hold them), nothing else
of the projection (officers' accounts, record and people uids), and no character XML cannot
hold. An actor who may not be
named (``named`` False) keeps only the given label, its sector and place and its metrics:
no name, gender or age band.

The writers are pure functions of that graph: :func:`to_gexf13` (GEXF 1.3, as Gephi 0.10
reads it; networkx only writes 1.2draft by default and its 1.3 header has a wrong XML Schema
namespace), :func:`to_graphml`, :func:`node_link` (JSON), :func:`node_table` and
:func:`edge_table` (rows for CSV and spreadsheets, with Gephi's column names Id, Label,
Source, Target, Weight); the pictures (SVG, PNG) are ``graph.analysis.pictures``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = [
    "EDGE_FIELDS",
    "NODE_FIELDS",
    "Field",
    "edge_table",
    "export_graph",
    "node_link",
    "node_table",
    "to_gexf13",
    "to_graphml",
]


@dataclass(frozen=True)
class Field:
    """One attribute of the exported nodes or edges: its key, French column title, type."""

    key: str
    title: str
    type: type


NODE_FIELDS: tuple[Field, ...] = (
    Field("kind", "Type d'acteur", str),
    Field("kind_label", "Type d'acteur (libellé)", str),
    Field("org_kind", "Type d'organisation", str),
    Field("org_kind_label", "Type d'organisation (libellé)", str),
    Field("sector", "Secteur", str),
    Field("sector_label", "Secteur (libellé)", str),
    Field("commune", "Commune (code HCP)", str),
    Field("province", "Province (code HCP)", str),
    Field("region", "Région (code HCP)", str),
    Field("pilot", "Commune pilote", bool),
    Field("shared", "Institution partagée", bool),
    Field("gender", "Genre", str),
    Field("age_band", "Tranche d'âge", str),
    Field("degree", "Liens", int),
    Field("weighted_degree", "Intensité", float),
    Field("betweenness", "Intermédiarité", float),
    Field("closeness", "Proximité", float),
    Field("pagerank", "Influence", float),
    Field("community", "Groupe", int),
    Field("core", "Noyau", int),
    Field("in_core", "Dans le cœur du réseau", bool),
    Field("constraint", "Contrainte", float),
    Field("effective_size", "Taille effective", float),
    Field("brokerage", "Courtage", int),
    Field("brokerage_coordinator", "Courtage : coordinateur", int),
    Field("brokerage_gatekeeper", "Courtage : portier", int),
    Field("brokerage_representative", "Courtage : représentant", int),
    Field("brokerage_consultant", "Courtage : consultant", int),
    Field("brokerage_liaison", "Courtage : agent de liaison", int),
    Field("reach", "Portée à 2 pas", int),
)

EDGE_FIELDS: tuple[Field, ...] = (
    Field("count", "Enregistrements", int),
    Field("kinds", "Types de lien", str),
    Field("kinds_label", "Types de lien (libellés)", str),
    Field("last", "Dernier enregistrement", str),
)

# Attributes only a nameable person keeps (besides the name).
_PERSONAL = ("gender", "age_band")
_NODE_KINDS = {"organisation": "Organisation", "person": "Personne"}
_ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")
# Characters XML 1.0 cannot hold (a control character pasted into a name would make the file
# unreadable).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def export_graph(
    G: nx.Graph,
    metrics: Mapping[Hashable, Mapping[str, Any]] | None = None,
    *,
    unnamed_label: str,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> nx.Graph:
    """The graph the export formats write: ``G``'s nodes and ties with flat typed attributes.

    Parameters
    ----------
    G : networkx.Graph
        A projection (``graph.projections``): node attributes ``name``, ``named``, ``kind``,
        ``org_kind``, ``sector``, ``commune``, ``province``, ``region``, ``pilot``,
        ``shared``, ``gender``, ``age_band``; edge attributes ``weight``, ``count``,
        ``kinds`` (list), ``last``.
    metrics : mapping, optional
        Node -> its metrics (keys of ``NODE_FIELDS``; ``roles``, a dict of brokerage role
        counts, becomes the ``brokerage_<role>`` attributes).
    unnamed_label : str
        The label of a node whose ``named`` is False.
    labels : mapping, optional
        French labels of codes: ``{"org_kind": {...}, "sector": {...}, "kinds": {...}}``.

    Returns
    -------
    networkx.Graph
        A new graph: node attribute ``label`` and the keys of ``NODE_FIELDS``, edge attribute
        ``weight`` and the keys of ``EDGE_FIELDS``, each of its field's type or None.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("p1", kind="person", name="Salma B", named=False, gender="f")
    >>> out = export_graph(G, unnamed_label="Personne non nommée")
    >>> out.nodes["p1"]["label"], out.nodes["p1"]["gender"], "name" in out.nodes["p1"]
    ('Personne non nommée', None, False)
    """
    metrics = metrics or {}
    labels = labels or {}
    out = nx.Graph()
    for node, data in G.nodes(data=True):
        named = bool(data.get("named", True))
        values: dict[str, Any] = {**_flat_metrics(metrics.get(node) or {}), **data}
        values["kind_label"] = _NODE_KINDS.get(data.get("kind") or "", "")
        for code in ("org_kind", "sector"):
            values[f"{code}_label"] = labels.get(code, {}).get(data.get(code) or "", "")
        if not named:
            for key in _PERSONAL:
                values[key] = None
        attributes = {"label": xml_text(data.get("name") or "") if named else unnamed_label}
        attributes.update({f.key: _typed(values.get(f.key), f.type) for f in NODE_FIELDS})
        out.add_node(node, **attributes)
    tie_labels = labels.get("kinds", {})
    for u, v, data in G.edges(data=True):
        kinds = list(data.get("kinds") or [])
        values = {
            **data,
            "kinds": ";".join(kinds),
            "kinds_label": " ; ".join(tie_labels.get(k, k) for k in kinds),
        }
        attributes = {"weight": _typed(data.get("weight"), float)}
        attributes.update({f.key: _typed(values.get(f.key), f.type) for f in EDGE_FIELDS})
        out.add_edge(u, v, **attributes)
    return out


def to_gexf13(G: nx.Graph, *, description: str = "", day: str = "") -> bytes:
    """GEXF 1.3 (namespace ``http://gexf.net/1.3``) of a graph made by :func:`export_graph`.

    Every attribute of ``NODE_FIELDS`` and ``EDGE_FIELDS`` is declared with its type
    (string, integer, double, boolean); a None value is left out. The node label and the edge
    weight are GEXF's own ``label`` and ``weight``. ``day`` (ISO) is the meta
    ``lastmodifieddate``.

    Examples
    --------
    >>> G = export_graph(nx.Graph([("a", "b", {"weight": 1.5})]), unnamed_label="?")
    >>> import io
    >>> nx.read_gexf(io.BytesIO(to_gexf13(G)))["a"]["b"]["weight"]
    1.5
    """
    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
            "version": "1.3",
        },
    )
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": day} if day else {})
    ET.SubElement(meta, "creator").text = "Tansiq"
    if description:
        ET.SubElement(meta, "description").text = xml_text(description)
    graph = ET.SubElement(root, "graph", defaultedgetype="undirected", mode="static")
    for kind, fields in (("node", NODE_FIELDS), ("edge", EDGE_FIELDS)):
        declared = ET.SubElement(graph, "attributes", {"class": kind, "mode": "static"})
        for f in fields:
            ET.SubElement(declared, "attribute", id=f.key, title=f.key, type=_GEXF_TYPES[f.type])
    nodes = ET.SubElement(graph, "nodes")
    for node, data in G.nodes(data=True):
        element = ET.SubElement(nodes, "node", id=xml_text(node), label=xml_text(data["label"]))
        _gexf_values(element, data, NODE_FIELDS)
    edges = ET.SubElement(graph, "edges")
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        attributes = {"id": str(i), "source": xml_text(u), "target": xml_text(v)}
        if data.get("weight") is not None:
            attributes["weight"] = repr(float(data["weight"]))
        _gexf_values(ET.SubElement(edges, "edge", attributes), data, EDGE_FIELDS)
    return xml_document(root)


def to_graphml(G: nx.Graph) -> bytes:
    """GraphML of a graph made by :func:`export_graph`: a key per attribute (``label`` and
    ``NODE_FIELDS`` for nodes, ``weight`` and ``EDGE_FIELDS`` for edges) with its type; a
    None value is left out.

    Examples
    --------
    >>> G = export_graph(nx.Graph([("a", "b", {"weight": 1.5})]), unnamed_label="?")
    >>> import io
    >>> nx.read_graphml(io.BytesIO(to_graphml(G)))["a"]["b"]["weight"]
    1.5
    """
    root = ET.Element(
        "graphml",
        {
            "xmlns": GRAPHML_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd",
        },
    )
    node_fields = (Field("label", "Label", str), *NODE_FIELDS)
    edge_fields = (Field("weight", "Weight", float), *EDGE_FIELDS)
    ids: dict[tuple[str, str], str] = {}
    for kind, fields in (("node", node_fields), ("edge", edge_fields)):
        for f in fields:
            ids[kind, f.key] = key = f"d{len(ids)}"
            ET.SubElement(root, "key", {"id": key, "for": kind, "attr.name": f.key,
                                        "attr.type": _GRAPHML_TYPES[f.type]})  # fmt: skip
    graph = ET.SubElement(root, "graph", id="G", edgedefault="undirected")
    for node, data in G.nodes(data=True):
        element = ET.SubElement(graph, "node", id=xml_text(node))
        _graphml_values(element, data, node_fields, ids, "node")
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        element = ET.SubElement(graph, "edge", id=f"e{i}", source=xml_text(u), target=xml_text(v))
        _graphml_values(element, data, edge_fields, ids, "edge")
    return xml_document(root)


def node_link(G: nx.Graph, graph: Mapping[str, Any] | None = None) -> dict:
    """The node-link form of a graph made by :func:`export_graph` (as D3 and
    ``networkx.node_link_graph(data, edges="links")`` read it): ``nodes`` with ``id``,
    ``links`` with ``source`` and ``target``, every attribute (None as null).

    Examples
    --------
    >>> G = export_graph(nx.Graph([("a", "b", {"weight": 1.5})]), unnamed_label="?")
    >>> node_link(G)["links"][0]["weight"]
    1.5
    """
    return {
        "directed": False,
        "multigraph": False,
        "graph": dict(graph or {}),
        "nodes": [{"id": node, **data} for node, data in G.nodes(data=True)],
        "links": [{"source": u, "target": v, **data} for u, v, data in G.edges(data=True)],
    }


def node_table(G: nx.Graph) -> tuple[list[str], list[list]]:
    """Header and rows of the nodes of a graph made by :func:`export_graph`: ``Id``,
    ``Label``, then the French title of each of ``NODE_FIELDS``; values as they are (None
    for unknown)."""
    header = ["Id", "Label", *(f.title for f in NODE_FIELDS)]
    rows = [
        [node, data["label"], *(data.get(f.key) for f in NODE_FIELDS)]
        for node, data in G.nodes(data=True)
    ]
    return header, rows


def edge_table(G: nx.Graph) -> tuple[list[str], list[list]]:
    """Header and rows of the ties of a graph made by :func:`export_graph`: ``Source``,
    ``Target``, ``Type`` (Undirected), ``Weight``, then the French title of each of
    ``EDGE_FIELDS``."""
    header = ["Source", "Target", "Type", "Weight", *(f.title for f in EDGE_FIELDS)]
    rows = [
        [u, v, "Undirected", data.get("weight"), *(data.get(f.key) for f in EDGE_FIELDS)]
        for u, v, data in G.edges(data=True)
    ]
    return header, rows


# --- helpers ------------------------------------------------------------------------------------

_GEXF_TYPES = {str: "string", int: "integer", float: "double", bool: "boolean"}
_GRAPHML_TYPES = {str: "string", int: "int", float: "double", bool: "boolean"}


def _flat_metrics(row: Mapping[str, Any]) -> dict:
    flat = {k: v for k, v in row.items() if not isinstance(v, (dict, list, tuple, set))}
    roles = row.get("roles") or {}
    flat.update({f"brokerage_{role}": roles.get(role) for role in _ROLES if role in roles})
    return flat


def _typed(value: Any, kind: type) -> Any:
    """``value`` as ``kind``; None (and "" for a number or a flag) stays None."""
    if value is None or (kind is not str and value == ""):
        return None
    if kind is str:
        return xml_text(value)
    if kind is bool:
        return bool(value)
    return kind(value)


def xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return xml_text(value)


def _gexf_values(element: ET.Element, data: Mapping, fields: tuple[Field, ...]) -> None:
    present = [f for f in fields if data.get(f.key) is not None]
    if present:
        values = ET.SubElement(element, "attvalues")
        for f in present:
            ET.SubElement(values, "attvalue", {"for": f.key, "value": _literal(data[f.key])})


def _graphml_values(
    element: ET.Element,
    data: Mapping,
    fields: tuple[Field, ...],
    ids: Mapping[tuple[str, str], str],
    kind: str,
) -> None:
    for f in fields:
        if data.get(f.key) is not None:
            ET.SubElement(element, "data", key=ids[kind, f.key]).text = _literal(data[f.key])


def xml_document(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
