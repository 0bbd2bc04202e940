"""Pictures of a network at given positions, from the graph ``graph.analysis.io.export_graph``
makes: :func:`to_svg` (SVG, its text escaped as XML) and :func:`to_png` (the same picture as a
PNG image, drawn with Pillow, labels in a font with accents and Arabic when the machine has
one). An actor who may not be named is drawn with the given label only.
"""

from __future__ import annotations

import io
import math
import os
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx
from PIL import Image, ImageColor, ImageDraw, ImageFont

from graph.analysis.io import xml_document, xml_text

__all__ = ["EMPTY_PICTURE", "to_png", "to_svg"]


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
    >>> from graph.analysis.io import export_graph
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
    return xml_document(root)


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
    >>> from graph.analysis.io import export_graph
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


def _svg(parent: ET.Element | None, tag: str, text: str | None = None, **attributes) -> ET.Element:
    """An SVG element (numbers written with one decimal), under ``parent`` if given."""
    values = {k: f"{v:.1f}" if isinstance(v, float) else str(v) for k, v in attributes.items()}
    element = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        element.text = xml_text(text)
    return element


def _radius(data: Mapping) -> float:
    return 4.0 + 1.5 * min(20.0, float(data.get("degree") or 0)) ** 0.5
