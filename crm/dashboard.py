"""The manager's dashboard: where coordination is missing, at a glance, with the records behind.

One use case, ``dashboard``, gathers for a scope (``crm.network.read_scope``; the actor's own
scope always applies on top, so an officer sees their territory only):

* the communes assessed, ranked by their coordination gaps (most serious first) or by
  name / number of gaps, filterable by pilot status (the region is the scope's);
* the matrix of those communes against the actor kinds every commune should have
  (``crm.checklist``);
* key-person risks (``key_people`` and officers' portfolios of the analysis);
* ties past their cadence (the gap rule ``tie_past_cadence``);
* the regions compared (``graph.analysis.dashboard.region_comparison``);
* the trend between two snapshots (``crm.snapshots``), the two latest by default.

The figures that need the graphs again (regions, ties between communes, the places of the
communes) are cached like the analysis itself: per actor's scope, analysis scope, day and
data version, so a write is never hidden by the cache.
"""

from __future__ import annotations

import json
from datetime import date

from crm import checklist, network, snapshots, versioned_cache
from crm.access import Actor
from crm.errors import Invalid, NotFound
from crm.pagination import Page, page_bounds
from crm.transactions import reads
from graph import geography as places_store
from graph import participation
from graph import territory as territory_store
from graph.analysis.dashboard import commune_gap_rows, commune_ties, region_comparison
from graph.analysis.gaps import GAP_RULES, SEVERITIES

__all__ = [
    "REGION_FIGURES",
    "SORTS",
    "STATUSES",
    "dashboard",
    "territory_figures",
]

# Sort orders of the communes: code -> French label.
SORTS: dict[str, str] = {"gravite": "Gravité", "lacunes": "Nombre de lacunes", "nom": "Nom"}
# Pilot status filter: code -> French label.
STATUSES: dict[str, str] = {"": "Toutes", "pilote": "Pilotes", "autre": "Non pilotes"}

# Figures of the region comparison: code -> (French label, help, kind of value).
# Kinds: "share" (0 to 1, shown in %), "index" (-1 to +1), "ratio" (a number), "count".
REGION_FIGURES: dict[str, tuple[str, str, str]] = {
    "density": (
        "Densité",
        "Part des liens possibles entre les organisations de la région qui existent (0 à 1). "
        "Comparez des régions de taille voisine : un petit réseau est plus facilement dense.",
        "ratio",
    ),
    "cross_sector_share": (
        "Liens entre secteurs",
        "Part des liens de la région qui relient deux secteurs différents (État, "
        "collectivités, société civile…). Plus elle est haute, plus les secteurs se parlent.",
        "share",
    ),
    "ei_sector": (
        "Indice E-I des secteurs",
        "De −1 (les liens restent à l'intérieur de chaque secteur) à +1 (ils relient surtout "
        "des secteurs différents) : l'ouverture des acteurs de la région aux autres secteurs.",
        "index",
    ),
    "ei_vertical": (
        "Indice E-I vertical / horizontal",
        "De −1 (les collectivités ne coordonnent qu'avec les associations et entre elles) à +1 "
        "(surtout avec l'État central et déconcentré). Autour de 0 : les deux sont équilibrés.",
        "index",
    ),
    "women_share": (
        "Part des femmes",
        "Part des femmes parmi les personnes du réseau de la région dont le genre est renseigné.",
        "share",
    ),
    "engaged_per_pilot": (
        "Associations engagées par commune pilote",
        "Nombre moyen d'associations des communes pilotes qui, sur la période, ont organisé "
        "un événement, y ont envoyé quelqu'un ou ont pris part à une interaction.",
        "ratio",
    ),
}

PAST_CADENCE_SHOWN = 30
CHART_COMMUNES = 15
# Rows of the communes table and of the matrix per page: a region has up to 200 communes,
# the country 1,503, and a page that lists them all takes seconds to render and to read.
COMMUNES_PER_PAGE = 50
_FAR_PAST, _FAR_FUTURE = date(1900, 1, 1), date(9999, 12, 31)


@reads
def dashboard(actor: Actor, form: dict, today: date) -> dict:
    """The dashboard of ``form``'s scope for ``actor`` (see the module docstring).

    ``form`` holds the analysis scope (``crm.network.read_scope``) and optionally ``tri``
    (``SORTS``), ``statut`` (``STATUSES``), ``avant`` and ``apres`` (snapshot uids), ``page``
    (of the communes table and the matrix).
    ``Invalid`` on the scope's fields, like the analysis.

    Returns ``analysis`` (``crm.network.analyse``), ``communes`` (every row of the table,
    filtered and sorted: code, name, pilot, region, region_name, gaps, by_severity, worst,
    rules, density, nodes, ties, women_share, engaged, events, lat, lon), ``communes_page``
    (the ``COMMUNES_PER_PAGE`` of them the page shows, a ``Page``), ``chart_communes`` (the
    most serious ones), ``gaps_by_rule``, ``matrix`` (``rules``, and ``cells`` per commune
    of the page), ``regions`` (the comparison, with ``name``), ``past_cadence`` (``shown``,
    ``total``), ``trend`` (``comparison``, ``before``, ``after``, ``error``, ``saved``),
    ``sort`` and ``status``.
    """
    sort = form.get("tri") if form.get("tri") in SORTS else "gravite"
    status = form.get("statut") if form.get("statut") in STATUSES else ""
    analysis = network.analyse(actor, form, today)
    figures = territory_figures(actor, form, today, analysis)
    communes = [
        row for row in figures["communes"] if not status or row["pilot"] == (status == "pilote")
    ]
    shown = {row["code"] for row in communes}
    communes = _sorted(communes, sort)
    page = _page(communes, form.get("page"))
    past_cadence = [
        g for g in analysis["gaps"] if g["rule"] == "tie_past_cadence" and g["commune"] in shown
    ]
    by_rule = {code: 0 for code in GAP_RULES}
    for gap in analysis["gaps"]:
        if gap["commune"] in shown:
            by_rule[gap["rule"]] = by_rule.get(gap["rule"], 0) + 1
    return {
        "analysis": analysis,
        "communes": communes,
        "communes_page": page,
        "chart_communes": [r for r in _sorted(communes, "gravite") if r["gaps"]][:CHART_COMMUNES],
        "gaps_by_rule": [{"rule": code, "count": n} for code, n in by_rule.items()],
        "matrix": {
            "rules": figures["rules"],
            "rows": [
                {**row, "cells": figures["checklist"].get(row["code"], [])} for row in page.items
            ],
        },
        "regions": figures["regions"],
        "past_cadence": {"shown": past_cadence[:PAST_CADENCE_SHOWN], "total": len(past_cadence)},
        "trend": _trend(actor, form),
        "sort": sort,
        "status": status,
    }


# Figures read from the graphs and the database beyond the analysis, cached by the same key.
CACHE_SIZE = 16


@reads
def territory_figures(actor: Actor, form: dict, today: date, analysis: dict) -> dict:
    """What the dashboard and the geographic view read beyond ``analysis`` (the result of
    ``crm.network.analyse`` for the same actor, form and day): ``communes`` (one row per
    commune assessed, gaps counted by severity, figures, engaged associations, events and
    centroid), ``checklist`` (commune -> ``crm.checklist.evaluate`` cells), ``rules`` (the
    enabled checklist rules), ``regions`` (compared), ``ties`` (between communes, summed).
    """
    scope = network.read_scope(form, today)
    key = (
        json.dumps(actor.scope.as_params(), sort_keys=True),
        json.dumps(scope.as_dict(), sort_keys=True),
        today.isoformat(),
    )
    return versioned_cache.cached(
        "dashboard.figures",
        key,
        lambda: _territory_figures(actor, form, today, analysis),
        size=CACHE_SIZE,
    )


def _territory_figures(actor: Actor, form: dict, today: date, analysis: dict) -> dict:
    graphs = network.scoped_graphs(actor, form, today)
    scope, params = graphs.scope, actor.scope.as_params()
    codes = analysis["communes"]
    places = {
        row["code"]: row
        for row in places_store.commune_places(codes, params, scope.start, scope.end)
    }
    engaged = {
        row["commune_code"]: len(row["associations"])
        for row in participation.associations_engaged(
            params, scope.territory, scope.start or _FAR_PAST, scope.end or _FAR_FUTURE
        )
    }
    per_commune = analysis["summary"]["communes"]
    base = []
    for code in codes:
        place = places.get(code) or {}
        figures = per_commune.get(code) or {}
        base.append(
            {
                "code": code,
                "name": analysis["commune_names"].get(code, code),
                "pilot": bool(place.get("pilot")),
                "region": place.get("region") or code.split(".")[0],
                "region_name": place.get("region_name") or "",
                "lat": place.get("lat"),
                "lon": place.get("lon"),
                "events": place.get("events", 0),
                "engaged": engaged.get(code, 0),
                "nodes": figures.get("nodes", 0),
                "ties": figures.get("ties", 0),
                "density": figures.get("density"),
                "women_share": figures.get("women_share"),
            }
        )
    region_names = {r["code"]: r["name_fr"] for r in territory_store.list_regions()}
    regions = [
        {**row, "name": region_names.get(row["region"], row["region"])}
        for row in region_comparison(graphs.organisations, graphs.people, base, engaged)
    ]
    rule_set = [rule for rule in checklist.rules() if rule.enabled]
    present = territory_store.communes_assessed(params, scope.territory, False, codes)
    return {
        "communes": commune_gap_rows(analysis["gaps"], base),
        "checklist": {
            c["code"]: [
                {
                    **cell,
                    "records": [
                        {"uid": o["uid"], "name": o["name"] or ""} for o in cell["records"]
                    ],
                }
                for cell in checklist.evaluate(rule_set, c["organisations"])
            ]
            for c in present
        },
        "rules": [
            {"code": rule.code, "label": rule.label, "minimum": rule.minimum} for rule in rule_set
        ],
        "regions": regions,
        "ties": commune_ties(graphs.organisations),
    }


def _page(communes: list[dict], number: object) -> Page:
    """The page of the communes table (and of the matrix) that ``number`` asks for: the first
    when it is not a whole number, the last when it is past the end."""
    try:
        wanted = int(str(number or "1").strip())
    except ValueError:
        wanted = 1
    last = max(1, -(-len(communes) // COMMUNES_PER_PAGE))
    number, skip, limit = page_bounds(min(wanted, last), COMMUNES_PER_PAGE)
    return Page(communes[skip : skip + limit], len(communes), number, COMMUNES_PER_PAGE)


def _sorted(rows: list[dict], sort: str) -> list[dict]:
    if sort == "nom":
        return sorted(rows, key=lambda r: (r["name"].lower(), r["code"]))
    if sort == "lacunes":
        return sorted(rows, key=lambda r: (-r["gaps"], r["name"].lower(), r["code"]))
    return sorted(
        rows,
        key=lambda r: (
            *(-r["by_severity"].get(s, 0) for s in SEVERITIES),
            r["name"].lower(),
            r["code"],
        ),
    )


def _trend(actor: Actor, form: dict) -> dict:
    """The comparison of two snapshots the actor may read: those the form names, else the
    two latest. No comparison (and no error) with fewer than two snapshots."""
    saved = snapshots.list_snapshots(actor)
    before, after = form.get("avant") or "", form.get("apres") or ""
    if not (before and after) and len(saved) >= 2:
        before, after = saved[1]["uid"], saved[0]["uid"]
    trend = {"saved": saved, "before": before, "after": after, "comparison": None, "error": ""}
    if before and after:
        try:
            trend["comparison"] = snapshots.compare_snapshots(actor, before, after)
        except Invalid as refused:
            trend["error"] = next(iter(refused.errors.values()), "Comparaison impossible.")
        except NotFound:
            trend["error"] = "Instantané introuvable."
    return trend
