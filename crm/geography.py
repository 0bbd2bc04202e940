"""The geographic view: the communes of an analysis placed by their centroids and coloured
by an indicator, with the ties between communes drawn on top. No map tiles: the page draws
the points itself (``place`` projects them on a canvas).

Communes without a centroid (the centroids file covers the programme's five regions) are
returned apart, never dropped. The actor's scope applies as for the analysis: an officer
sees their territory's communes only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

from crm import dashboard, network
from crm.access import Actor
from crm.transactions import reads

__all__ = ["INDICATORS", "WIDTH", "geographic_view", "legend_classes", "place"]

# code -> (French label, help, True when a higher value is better)
INDICATORS: dict[str, tuple[str, str, bool]] = {
    "gaps": (
        "Lacunes de coordination",
        "Nombre de lacunes relevées dans la commune par les règles de coordination. Plus la "
        "couleur est foncée, plus il y a de manques à traiter.",
        False,
    ),
    "density": (
        "Densité",
        "Part des liens possibles entre les organisations de la commune qui existent (0 à 1). "
        "Foncé : les acteurs de la commune travaillent beaucoup ensemble.",
        True,
    ),
    "engaged": (
        "Associations engagées",
        "Associations de la commune qui, sur la période, ont organisé un événement, y ont "
        "envoyé quelqu'un ou ont pris part à une interaction.",
        True,
    ),
    "events": (
        "Événements",
        "Événements (non annulés) tenus dans la commune sur la période.",
        True,
    ),
}

WIDTH = 600.0
MARGIN = 16.0
CLASSES = 5
# Sequential palettes, light to dark (ColorBrewer YlGn and OrRd, colour-blind safe).
GOOD = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")
BAD = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
NO_DATA = "#bdbdbd"


@reads
def geographic_view(actor: Actor, form: dict, today: date) -> dict:
    """The communes of ``form``'s scope on a canvas, coloured by ``form["indicateur"]``.

    Returns ``analysis``, ``indicator`` (code), ``located`` (communes with ``x``, ``y``,
    ``value``, ``color``), ``unlocated`` (communes without a centroid, with their value),
    ``ties`` (between located communes: ``x1``…``y2``, ``ties``, ``weight``, ``width``,
    names), ``radius`` (of a point), ``legend`` (``legend_classes``), ``width`` and
    ``height`` of the canvas.
    ``Invalid`` on the scope's fields.
    """
    code = form.get("indicateur") if form.get("indicateur") in INDICATORS else "gaps"
    analysis = network.analyse(actor, form, today)
    figures = dashboard.territory_figures(actor, form, today, analysis)
    rows = [{**row, "value": row.get(code)} for row in figures["communes"]]
    located, height = place([r for r in rows if r["lat"] is not None and r["lon"] is not None])
    unlocated = sorted(
        (r for r in rows if r["lat"] is None or r["lon"] is None),
        key=lambda r: (r["name"].lower(), r["code"]),
    )
    higher_is_better = INDICATORS[code][2]
    legend = legend_classes([r["value"] for r in rows], code == "density", higher_is_better)
    for row in located:
        row["color"] = _color(row["value"], legend)
    at = {r["code"]: r for r in located}
    ties = []
    heaviest = max((t["ties"] for t in figures["ties"]), default=1)
    for tie in figures["ties"]:
        a, b = at.get(tie["a"]), at.get(tie["b"])
        if a is None or b is None:
            continue
        ties.append(
            {
                **tie,
                "x1": a["x"],
                "y1": a["y"],
                "x2": b["x"],
                "y2": b["y"],
                "a_name": a["name"],
                "b_name": b["name"],
                "width": round(1 + 4 * math.sqrt(tie["ties"] / heaviest), 2),
            }
        )
    # Points as large as the canvas allows: big for a few communes, smaller for hundreds.
    radius = round(min(10.0, max(4.0, WIDTH / 4 / math.sqrt(max(len(located), 1)))), 1)
    return {
        "analysis": analysis,
        "indicator": code,
        "radius": radius,
        "located": located,
        "unlocated": unlocated,
        "ties": ties,
        "legend": legend,
        "width": WIDTH,
        "height": height,
    }


def place(rows: Iterable[Mapping], width: float = WIDTH) -> tuple[list[dict], float]:
    """The rows (with ``lat`` and ``lon`` in degrees) projected on a canvas ``width`` wide
    (equirectangular projection, scaled by the cosine of the mean latitude so that distances
    look right at Morocco's latitudes; north up), with ``x`` and ``y`` added; returns them
    and the canvas's height. One point sits in the middle of a square canvas.

    >>> rows, height = place([{"lat": 35.0, "lon": -6.0}, {"lat": 34.0, "lon": -2.0}], 100)
    >>> [(round(r["x"]), round(r["y"])) for r in rows], round(height)
    ([(16, 16), (84, 37)], 53)
    """
    rows = [dict(r) for r in rows]
    if not rows:
        return [], width / 2
    lats = [float(r["lat"]) for r in rows]
    lons = [float(r["lon"]) for r in rows]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    xs = [lon * shrink for lon in lons]
    span_x, span_y = max(xs) - min(xs), max(lats) - min(lats)
    inner = width - 2 * MARGIN
    scale = inner / max(span_x, span_y) if max(span_x, span_y) > 0 else 0.0
    height = (span_y * scale if span_x or span_y else inner) + 2 * MARGIN
    for row, x, lat in zip(rows, xs, lats, strict=True):
        if scale:
            row["x"] = round(MARGIN + (x - min(xs)) * scale, 1)
            row["y"] = round(MARGIN + (max(lats) - lat) * scale, 1)
        else:
            row["x"], row["y"] = width / 2, height / 2
    # A canvas at least a third as high as wide, so that a line of communes stays legible.
    if height < width / 3:
        shift = (width / 3 - height) / 2
        for row in rows:
            row["y"] = round(row["y"] + shift, 1)
        height = width / 3
    return rows, round(height, 1)


def legend_classes(values: Iterable, fractional: bool, higher_is_better: bool) -> list[dict]:
    """Up to ``CLASSES`` classes of equal width from 0 to the largest value, each
    ``{low, high, label, color}``, then a "no data" class when a value is missing.

    >>> [c["label"] for c in legend_classes([0, 1, 2, None], False, True)]
    ['0', '1', '2', 'Pas de donnée']
    >>> [c["label"] for c in legend_classes([0.5, 1.0], True, True)][:2]
    ['0 – 0,2', '0,2 – 0,4']
    """
    values = list(values)
    known = [v for v in values if v is not None]
    palette = GOOD if higher_is_better else BAD
    top = max(known, default=0)
    classes = []
    if not fractional and top < CLASSES:
        # Few whole values: one class each, 0 included.
        count = int(top) + 1
        for i in range(count):
            shade = palette[round(i * (len(palette) - 1) / max(count - 1, 1))]
            classes.append({"low": i, "high": i, "label": str(i), "color": shade})
    else:
        step = (top or 1) / CLASSES
        for i in range(CLASSES):
            low, high = i * step, (i + 1) * step
            if fractional:
                label = f"{_number(low)} – {_number(high)}"
            else:
                # Whole numbers: each class starts after the previous one's top.
                low = classes[-1]["high"] + 1 if classes else 0
                high = math.floor(high)
                if low > high:
                    continue
                label = str(low) if low == high else f"{low} – {high}"
            classes.append({"low": low, "high": high, "label": label, "color": palette[i]})
    if len(known) < len(values):
        classes.append({"low": None, "high": None, "label": "Pas de donnée", "color": NO_DATA})
    return classes


def _color(value: object, legend: list[dict]) -> str:
    if value is None:
        return NO_DATA
    for cls in legend:
        if cls["high"] is not None and value <= cls["high"] + 1e-9:
            return cls["color"]
    return legend[-1]["color"] if legend and legend[-1]["high"] is not None else NO_DATA


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
