"""The interactive network map: what the browser draws for an analysis scope, as compact JSON.

``network_map`` is the use case (the scope of ``crm.network.read_scope`` plus the map's
options, within the actor's own scope as ``crm.network.scoped_graphs`` applies it);
``map_payload`` is the pure part that turns a networkx graph and its positions into the JSON
(the benchmark and the exports call it on graphs of their own).

The JSON, for ``webui/static/js/network-map.js``:

- ``nodes``: ``{id, label, group, size, value, x, y, url, place}`` — ``label`` is plain
  text (people who may not be named are "Personne non nommée", and have no ``url``);
  ``group`` is a key of ``legend``; ``size`` in pixels from ``value`` (the chosen metric);
  ``x``/``y`` fixed positions (``graph.analysis.layout.positions``), so the browser runs no
  physics; ``place`` is the commune's name.
- ``edges``: ``[from, to, weight, kinds, freshness]`` arrays (indexes into ``nodes``;
  ``kinds`` a bit mask over ``tie_kinds``; ``freshness`` an index into ``freshness``): an
  object per tie would triple the size of a large map.
- ``legend`` (``{key, label, color, count}``), ``tie_kinds`` (``{code, label, color}``, the
  first of a tie's kinds in this order gives its colour), ``freshness`` (labels), and what
  was drawn: ``level``, ``view``, ``colour_by``, ``size_by``, ``ego``, ``nodes_total``…
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from datetime import date

import networkx as nx

from crm import audit, network, versioned_cache
from crm.access import Actor
from crm.errors import Invalid
from crm.transactions import reads
from crm.validation import Errors
from graph import team
from graph.analysis.layout import AGGREGATE_ABOVE, aggregate, positions
from graph.vocabulary import ORGANISATION_KINDS, SECTORS

__all__ = [
    "AGGREGATE_ABOVE",
    "COLOURS",
    "FRESHNESS",
    "MAP_FIELDS",
    "SIZES",
    "STEPS",
    "VIEWS",
    "map_options",
    "map_payload",
    "network_map",
]

# Query-string names of the map's options (next to the scope's, crm.network.read_scope).
MAP_FIELDS = ("couleur", "taille", "vue", "ego", "pas")

COLOURS = {
    "sector": "Secteur",
    "kind": "Type d'acteur (organisations) ou genre (personnes)",
    "community": "Groupe (communautés détectées)",
}
SIZES = {code: label for code, (label, _help) in network.METRICS.items() if code != "community"}
VIEWS = {
    "": f"Automatique (détail jusqu'à {AGGREGATE_ABOVE:,} acteurs)".replace(",", " "),
    "detail": "Chaque acteur",
    "commune": "Regroupée par commune",
    "province": "Regroupée par province",
    "region": "Regroupée par région",
}
STEPS = {"1": "1 pas (ses contacts directs)", "2": "2 pas (et les contacts de ses contacts)"}

# How recent a tie's last record is: (at most so many days, label); the last one has no date.
FRESHNESS = [
    (90, "Moins de 3 mois"),
    (365, "3 à 12 mois"),
    (None, "Plus d'un an"),
    (None, "Sans date"),
]

# Tie kinds in the order that picks a tie's colour (the most formal first), and colours.
_TIE_COLOURS = {
    "partnership": "#c0392b",
    "shared_member": "#8e44ad",
    "interaction": "#2471a3",
    "co_attendance": "#7f8c8d",
    "shared_affiliation": "#b9770e",
}
# 16 colours told apart on screen and in print (Tableau 10, then six darker ones).
PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f4e79", "#8c510a", "#01665e", "#762a83", "#b2182b", "#4d4d4d",
]  # fmt: skip
OTHER_COLOUR = "#c8c8c8"
GENDERS = {"f": "Femme", "m": "Homme"}
UNKNOWN = "Non renseigné"
SMALLEST, LARGEST = 6, 36  # node sizes, pixels
LAYOUT_SEED = 2026


def map_options(form: Mapping) -> dict:
    """The map's options from a form (``couleur``, ``taille``, ``vue``, ``ego``, ``pas``),
    with their defaults; ``Invalid`` with French messages on those keys."""
    errors = Errors()
    colour = form.get("couleur") or "sector"
    size = form.get("taille") or "degree"
    view = form.get("vue") or ""
    steps = form.get("pas") or "1"
    errors.check("couleur", colour in COLOURS, "Choisissez une couleur de la liste.")
    errors.check("taille", size in SIZES, "Choisissez un indicateur de la liste.")
    errors.check("vue", view in VIEWS, "Choisissez une vue de la liste.")
    errors.check("pas", steps in STEPS, "Choisissez 1 ou 2 pas.")
    errors.raise_if_any()
    return {"colour": colour, "size": size, "view": view,
            "ego": str(form.get("ego") or "").strip(), "steps": int(steps)}  # fmt: skip


# Maps computed by this process, as crm.network caches analyses (same key, plus the options).
CACHE_SIZE = 16


@reads
def network_map(
    actor: Actor, form: Mapping, today: date, links: Mapping[str, str] | None = None
) -> dict:
    """The map of ``form``'s scope (``crm.network.read_scope``) with its options
    (``map_options``), as JSON-ready data (see the module's docstring).

    ``links``: kind (``organisation``, ``person``, ``commune``, ``province``, ``region``) ->
    the address of a record's page with ``__uid__`` in place of its uid or code.
    ``Invalid`` on a bad scope or option, or (key ``ego``) an actor not in the network.
    Audited when the map names people.
    """
    scope = network.read_scope(dict(form), today)
    options = map_options(form)
    key = (
        json.dumps(actor.scope.as_params(), sort_keys=True),
        json.dumps(scope.as_dict(), sort_keys=True),
        json.dumps(options, sort_keys=True),
        json.dumps(dict(links or {}), sort_keys=True),
        today.isoformat(),
    )
    result = versioned_cache.cached(
        "maps",
        key,
        lambda: _network_map(actor, form, today, options, links or {}),
        size=CACHE_SIZE,
    )
    if scope.level == "person" and result["view"] == "detail":
        audit.record(
            actor,
            "analysis",
            target_kind="network",
            summary="Carte du réseau des personnes",
            details={"scope": scope.as_dict(), "nodes": len(result["nodes"]),
                     "ties": len(result["edges"]), "ego": options["ego"] or None},
        )  # fmt: skip
    return result


def _network_map(
    actor: Actor, form: Mapping, today: date, options: dict, links: Mapping[str, str]
) -> dict:
    graphs = network.scoped_graphs(actor, dict(form), today)
    G = graphs.level()
    total = G.number_of_nodes()
    ego = None
    if options["ego"]:
        if options["ego"] not in G:
            raise Invalid({"ego": "Cet acteur n'est pas dans le réseau de ce périmètre."})
        ego = options["ego"]
        G = nx.ego_graph(G, ego, radius=options["steps"])
    view = options["view"] or ("commune" if total > AGGREGATE_ABOVE and not ego else "detail")
    codes = {d.get(p) for _, d in G.nodes(data=True) for p in ("commune", "province", "region")}
    places = {u["code"]: u["name_fr"] for u in team.territory_units(sorted(codes - {"", None}))}
    if view == "detail":
        metrics = _metrics(actor, form, today, G, options)
        drawn = G
    else:
        drawn = aggregate(G, view, labels=places)
        metrics = {n: {"members": d["members"]} for n, d in drawn.nodes(data=True)}
    payload = map_payload(
        drawn,
        positions(drawn, seed=LAYOUT_SEED),
        colour_by="region" if view != "detail" else options["colour"],
        size_by="members" if view != "detail" else options["size"],
        metrics=metrics,
        places=places,
        links=links,
        today=today,
    )
    payload.update(
        level=graphs.scope.level,
        view=view,
        nodes_total=total,
        aggregate_above=AGGREGATE_ABOVE,
        territory=graphs.scope.territory_name,
        ego=(
            {"id": ego, "label": _label(G.nodes[ego]), "steps": options["steps"]} if ego else None
        ),
    )
    return payload


def _metrics(actor: Actor, form: Mapping, today: date, G: nx.Graph, options: dict) -> dict:
    """Node -> the metrics the map needs: degrees from the graph itself; the others (and
    communities) from the cached analysis of the whole scope."""
    if options["size"] in ("degree", "weighted_degree") and options["colour"] != "community":
        return {
            node: {"degree": G.degree(node), "weighted_degree": G.degree(node, weight="weight")}
            for node in G
        }
    rows = network.analyse(actor, dict(form), today)["actors"]
    return {row["uid"]: row for row in rows if row["uid"] in G}


def map_payload(
    G: nx.Graph,
    xy: Mapping,
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    metrics: Mapping | None = None,
    places: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    today: date | None = None,
) -> dict:
    """The map's JSON for graph ``G`` drawn at positions ``xy`` (no database).

    Parameters
    ----------
    G : networkx.Graph
        A projection of ``graph.projections`` (or its ``aggregate``): node attributes
        ``kind``, ``name``, ``named``, ``sector``, ``org_kind``, ``gender``, ``commune``,
        ``region``; edge attributes ``weight``, ``kinds``, ``last`` (ISO date).
    xy : mapping
        Node -> ``(x, y)``.
    colour_by : {"sector", "kind", "community", "region"}
    size_by : str
        A key of each node's ``metrics`` (``degree`` computed from ``G`` when absent).
    metrics : mapping, optional
        Node -> ``{metric: value}`` (the rows of ``crm.network.analyse``'s ``actors``).
    places : mapping, optional
        HCP code -> name (communes for ``place``, regions for the legend).
    links : mapping, optional
        Node kind -> record page address with ``__uid__`` for the node.
    today : date, optional
        For the ties' freshness (all "Sans date" without it).
    """
    metrics = metrics or {}
    places = places or {}
    links = links or {}
    order = sorted(G, key=str)
    index = {node: i for i, node in enumerate(order)}
    groups = {node: _group(G.nodes[node], metrics.get(node, {}), colour_by) for node in order}
    legend = _legend(groups.values(), colour_by, places)
    values = {node: _value(G, node, metrics.get(node, {}), size_by) for node in order}
    sizes = _sizes(values)
    nodes = []
    for node in order:
        data = G.nodes[node]
        x, y = xy.get(node, (0.0, 0.0))
        named = bool(data.get("named", True))
        template = links.get(data.get("kind") or "")
        nodes.append(
            {
                "id": str(node),
                "label": _label(data),
                "group": groups[node],
                "size": sizes[node],
                "value": _round(values[node]),
                "x": round(x),
                "y": round(y),
                "url": template.replace("__uid__", str(node)) if template and named else None,
                "place": places.get(data.get("commune") or "", ""),
            }
        )
    tie_kinds = list(_TIE_COLOURS)
    bit = {code: 1 << i for i, code in enumerate(tie_kinds)}
    edges = [
        [
            index[u],
            index[v],
            round(float(d.get("weight", 1.0)), 2),
            sum(bit.get(k, 0) for k in d.get("kinds") or ()),
            _freshness(d.get("last"), today),
        ]
        for u, v, d in sorted(G.edges(data=True), key=lambda e: (index[e[0]], index[e[1]]))
    ]
    return {
        "colour_by": colour_by,
        "colour_label": COLOURS.get(colour_by, "Région"),
        "size_by": size_by,
        "size_label": SIZES.get(size_by, "Nombre d'acteurs regroupés"),
        "legend": legend,
        "tie_kinds": [
            {"code": c, "label": network.TIE_KIND_LABELS[c], "color": _TIE_COLOURS[c]}
            for c in tie_kinds
        ],
        "freshness": [label for _, label in FRESHNESS],
        "nodes": nodes,
        "edges": edges,
    }


def _label(data: Mapping) -> str:
    if data.get("kind") == "person" and not data.get("named"):
        return network.UNNAMED
    return str(data.get("name") or "")


def _group(data: Mapping, row: Mapping, colour_by: str) -> str:
    if colour_by == "community":
        found = row.get("community")
        return "" if found is None else str(found)
    if colour_by == "kind":
        return data.get("org_kind" if data.get("kind") == "organisation" else "gender") or ""
    if colour_by == "region":
        return (data.get("region") or "") if "code" in data and "members" in data else ""
    return data.get("sector") or ""


def _legend(groups, colour_by: str, places: Mapping[str, str]) -> list[dict]:
    counts = Counter(groups)
    if colour_by == "community":
        ranked = sorted((k for k in counts if k), key=lambda k: (-counts[k], int(k)))
        named = {k: f"Groupe {i + 1}" for i, k in enumerate(ranked)}
    else:
        names: Mapping[str, str] = {
            "sector": SECTORS,
            "kind": {**ORGANISATION_KINDS, **GENDERS},
            "region": places,
        }.get(colour_by, {})
        ranked = [k for k in names if k in counts] + sorted(
            k for k in counts if k and k not in names
        )
        named = {k: names.get(k, k) for k in ranked}
    legend = [
        {"key": k, "label": named[k], "color": PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR,
         "count": counts[k]}
        for i, k in enumerate(ranked)
    ]  # fmt: skip
    if counts.get(""):
        other = "Sans commune" if colour_by == "region" else UNKNOWN
        legend.append({"key": "", "label": other, "color": OTHER_COLOUR, "count": counts[""]})
    return legend


def _value(G: nx.Graph, node, row: Mapping, size_by: str) -> float | None:
    if size_by in row:
        return row[size_by]
    if size_by == "degree":
        return G.degree(node)
    if size_by == "weighted_degree":
        return G.degree(node, weight="weight")
    return None


def _sizes(values: Mapping) -> dict:
    """Pixel sizes from values: the square root of the value's place between the smallest
    and the largest (so that areas, not diameters, follow the values)."""
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0, 0)
    span = high - low
    return {
        node: SMALLEST
        if v is None or span <= 0
        else round(SMALLEST + (LARGEST - SMALLEST) * math.sqrt((v - low) / span), 1)
        for node, v in values.items()
    }


def _round(value: float | None) -> float | None:
    if value is None or isinstance(value, int):
        return value
    return float(f"{value:.4g}")


def _freshness(last: str | None, today: date | None) -> int:
    if not last or today is None:
        return len(FRESHNESS) - 1
    days = (today - date.fromisoformat(last)).days
    for i, (limit, _label) in enumerate(FRESHNESS[:-2]):
        if days <= limit:
            return i
    return len(FRESHNESS) - 2
