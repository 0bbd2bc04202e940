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
Source, Target, Weight), :func:`to_svg` (a picture of the network at given positions) and
:func:`to_png` (the same picture as a PNG image).
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx
from PIL import Image, ImageColor, ImageDraw, ImageFont

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
    "to_png",
    "to_svg",
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
        attributes = {"label": _xml_text(data.get("name") or "") if named else unnamed_label}
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
        ET.SubElement(meta, "description").text = _xml_text(description)
    graph = ET.SubElement(root, "graph", defaultedgetype="undirected", mode="static")
    for kind, fields in (("node", NODE_FIELDS), ("edge", EDGE_FIELDS)):
        declared = ET.SubElement(graph, "attributes", {"class": kind, "mode": "static"})
        for f in fields:
            ET.SubElement(declared, "attribute", id=f.key, title=f.key, type=_GEXF_TYPES[f.type])
    nodes = ET.SubElement(graph, "nodes")
    for node, data in G.nodes(data=True):
        element = ET.SubElement(nodes, "node", id=_xml_text(node), label=_xml_text(data["label"]))
        _gexf_values(element, data, NODE_FIELDS)
    edges = ET.SubElement(graph, "edges")
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        attributes = {"id": str(i), "source": _xml_text(u), "target": _xml_text(v)}
        if data.get("weight") is not None:
            attributes["weight"] = repr(float(data["weight"]))
        _gexf_values(ET.SubElement(edges, "edge", attributes), data, EDGE_FIELDS)
    return _document(root)


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
        element = ET.SubElement(graph, "node", id=_xml_text(node))
        _graphml_values(element, data, node_fields, ids, "node")
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        element = ET.SubElement(graph, "edge", id=f"e{i}", source=_xml_text(u), target=_xml_text(v))
        _graphml_values(element, data, edge_fields, ids, "edge")
    return _document(root)


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


def to_svg(
    G: nx.Graph,
    positions: Mapping[Hashable, tuple[float, float]],
    *,
    colours: Mapping[str, str],
    legend: Mapping[str, str] | None = None,
    title: str = "",
    labelled: int = 60,
) -> bytes:
    """An SVG picture of a graph made by :func:`export_graph`, nodes at ``positions``.

    Nodes are discs coloured by ``sector`` (``colours``: sector code -> CSS colour, "" for
    the unknown sector) and sized by ``degree``; ties are grey lines as thick as their
    weight (capped). The ``labelled`` nodes of highest degree carry their label; every node
    has it as a tooltip (``<title>``). ``legend`` (sector code -> French label) is drawn
    below, and ``title`` above. All text is XML text: no markup from the data.

    Examples
    --------
    >>> G = export_graph(nx.Graph([("a", "b", {"weight": 1.0})]), unnamed_label="?")
    >>> svg = to_svg(G, {"a": (0, 0), "b": (60, 0)}, colours={"": "#999"})
    >>> svg.count(b"<circle"), svg.count(b"<line")
    (2, 1)
    """
    margin, line = 40.0, 18.0
    xs = [positions[n][0] for n in G] or [0.0]
    ys = [positions[n][1] for n in G] or [0.0]
    legend = dict(legend or {})
    unknown = colours.get("", "#999999")
    head = line * 2 if title else 0.0
    left, top = min(xs) - margin, min(ys) - margin - head
    width = max(max(xs) - min(xs) + 2 * margin, 400.0)
    height = max(ys) - min(ys) + 2 * margin + head + line * (len(legend) + 1)
    root = _svg(None, "svg", xmlns="http://www.w3.org/2000/svg", version="1.1",
                viewBox=f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}",
                width=round(width), height=round(height),
                **{"font-family": "sans-serif", "font-size": 11})  # fmt: skip
    _svg(root, "rect", x=left, y=top, width=width, height=height, fill="#ffffff")
    if title:
        _svg(root, "text", title, x=left + margin / 2, y=top + line, **{"font-size": 14})
    ties = _svg(root, "g", stroke="#8a9aa6", **{"class": "ties", "stroke-opacity": 0.6})
    for u, v, data in G.edges(data=True):
        (x1, y1), (x2, y2) = positions[u], positions[v]
        thickness = 0.6 + min(4.0, float(data.get("weight") or 0.0))
        _svg(ties, "line", x1=x1, y1=y1, x2=x2, y2=y2, **{"stroke-width": thickness})
    discs = _svg(root, "g", stroke="#ffffff", **{"class": "actors", "stroke-width": 1})
    for node, data in G.nodes(data=True):
        x, y = positions[node]
        fill = colours.get(data.get("sector") or "", unknown)
        _svg(_svg(discs, "circle", cx=x, cy=y, r=_radius(data), fill=fill), "title", data["label"])
    ranked = sorted(G.nodes(data=True), key=lambda n: (-(n[1].get("degree") or 0), str(n[0])))
    names = _svg(root, "g", fill="#1f2933", **{"class": "labels"})
    for node, data in ranked[: max(0, labelled)]:
        x, y = positions[node]
        _svg(names, "text", data["label"], x=x + _radius(data) + 2, y=y + 4)
    keys = _svg(root, "g", **{"class": "legend"})
    y = max(ys) + margin
    for code, label in legend.items():
        y += line
        _svg(keys, "circle", cx=left + margin / 2, cy=y - 4, r=5, fill=colours.get(code, unknown))
        _svg(keys, "text", label, x=left + margin / 2 + 10, y=y)
    return _document(root)


EMPTY_PICTURE = "Aucun acteur dans ce périmètre."


def to_png(
    G: nx.Graph,
    positions: Mapping[Hashable, tuple[float, float]],
    *,
    colours: Mapping[str, str],
    legend: Mapping[str, str] | None = None,
    title: str = "",
    labelled: int = 60,
    width: int = 1600,
) -> bytes:
    """A PNG picture of a graph made by :func:`export_graph`: the picture of :func:`to_svg`.

    White background; ties as grey lines as thick as their weight (capped), nodes as discs
    coloured by ``sector`` (``colours``: sector code -> CSS colour, "" for the unknown
    sector) and sized by ``degree``, the labels of the ``labelled`` nodes of highest degree,
    ``title`` above and ``legend`` (sector code -> French label) below. Drawn at twice the
    size and scaled down (anti-aliasing) unless the picture is very large. Text is drawn
    with Pillow's own font: a character it lacks shows as a box, control characters are
    dropped; a label too long for the picture is shortened with "...".

    Parameters
    ----------
    G : networkx.Graph
        Node attributes ``label``, ``sector`` and ``degree``; edge attribute ``weight``.
    positions : mapping
        Node -> ``(x, y)`` (as ``graph.analysis.layout.positions`` gives them, ``y``
        downwards): scaled to fit ``width`` (at most 1.5 times), the height following, up
        to twice the width.
    colours, legend, title, labelled
        As for :func:`to_svg`.
    width : int, optional (default=1600)
        Width of the image in pixels (at least 320).

    Returns
    -------
    bytes
        The PNG file, ``width`` pixels wide. A graph without nodes gives a small image with
        the title and "Aucun acteur dans ce périmètre.".

    Examples
    --------
    >>> G = export_graph(nx.Graph([("a", "b", {"weight": 1.0})]), unnamed_label="?")
    >>> png = to_png(G, {"a": (0, 0), "b": (60, 0)}, colours={"": "#999"}, width=400)
    >>> import io
    >>> Image.open(io.BytesIO(png)).size[0]
    400
    """
    legend = dict(legend or {})
    frame = _png_frame(G, positions, width=width, title=title, legend=len(legend))
    ss = 2 if frame.width * frame.height <= _SUPERSAMPLE_BELOW else 1
    image = Image.new("RGB", (frame.width * ss, frame.height * ss), "#ffffff")
    draw = ImageDraw.Draw(image, "RGBA")
    ink = ImageColor.getrgb(_PNG_INK)
    unknown = colours.get("", "#999999")
    if title:
        font = _font(_PNG_TITLE_SIZE * ss)
        text = _fit(draw, _drawable(title, font), font, (frame.width - _PNG_MARGIN) * ss)
        draw.text((_PNG_MARGIN / 2 * ss, _PNG_LINE * ss), text, font=font, fill=ink, anchor="ls")
    if not G:
        font = _font(_PNG_LEGEND_SIZE * ss)
        y = (frame.top + _PNG_LINE) * ss
        draw.text(
            (_PNG_MARGIN / 2 * ss, y),
            _drawable(EMPTY_PICTURE, font),
            font=font,
            fill=ink,
            anchor="ls",
        )
        return _png(image, frame)
    at = {node: frame.at(*positions[node]) for node in G}
    tie = (*ImageColor.getrgb(_PNG_TIE), 153)  # stroke-opacity 0.6
    for u, v, data in G.edges(data=True):
        thickness = (0.6 + min(4.0, float(data.get("weight") or 0.0))) * min(1.0, frame.scale)
        (x1, y1), (x2, y2) = at[u], at[v]
        draw.line([(x1 * ss, y1 * ss), (x2 * ss, y2 * ss)], fill=tie,
                  width=max(1, round(thickness * ss)))  # fmt: skip
    for node, data in G.nodes(data=True):
        x, y = at[node]
        r = frame.radius(data) * ss
        fill = ImageColor.getrgb(colours.get(data.get("sector") or "", unknown))
        draw.ellipse([x * ss - r, y * ss - r, x * ss + r, y * ss + r], fill=fill,
                     outline="#ffffff", width=ss)  # fmt: skip
    font = _font(_PNG_LABEL_SIZE * ss)
    ranked = sorted(G.nodes(data=True), key=lambda n: (-(n[1].get("degree") or 0), str(n[0])))
    for node, data in ranked[: max(0, labelled)]:
        x, y = at[node]
        gap = frame.radius(data) + 2
        text = _drawable(data.get("label") or "", font)
        right, left = frame.width - x - gap - 2, x - gap - 2
        if draw.textlength(text, font=font) <= right * ss or right >= left:
            spot, anchor, room = ((x + gap) * ss, y * ss), "lm", right
        else:
            spot, anchor, room = ((x - gap) * ss, y * ss), "rm", left
        draw.text(spot, _fit(draw, text, font, room * ss), font=font, fill=ink, anchor=anchor)
    font = _font(_PNG_LEGEND_SIZE * ss)
    y = frame.legend_top
    x = _PNG_MARGIN / 2
    for code, label in legend.items():
        y += _PNG_LINE
        fill = ImageColor.getrgb(colours.get(code, unknown))
        draw.ellipse([(x - 5) * ss, (y - 9) * ss, (x + 5) * ss, (y + 1) * ss], fill=fill)
        text = _fit(draw, _drawable(label, font), font, (frame.width - x - 12) * ss)
        draw.text(((x + 10) * ss, y * ss), text, font=font, fill=ink, anchor="ls")
    return _png(image, frame)


# --- the PNG picture ----------------------------------------------------------------------------

_PNG_MARGIN, _PNG_LINE = 40.0, 20.0
_PNG_TITLE_SIZE, _PNG_LABEL_SIZE, _PNG_LEGEND_SIZE = 16, 12, 13
_PNG_INK, _PNG_TIE = "#1f2933", "#8a9aa6"
# Anti-aliasing draws at twice the size: up to 3 million pixels (12 million drawn, 36 MB).
_SUPERSAMPLE_BELOW = 3_000_000
# Characters never drawn: controls (a line break would make a label two lines), unpaired
# surrogates, line and paragraph separators.
_NOT_DRAWN = frozenset(("Cc", "Cs", "Zl", "Zp"))


@dataclass(frozen=True)
class _Frame:
    """Where the picture's parts go, in output pixels: node ``(x, y)`` is drawn at
    ``(left + scale * x, top + scale * y)``; the legend's lines follow ``legend_top``."""

    width: int
    height: int
    scale: float
    left: float
    top: float
    legend_top: float

    def at(self, x: float, y: float) -> tuple[float, float]:
        return self.left + self.scale * x, self.top + self.scale * y

    def radius(self, data: Mapping) -> float:
        return _radius(data) * min(1.5, max(1.0, self.scale))


def _png_frame(
    G: nx.Graph,
    positions: Mapping[Hashable, tuple[float, float]],
    *,
    width: int,
    title: str,
    legend: int,
) -> _Frame:
    """The frame of :func:`to_png`'s picture of ``G`` (``legend``: how many legend lines)."""
    width = max(320, int(width))
    head = _PNG_LINE * 2 if title else 0.0
    if not G:
        top = _PNG_MARGIN / 2 + head
        return _Frame(width, math.ceil(top + _PNG_LINE * 2), 1.0, 0.0, top, top)
    xs = [float(positions[n][0]) for n in G]
    ys = [float(positions[n][1]) for n in G]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    keys = _PNG_LINE * legend + _PNG_LINE / 2
    scale = 1.5
    if span_x:
        scale = min(scale, (width - 2 * _PNG_MARGIN) / span_x)
    if span_y:
        room = max(100.0, 2 * width - 2 * _PNG_MARGIN - head - keys)
        scale = min(scale, room / span_y)
    left = (width - span_x * scale) / 2 - min(xs) * scale
    top = _PNG_MARGIN + head - min(ys) * scale
    legend_top = _PNG_MARGIN + head + span_y * scale + _PNG_MARGIN
    return _Frame(width, math.ceil(legend_top + keys), scale, left, top, legend_top)


# Fonts with accented Latin and Arabic letters, tried in order: DejaVu Sans (Debian's
# fonts-dejavu-core, installed by the Dockerfile) or a file named by TANSIQ_FONT. Arabic is
# shaped and laid out right to left when Pillow finds libraqm (its wheels bundle it; FriBiDi
# comes from the system). Without any of them, Pillow's own font: basic Latin only.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The first font of ``TANSIQ_FONT`` and ``FONT_FILES`` found, else Pillow's own font,
    at ``size`` pixels."""
    for path in (os.environ.get("TANSIQ_FONT"), *FONT_FILES):
        if path and os.path.isfile(path):
            return ImageFont.truetype(path, size=size)
    return ImageFont.load_default(size=size)


def _drawable(text: str, font: Any) -> str:
    """``text`` on one line (runs of white space as one space) as ``font`` can draw it: the
    characters of ``_NOT_DRAWN`` dropped, a letter the font lacks without its accent (or as
    ``_PLAIN`` writes it), else left to show as a box (a "?" with a font of 256 characters)."""
    out = []
    for c in " ".join(str(text).split()):
        if unicodedata.category(c) in _NOT_DRAWN:
            continue
        if _has_glyph(font, c):
            out.append(c)
            continue
        plain = _PLAIN.get(c) or "".join(
            x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)
        )
        if plain and all(_has_glyph(font, x) for x in plain):
            out.append(plain)
        else:
            out.append(c if isinstance(font, ImageFont.FreeTypeFont) else "?")
    return "".join(out)


# What a letter or sign the font lacks becomes, when taking its accent away is not enough.
_PLAIN = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "‘": "'", "’": "'",
          "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}  # fmt: skip


@cache
def _has_glyph(font: Any, c: str) -> bool:
    """Whether ``font`` draws ``c`` (not its box for a missing character)."""
    try:
        return _glyph(font, c) != _glyph(font, "\ue000")  # a private use character
    except (UnicodeError, ValueError):
        return False


def _glyph(font: Any, c: str) -> tuple | None:
    try:
        mask = font.getmask(c)
    except UnicodeError:  # the 256 characters of Pillow's bitmap font
        if c == "\ue000":
            return None
        raise
    return mask.size, bytes(mask)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Any, room: float) -> str:
    """``text``, shortened with "..." so that it is no wider than ``room`` pixels."""
    if draw.textlength(text, font=font) <= room:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle].rstrip() + "...", font=font) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "..." if low else ""


def _png(image: Image.Image, frame: _Frame) -> bytes:
    if image.width != frame.width:
        image = image.resize((frame.width, frame.height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# --- helpers ------------------------------------------------------------------------------------

_GEXF_TYPES = {str: "string", int: "integer", float: "double", bool: "boolean"}
_GRAPHML_TYPES = {str: "string", int: "int", float: "double", bool: "boolean"}


def _flat_metrics(row: Mapping[str, Any]) -> dict:
    flat = {k: v for k, v in row.items() if not isinstance(v, (dict, list, tuple, set))}
    roles = row.get("roles") or {}
    flat.update({f"brokerage_{role}": roles.get(role) for role in _ROLES if role in roles})
    return flat


def _svg(parent: ET.Element | None, tag: str, text: str | None = None, **attributes) -> ET.Element:
    """An SVG element (numbers written with one decimal), under ``parent`` if given."""
    values = {k: f"{v:.1f}" if isinstance(v, float) else str(v) for k, v in attributes.items()}
    element = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _radius(data: Mapping) -> float:
    return 4.0 + 1.5 * min(20.0, float(data.get("degree") or 0)) ** 0.5


def _typed(value: Any, kind: type) -> Any:
    """``value`` as ``kind``; None (and "" for a number or a flag) stays None."""
    if value is None or (kind is not str and value == ""):
        return None
    if kind is str:
        return _xml_text(value)
    if kind is bool:
        return bool(value)
    return kind(value)


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return _xml_text(value)


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


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
