"""Exports of the analysed network, for Gephi, spreadsheets and other tools: GEXF 1.3,
GraphML, CSV of the actors and of the ties, JSON node-link, an XLSX workbook of the
metrics, the coordination gaps and the regions side by side, and pictures of the map (a
standalone HTML map, SVG and PNG images).

The network is the one the analysis pages show for the same scope form
(``crm.network.read_scope``), within the actor's own scope (``crm.network.scoped_graphs``):
an officer's export holds their territory and the shared national institutions only.
People under opposition or anonymised are never named: their node is labelled
"Personne non nommée" and carries no name, gender or age band (``graph.analysis.io``).
Every export is audited: the format, the scope and how many actors and ties it holds.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import networkx as nx
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from crm import audit, dashboard, network
from crm.access import Actor, require_role
from crm.csvcell import safe_cell
from crm.errors import NotFound
from crm.exports import EXPORT_ROLES
from crm.transactions import reads
from graph.analysis import io as formats
from graph.analysis import pictures
from graph.analysis.gaps import SEVERITIES
from graph.vocabulary import ORGANISATION_KINDS, SECTORS

__all__ = [
    "FORMATS",
    "SECTOR_COLOURS",
    "Download",
    "ExportFormat",
    "export_choices",
    "export_network",
    "standalone_map",
]


@dataclass(frozen=True)
class ExportFormat:
    """A format the network can be exported in: French name and use, file suffix, type."""

    name: str
    use: str
    suffix: str
    mimetype: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Code (as the export address names it) -> format.
FORMATS: dict[str, ExportFormat] = {
    "gexf": ExportFormat(
        "GEXF 1.3",
        "Pour Gephi : acteurs, liens et tous les indicateurs comme attributs.",
        ".gexf",
        "application/gexf+xml",
    ),
    "graphml": ExportFormat(
        "GraphML",
        "Pour Gephi, yEd, Cytoscape ou R/Python : le même contenu que le GEXF.",
        ".graphml",
        "application/graphml+xml",
    ),
    "csv-acteurs": ExportFormat(
        "CSV des acteurs",
        "Un acteur par ligne avec ses indicateurs (Excel, ou Gephi : table des nœuds).",
        "-acteurs.csv",
        "text/csv",
    ),
    "csv-liens": ExportFormat(
        "CSV des liens",
        "Un lien par ligne : les deux acteurs, le poids, les types de lien (Gephi : table "
        "des liens).",
        "-liens.csv",
        "text/csv",
    ),
    "json": ExportFormat(
        "JSON (node-link)",
        "Pour les scripts et la visualisation web (D3, networkx).",
        ".json",
        "application/json",
    ),
    "html": ExportFormat(
        "Carte autonome (HTML)",
        "Un seul fichier à envoyer par e-mail : la carte s'ouvre dans un navigateur, sans "
        "connexion (recherche, info-bulles, image PNG).",
        ".html",
        "text/html",
    ),
    "svg": ExportFormat(
        "Image de la carte (SVG)",
        "Pour un rapport : acteurs colorés par secteur, taille selon leurs liens, légende.",
        ".svg",
        "image/svg+xml",
    ),
    "png": ExportFormat(
        "Image de la carte (PNG)",
        "Pour un diaporama ou un e-mail : la même carte en image, légende comprise (pour un "
        "rapport imprimé, le SVG reste net à toute taille).",
        ".png",
        "image/png",
    ),
    "xlsx": ExportFormat(
        "Classeur Excel",
        "Indicateurs par acteur, lacunes par commune, comparaison des régions, définitions.",
        ".xlsx",
        XLSX,
    ),
}


@dataclass(frozen=True)
class Download:
    """A file to hand to the user."""

    content: bytes
    mimetype: str
    filename: str


# Sector code -> colour of its actors on a map ("": unknown sector), Okabe-Ito's palette
# (told apart by colour-blind readers).
SECTOR_COLOURS: dict[str, str] = {
    "central_state": "#0072B2",
    "deconcentrated_state": "#56B4E9",
    "territorial_collectivity": "#009E73",
    "civil_society": "#E69F00",
    "private": "#CC79A7",
    "academia": "#D55E00",
    "donor": "#7F3C8D",
    "media": "#999933",
    "": "#8C8C8C",
}

_LABELS = {"org_kind": ORGANISATION_KINDS, "sector": SECTORS, "kinds": network.TIE_KIND_LABELS}


@reads
def export_network(actor: Actor, form: dict, fmt: str, today: date) -> Download:
    """The network of ``form``'s scope (as ``crm.network.read_scope`` reads it) in the
    format ``fmt`` (a code of ``FORMATS``), within the actor's scope; audited.

    Export roles only (``Forbidden`` otherwise); ``Invalid`` for a bad scope form,
    ``NotFound`` for an unknown format and for "html" (``standalone_map`` gives its data).
    An empty scope gives a valid file without actors.
    """
    require_role(actor, *EXPORT_ROLES)
    if fmt not in FORMATS or fmt == "html":
        raise NotFound("Format d'export inconnu.")
    if fmt == "xlsx":
        return _workbook(actor, form, today)
    scope, flat = _exported_graph(actor, form, today)
    if fmt == "svg":
        content = pictures.to_svg(
            flat, _positions(flat), colours=SECTOR_COLOURS, legend=_legend(flat),
            title=_description(scope),
        )  # fmt: skip
    elif fmt == "png":
        content = pictures.to_png(
            flat, _positions(flat), colours=SECTOR_COLOURS, legend=_legend(flat),
            title=_description(scope),
        )  # fmt: skip
    elif fmt == "gexf":
        content = formats.to_gexf13(flat, description=_description(scope), day=today.isoformat())
    elif fmt == "graphml":
        content = formats.to_graphml(flat)
    elif fmt == "json":
        about = {"description": _description(scope), "scope": scope.as_dict(),
                 "exported_on": today.isoformat()}  # fmt: skip
        content = json.dumps(formats.node_link(flat, about), ensure_ascii=False, indent=1).encode()
    else:
        table = formats.node_table if fmt == "csv-acteurs" else formats.edge_table
        content = _csv(*table(flat))
    _trace(actor, fmt, scope, _graph_size(flat))
    return Download(content, FORMATS[fmt].mimetype, _filename(scope, fmt, today))


@reads
def export_choices(actor: Actor, form: dict, today: date) -> dict:
    """What the exports page offers for ``form``'s scope: ``description`` of the scope
    (``Invalid`` for a bad form), ``formats`` (``FORMATS``) and ``allowed`` (whether the
    actor's role may export)."""
    scope = network.read_scope(form, today)
    return {
        "description": _description(scope),
        "formats": FORMATS,
        "allowed": actor.role in EXPORT_ROLES,
    }


@reads
def standalone_map(actor: Actor, form: dict, today: date) -> dict:
    """What the standalone HTML map of ``form``'s scope shows (the web layer writes the
    file): ``description``, ``filename``, ``legend`` (``[{label, colour}]``) and ``data``
    (``nodes`` with ``id``, ``label``, ``x``, ``y``, ``size``, ``colour`` and ``tip``, the
    lines of their tooltip; ``edges`` with ``from``, ``to``, ``width``, ``tip``), positions
    computed here so the browser simulates nothing. Export roles only; audited as the other
    exports."""
    require_role(actor, *EXPORT_ROLES)
    scope, flat = _exported_graph(actor, form, today)
    spots = _positions(flat)
    nodes = [
        {"id": node, "label": data["label"], "x": spots[node][0], "y": spots[node][1],
         "size": round(6 + 3 * min(20, data.get("degree") or 0) ** 0.5, 1),
         "colour": SECTOR_COLOURS.get(data.get("sector") or "", SECTOR_COLOURS[""]),
         "tip": _node_tip(data)}
        for node, data in flat.nodes(data=True)
    ]  # fmt: skip
    edges = [
        {"from": u, "to": v, "width": round(1 + min(4.0, data.get("weight") or 0.0), 2),
         "tip": f"{data.get('kinds_label') or ''} (poids {data.get('weight') or 0:.2f})"}
        for u, v, data in flat.edges(data=True)
    ]  # fmt: skip
    _trace(actor, "html", scope, _graph_size(flat))
    return {
        "description": _description(scope),
        "filename": _filename(scope, "html", today),
        "exported_on": today.isoformat(),
        "nodes": flat.number_of_nodes(),
        "ties": flat.number_of_edges(),
        "legend": [
            {"label": label, "colour": SECTOR_COLOURS[code]}
            for code, label in _legend(flat).items()
        ],  # fmt: skip
        "data": {"nodes": nodes, "edges": edges},
    }


def _exported_graph(
    actor: Actor, form: dict, today: date
) -> tuple[network.AnalysisScope, nx.Graph]:
    """The scope of ``form`` and its network with metrics, as the formats write it."""
    graphs = network.scoped_graphs(actor, form, today)
    G = graphs.level()
    rows, _ = network.actor_metrics(G)
    flat = formats.export_graph(
        G, {row["uid"]: row for row in rows}, unnamed_label=network.UNNAMED, labels=_LABELS
    )
    return graphs.scope, flat


def _positions(G: nx.Graph) -> dict:
    """Stable positions of the map (the maps' own layout, ``graph.analysis.layout``)."""
    # Imported here so that the other formats do not depend on it: the layout module came
    # with the interactive maps' branch.
    from graph.analysis.layout import positions

    return positions(G)


def _legend(G: nx.Graph) -> dict[str, str]:
    """Sector code -> label, for the sectors present (unknown last)."""
    present = {data.get("sector") or "" for _, data in G.nodes(data=True)}
    legend = {code: label for code, label in SECTORS.items() if code in present}
    if "" in present:
        legend[""] = "Secteur non renseigné"
    return legend


def _node_tip(data: dict) -> list[str]:
    lines = [data["label"], data.get("sector_label") or data.get("kind_label") or ""]
    if data.get("org_kind_label"):
        lines.append(data["org_kind_label"])
    if data.get("commune"):
        lines.append(f"Commune {data['commune']}")
    for code in ("degree", "betweenness"):
        value = data.get(code)
        if value is not None:
            label = network.METRICS[code][0]
            lines.append(
                f"{label} : {value}" if isinstance(value, int) else f"{label} : {value:.3f}"
            )
    return [line for line in lines if line]


def _workbook(actor: Actor, form: dict, today: date) -> Download:
    """The XLSX workbook: scope and overall figures, metrics per actor, gaps per commune,
    regions side by side, definitions."""
    analysis = network.analyse(actor, form, today)
    scope = network.read_scope(form, today)
    # The regions as the dashboard compares them (one definition of each figure).
    regions = dashboard.territory_figures(actor, form, today, analysis)["regions"]
    book = Workbook()
    first = book.active
    first.title = "Périmètre"
    _table(first, ["Élément", "Valeur"], _scope_rows(scope, today) + _overall_rows(analysis))
    metric_codes = list(network.METRICS)
    _table(
        book.create_sheet("Indicateurs"),
        ["Id", "Acteur", "Type d'organisation", "Secteur", "Commune (code HCP)",
         *(network.METRICS[c][0] for c in metric_codes)],
        [
            [a["uid"], a["name"], ORGANISATION_KINDS.get(a["org_kind"], ""),
             SECTORS.get(a["sector"], ""), a["commune"], *(a.get(c) for c in metric_codes)]
            for a in sorted(analysis["actors"], key=lambda a: (a["name"].lower(), a["uid"]))
        ],
    )  # fmt: skip
    names = analysis["commune_names"]
    _table(
        book.create_sheet("Lacunes"),
        ["Commune", "Code HCP", "Lacune", "Gravité", "Pourquoi", "Fiches concernées"],
        [
            [names.get(g["commune"], g["commune"]), g["commune"], g["label"],
             SEVERITIES.get(g["severity"], g["severity"]), g["why"],
             " ; ".join(link["name"] for link in g["links"])]
            for g in analysis["gaps"]
        ],
    )  # fmt: skip
    _table(
        book.create_sheet("Régions"),
        [
            "Région",
            "Code",
            *REGION_COUNTS.values(),
            *(figure[0] for figure in dashboard.REGION_FIGURES.values()),
        ],
        [
            [
                r["name"],
                r["region"],
                *(r[k] for k in REGION_COUNTS),
                *(r[k] for k in dashboard.REGION_FIGURES),
            ]
            for r in regions
        ],
    )
    _table(
        book.create_sheet("Définitions"),
        ["Indicateur", "Ce qu'il mesure"],
        [[label, help] for label, help in (*network.METRICS.values(), *network.OVERALL.values())],
    )
    out = io.BytesIO()
    book.save(out)
    overall = analysis["overall"]
    _trace(actor, "xlsx", scope, overall, gaps=len(analysis["gaps"]), regions=len(regions))
    return Download(out.getvalue(), XLSX, _filename(scope, "xlsx", today))


def _trace(actor: Actor, fmt: str, scope: network.AnalysisScope, sizes: dict, **more) -> None:
    """Audit an export: the format, the scope, how many actors and ties (never a name)."""
    audit.record(
        actor,
        "export",
        target_kind="network",
        summary=f"Export {FORMATS[fmt].name} du réseau des {network.LEVELS[scope.level].lower()}"
        f" ({sizes['nodes']} acteurs, {sizes['ties']} liens)",
        details={"what": "network", "format": fmt, "scope": scope.as_dict(),
                 "nodes": sizes["nodes"], "ties": sizes["ties"], **more},
    )  # fmt: skip


def _description(scope: network.AnalysisScope) -> str:
    place = scope.territory_name or "tout le périmètre"
    if scope.pilots_only:
        place += ", communes pilotes"
    period = (
        f"du {scope.start:%d/%m/%Y} au {scope.end:%d/%m/%Y}"
        if scope.start and scope.end
        else "toutes dates"
    )
    return f"Tansiq : réseau des {network.LEVELS[scope.level].lower()} ({place}), {period}"


def _filename(scope: network.AnalysisScope, fmt: str, today: date) -> str:
    parts = ["reseau", network.LEVELS[scope.level].lower()]
    if scope.territory_name:
        parts.append(scope.territory_name)
    if scope.pilots_only:
        parts.append("pilotes")
    return "-".join(parts) + f"-{today.isoformat()}" + FORMATS[fmt].suffix


def _csv(header: list[str], rows: list[list]) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel reads Arabic), formulas neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cell(_text(value)) for value in row)
    return out.getvalue().encode("utf-8")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


# Counts shown before the dashboard's figures in the workbook's regions sheet.
REGION_COUNTS = {
    "organisations": "Organisations",
    "ties": "Liens",
    "people": "Personnes",
    "pilot_communes": "Communes pilotes",
    "engaged_associations": "Associations engagées (communes pilotes)",
}


def _scope_rows(scope: network.AnalysisScope, today: date) -> list[list]:
    return [
        ["Niveau", network.LEVELS[scope.level]],
        ["Territoire", scope.territory_name or "Tout le périmètre"],
        ["Communes pilotes seulement", "oui" if scope.pilots_only else "non"],
        ["Du", scope.start.isoformat() if scope.start else ""],
        ["Au", scope.end.isoformat() if scope.end else ""],
        ["Types d'acteurs", ", ".join(ORGANISATION_KINDS[k] for k in scope.org_kinds) or "Tous"],
        ["Types de liens",
         ", ".join(network.TIE_KIND_LABELS[k] for k in scope.tie_kinds) or "Tous"],
        ["Exporté le", today.isoformat()],
    ]  # fmt: skip


def _overall_rows(analysis: dict) -> list[list]:
    overall = analysis["overall"]
    rows = [
        ["Acteurs", overall["nodes"]],
        ["Liens", overall["ties"]],
        ["Composantes", overall["components"]],
    ]
    rows += [[label, overall.get(code)] for code, (label, _) in network.OVERALL.items()]
    rows += [
        ["Part des femmes (personnes du périmètre)", overall.get("women_share")],
        ["Groupes", overall.get("communities")],
        ["Lacunes de coordination", overall.get("gaps")],
    ]
    return rows


def _table(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))


def _cell(value: object) -> object:
    """A spreadsheet value: text neutralised (formulas) and cleaned of the characters XLSX
    cannot hold; numbers as numbers; unknown as empty."""
    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value


def _graph_size(G: nx.Graph) -> dict:
    return {"nodes": G.number_of_nodes(), "ties": G.number_of_edges()}
