"""Use cases of the network analysis: what the manager, the officers and the analysts ask of
the network of ties the officers record.

The scope of an analysis (``AnalysisScope``, read from a form by ``crm.network_scope``):
level, territory, time window, actor kinds, tie kinds. It is always intersected with the
actor's own scope by the projections (``graph.projections``), so an officer's analysis
holds their territory and the shared national institutions only.

People under opposition or anonymised stay in the graphs as unnamed nodes (their ties count)
and are never named in what these use cases return.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

import networkx as nx

from crm import audit, cadence, checklist, versioned_cache
from crm.access import Actor, require_role
from crm.errors import Invalid
from crm.network_scope import (  # the scope form and the figures' names (maps, exports too)
    LEVELS,
    METRICS,
    OVERALL,
    TIE_KIND_LABELS,
    AnalysisScope,
    read_scope,
)
from crm.pagination import Page, page_bounds
from crm.transactions import reads, writes
from crm.validation import Errors
from graph import audit as audit_store
from graph import projections, settings
from graph import territory as geography
from graph.analysis import brokerage, centrality, ei, fast, risk, structure
from graph.analysis.gaps import GAP_RULES, GapSettings, commune_gaps
from graph.analysis.paths import introduction_paths
from graph.analysis.risk import officer_portfolios
from graph.collector import collection_paused

__all__ = [
    "LEVELS",
    "METRICS",
    "OVERALL",
    "TIE_KIND_LABELS",
    "AnalysisScope",
    "actor_metrics",
    "actors_page",
    "analyse",
    "gap_settings",
    "gap_settings_for_edit",
    "set_gap_settings",
    "paths",
    "read_scope",
]

# --- the analysis -------------------------------------------------------------------------------


def _project(actor: Actor, scope: AnalysisScope, today: date, level: str) -> nx.Graph:
    """The projection of ``level`` for the analysis scope, within the actor's scope."""
    build = (
        projections.organisation_network
        if level == "organisation"
        else (projections.person_network)
    )
    return build(
        actor.scope.as_params(),
        territory=scope.territory,
        pilots_only=scope.pilots_only,
        start=scope.start,
        end=scope.end,
        org_kinds=list(scope.org_kinds) or None,
        tie_kinds=list(scope.tie_kinds) if scope.level == level and scope.tie_kinds else None,
        as_of=today,
    )


def actor_metrics(G: nx.Graph, ig: fast.IGraph | None = None) -> tuple[list[dict], dict]:
    """Every node's metrics (``METRICS``) and the whole network's figures (``OVERALL`` and
    counts), from the pure functions of ``graph.analysis``; ``ig`` is ``G`` converted for
    igraph (``graph.analysis.fast.convert``), done here when not given."""
    ig = ig if ig is not None else fast.convert(G)
    between = centrality.betweenness(G, ig=ig)
    cores = structure.core_numbers(G, ig=ig)
    values = {
        "degree": centrality.degree(G, ig=ig),
        "weighted_degree": centrality.weighted_degree(G, ig=ig),
        "betweenness": between["values"],
        "closeness": centrality.closeness(G, ig=ig),
        "pagerank": centrality.pagerank(G, ig=ig),
        "reach": centrality.two_step_reach(G, share=False, ig=ig),
        "core": cores,
        # Burt's measures on ties as they are (unweighted): the classic definition.
        "constraint": structure.constraint(G, weight=None, ig=ig),
        "effective_size": structure.effective_size(G, weight=None, ig=ig),
    }
    found = structure.communities(G, seed=COMMUNITY_SEED, ig=ig)
    roles = brokerage.brokerage_roles(G)
    top_core = max(cores.values(), default=0)
    core = {node: top_core > 0 and k == top_core for node, k in cores.items()}
    rows = []
    for node, data in G.nodes(data=True):
        row = {
            "uid": node,
            "name": data.get("name") or "",
            "named": bool(data.get("named")),
            "kind": data.get("kind"),
            "org_kind": data.get("org_kind", ""),
            "sector": data.get("sector", ""),
            "commune": data.get("commune", ""),
            "gender": data.get("gender", ""),
            "community": found["membership"].get(node),
            "in_core": core.get(node, False),
            "brokerage": roles.get(node, {}).get("total", 0),
            "roles": roles.get(node, {}),
        }
        for code, by_node in values.items():
            row[code] = by_node.get(node)
        rows.append(row)
    sector = [G.nodes[node].get("sector") for node in ig.nodes]
    sectors = [
        (sector[i], sector[j]) for i, j in ig.graph.get_edgelist() if sector[i] and sector[j]
    ]
    cross = sum(1 for a, b in sectors if a != b)
    overall = {
        "nodes": G.number_of_nodes(),
        "ties": G.number_of_edges(),
        "components": len(ig.graph.connected_components()) if G.number_of_nodes() else 0,
        "density": centrality.density(G, ig=ig),
        "centralisation": centrality.degree_centralization(G),
        "cross_sector_ties": cross,
        "cross_sector_share": cross / len(sectors) if sectors else None,
        "ei_sector": ei.ei_index(G),
        "ei_vertical": ei.vertical_horizontal_ei(G),
        "communities": len(set(found["membership"].values())),
        "modularity": found["modularity"],
        "betweenness_exact": between["exact"],
        "betweenness_samples": between["samples"],
        "betweenness_seed": between["seed"],
    }
    return rows, overall


COMMUNITY_SEED = 2026


@dataclass(frozen=True)
class ScopedGraphs:
    scope: AnalysisScope
    organisations: nx.Graph
    people: nx.Graph

    def level(self) -> nx.Graph:
        return self.organisations if self.scope.level == "organisation" else self.people


def scoped_graphs(actor: Actor, form: dict, today: date) -> ScopedGraphs:
    """The two projections of ``form``'s scope within the actor's scope, served from this
    process's cache while no write happened since they were built (the analysis, the
    dashboard, the map and the exports of one scope then project it once). Shared: callers
    must not change the graphs."""
    scope = read_scope(form, today)
    # Without tie kinds chosen the two projections do not depend on the level: switching
    # between organisations and people reuses them.
    projected = scope if scope.tie_kinds else replace(scope, level="organisation")
    organisations, people = versioned_cache.cached(
        "network.graphs",
        _cache_key(actor, projected, today),
        lambda: _both_projections(actor, scope, today),
        size=GRAPHS_CACHE_SIZE,
    )
    return ScopedGraphs(scope, organisations, people)


def _both_projections(actor: Actor, scope: AnalysisScope, today: date) -> tuple[nx.Graph, nx.Graph]:
    with collection_paused():  # rows decoded, graphs built: no cycles to look for
        return (
            _project(actor, scope, today, "organisation"),
            _project(actor, scope, today, "person"),
        )


def _cache_key(actor: Actor, scope: AnalysisScope, today: date) -> tuple:
    """What an analysis depends on besides the data (``crm.versioned_cache`` adds its
    version): the actor's scope, the analysis scope and the day."""
    return (
        json.dumps(actor.scope.as_params(), sort_keys=True),
        json.dumps(scope.as_dict(), sort_keys=True),
        today.isoformat(),
    )


def clear_caches() -> None:
    """Forget the analyses and projections this process keeps (benchmarks time the work)."""
    versioned_cache.clear("network.analyses", "network.graphs")


# The projections last built, by the same key as the analyses (fewer: they weigh more).
GRAPHS_CACHE_SIZE = 4


UNNAMED = "Personne non nommée"


# Analyses computed by this process, by (actor's scope, analysis scope, day, data version):
# any write use case raises the version (``crm.transactions.writes``), so a cached result is
# never served after a write. Results are shared: callers must not change them.
CACHE_SIZE = 16  # analyses kept (crm.versioned_cache)


@reads
def analyse(actor: Actor, form: dict, today: date) -> dict:
    """The network analysis of ``form``'s scope (see ``_analyse``), served from this
    process's cache while no write happened since it was computed."""
    scope = read_scope(form, today)
    result = versioned_cache.cached(
        "network.analyses",
        _cache_key(actor, scope, today),
        lambda: _paused_analyse(actor, form, today),
        size=CACHE_SIZE,
    )
    if scope.level == "person":
        overall = result["overall"]
        _trace_sizes(actor, "Analyse du réseau des personnes", scope, overall)
    return result


def _paused_analyse(actor: Actor, form: dict, today: date) -> dict:
    # The collector would walk the graphs and rows built again and again (about a second of
    # a programme-scale analysis, measured) and find almost nothing to collect.
    with collection_paused():
        return _analyse(actor, form, today)


def _analyse(actor: Actor, form: dict, today: date) -> dict:
    """The network analysis of the scope ``form`` describes (``read_scope``), as pages,
    snapshots and exports use it:

    ``scope`` (plain values), ``communes`` (codes assessed), ``actors`` (one row per node of
    the chosen level with every metric of ``METRICS``; people who may not be named have no
    name), ``overall`` (``OVERALL`` and counts), ``gaps`` (per commune, most severe first),
    ``key_people``, ``portfolios`` (actors only one officer keeps in touch with) and
    ``summary`` (what a snapshot keeps: figures and gaps, no name).

    Audited (the actor, the scope and the sizes) when the analysis names people.
    """
    graphs = scoped_graphs(actor, form, today)
    scope = graphs.scope
    G = graphs.level()
    ig = fast.convert(G)
    actors, overall = actor_metrics(G, ig)
    assessed = _communes(actor, graphs)
    gaps = [g.as_dict() for g in _gaps(actor, graphs, assessed, today)]
    kinds_of = _record_kinds(graphs)
    links: dict[str, dict] = {}  # one link per record, shared by the gaps resting on it
    for gap in gaps:
        gap["key"] = _gap_key(gap)
        gap["links"] = [
            links[uid] if uid in links else links.setdefault(uid, _link(graphs, kinds_of, uid))
            for uid in gap["records"]
        ]
    overall["women_share"] = _women_share(graphs.people)
    overall["gaps"] = len(gaps)
    # False when a projection was built lean (very large scope): ties without their records.
    overall["detailed"] = bool(
        graphs.organisations.graph.get("detail", True) and graphs.people.graph.get("detail", True)
    )
    for row in actors:
        if not row["named"]:
            row["name"] = UNNAMED if row["kind"] == "person" else row["name"]
    result = {
        "scope": scope.as_dict(),
        "communes": [c["code"] for c in assessed],
        "commune_names": {c["code"]: c["name"] for c in assessed},
        "actors": actors,
        "overall": overall,
        "gaps": gaps,
        "key_people": _named(
            risk.key_people(
                G, top=KEY_PEOPLE, betweenness={r["uid"]: r["betweenness"] for r in actors}, ig=ig
            )
        ),
        "portfolios": _portfolios(G),
        "summary": _summary(graphs, overall, assessed, gaps),
    }
    return result


KEY_PEOPLE = 15


@reads
def paths(actor: Actor, form: dict, source: str, target: str, today: date, k: int = 3) -> dict:
    """The ``k`` shortest chains of known ties between two actors of the analysed network
    (``graph.analysis.paths.introduction_paths``), each step named (people who may not be
    named stay unnamed). ``Invalid`` (key ``vers``) when an end is not in the network the
    actor can see, or both ends are the same; no chain is an empty list."""
    graphs = scoped_graphs(actor, form, today)
    G = graphs.level()
    try:
        chains = introduction_paths(G, source, target, k=k)
    except ValueError as refused:
        raise Invalid({"vers": str(refused)}) from None
    named = [
        [
            {
                **step,
                "from_name": _node_name(G, step["from"]),
                "to_name": _node_name(G, step["to"]),
                "kind_labels": [TIE_KIND_LABELS.get(x, x) for x in step["kinds"]],
            }
            for step in chain
        ]
        for chain in chains
    ]
    if graphs.scope.level == "person":
        _trace(actor, "Chemins d'introduction entre deux personnes", graphs.scope, G)
    return {"scope": graphs.scope.as_dict(), "chains": named,
            "source": _node_name(G, source), "target": _node_name(G, target)}  # fmt: skip


def gap_settings() -> GapSettings:
    """The gap rules' thresholds as managers left them (``Setting`` "gaps.*")."""
    stored = settings.get_settings(
        ["gaps.women_share_minimum", "gaps.central_top"]
        + [f"gaps.{code}.enabled" for code in GAP_RULES]
    )
    return GapSettings(
        women_share_minimum=stored.get("gaps.women_share_minimum", 30) / 100,
        central_top=stored.get("gaps.central_top", 10),
        enabled=frozenset(code for code in GAP_RULES if stored.get(f"gaps.{code}.enabled", 1)),
    )


def _communes(actor: Actor, graphs: ScopedGraphs) -> list[dict]:
    codes = sorted(
        {data.get("commune") for _, data in graphs.organisations.nodes(data=True)} - {"", None}
    )
    return geography.communes_assessed(
        actor.scope.as_params(), graphs.scope.territory, graphs.scope.pilots_only, codes
    )


def _gaps(actor: Actor, graphs: ScopedGraphs, assessed: list[dict], today: date) -> list:
    rule_set = checklist.rules()
    missing = {
        c["code"]: [r["label"] for r in checklist.evaluate(rule_set, c["organisations"])
                    if not r["present"]]
        for c in assessed
    }  # fmt: skip
    return commune_gaps(
        graphs.organisations,
        graphs.people,
        [{"code": c["code"], "name": c["name"]} for c in assessed],
        settings=gap_settings(),
        as_of=today,
        cadences=cadence.cadences(actor),
        missing_kinds=missing,
    )


_RECORD_NOUNS = {"event": "événement", "interaction": "interaction", "partnership": "partenariat",
                 "affiliation": "fonction"}  # fmt: skip


def _record_kinds(graphs: ScopedGraphs) -> dict[str, str]:
    """uid -> kind of every record a tie of the organisation network rests on."""
    found: dict[str, str] = {}
    if not graphs.organisations.graph.get("detail", True):
        return found  # a lean projection keeps no records on its ties
    for _, _, data in graphs.organisations.edges(data=True):
        for record in data.get("records") or []:
            found[record["uid"]] = record["kind"]
    return found


def _link(graphs: ScopedGraphs, kinds_of: dict[str, str], uid: str) -> dict:
    """A record a gap rests on, as the page links it: kind, uid, name (people who may not
    be named stay unnamed)."""
    for G in (graphs.organisations, graphs.people):
        if uid in G:
            data = G.nodes[uid]
            return {"kind": data.get("kind"), "uid": uid, "name": _node_name(G, uid),
                    "named": bool(data.get("named", True))}  # fmt: skip
    kind = kinds_of.get(uid, "person")
    if kind == "person":
        return {"kind": "person", "uid": uid, "name": UNNAMED, "named": False}
    return {"kind": kind, "uid": uid, "name": _RECORD_NOUNS.get(kind, kind), "named": True}


def _gap_key(gap: dict) -> str:
    """What identifies a gap from one snapshot to the next: its commune and rule, and for
    the rules raised once per tie, the tie's two organisations."""
    key = gap["commune"] + "|" + gap["rule"]
    if gap["rule"] in ("single_person_tie", "tie_past_cadence"):
        key += "|" + "|".join(sorted(gap["records"][:2]))
    return key


def _women_share(people: nx.Graph) -> float | None:
    return _share_of_women([d.get("gender") for _, d in people.nodes(data=True)])


def _share_of_women(genders: list) -> float | None:
    """Women among the people whose gender is known ("f" or "m"); None when nobody's is."""
    women, men = genders.count("f"), genders.count("m")
    return women / (women + men) if women + men else None


def _summary(graphs: ScopedGraphs, overall: dict, assessed: list[dict], gaps: list[dict]) -> dict:
    """What a snapshot keeps: the figures overall and per commune, and the gaps."""
    G = graphs.organisations
    organisations_in = _by_commune(G)
    people_in = _by_commune(graphs.people)
    gaps_in = Counter(g["commune"] for g in gaps)
    # One pass over the ties: those inside each commune, and the cross-sector ones touching it.
    inside: Counter[str] = Counter()
    loops: Counter[str] = Counter()
    cross: Counter[str] = Counter()
    nodes = G._node  # networkx's storage: millions of ties at national scale
    for u, around in G._adj.items():
        here, first = nodes[u].get("commune") or "", nodes[u].get("sector")
        for v in around:
            if v < u:
                continue  # each tie once (u <= v)
            there, second = nodes[v].get("commune") or "", nodes[v].get("sector")
            if here == there:
                inside[here] += 1
                loops[here] += u == v
            if first and second and first != second:
                cross[here] += 1
                if there != here:
                    cross[there] += 1
    person_nodes = graphs.people._node
    communes = {}
    for commune in assessed:
        code = commune["code"]
        n = len(organisations_in.get(code, []))
        ties = inside[code]
        genders = [person_nodes[p].get("gender") for p in people_in.get(code, ())]
        communes[code] = {
            "name": commune["name"],
            "nodes": n,
            "ties": ties,
            "density": 2.0 * (ties - loops[code]) / (n * (n - 1)) if n > 1 else 0.0,
            "cross_sector_ties": cross[code],
            "women_share": _share_of_women(genders),
            "gaps": gaps_in[code],
        }
    figures = ("nodes", "ties", "density", "cross_sector_ties", "cross_sector_share",
               "women_share", "gaps")  # fmt: skip
    return {
        "overall": {k: overall.get(k) for k in figures},
        "communes": communes,
        "gaps": [
            {k: g[k] for k in ("key", "commune", "rule", "severity", "why", "records")}
            for g in gaps
        ],  # fmt: skip
    }


def _by_commune(G: nx.Graph) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for node, data in G.nodes(data=True):
        index.setdefault(data.get("commune") or "", []).append(node)
    return index


def _node_name(G: nx.Graph, node: str) -> str:
    data = G.nodes[node]
    return (data.get("name") or "") if data.get("named", True) else UNNAMED


def _named(rows: list[dict]) -> list[dict]:
    return [{**row, "name": row.get("name") or UNNAMED} for row in rows]


def _portfolios(G: nx.Graph) -> list[dict]:
    found = officer_portfolios(G)
    officers = audit_store.names_of([p["officer"] for p in found]) if found else {}
    return [
        {
            **p,
            "officer_name": (officers.get(p["officer"]) or {}).get("name") or "Compte supprimé",
            "actor_rows": [{"uid": a, "name": _node_name(G, a),
                            "kind": G.nodes[a].get("kind")} for a in p["actors"]],
        }
        for p in found
    ]  # fmt: skip


def _trace(actor: Actor, summary: str, scope: AnalysisScope, G: nx.Graph) -> None:
    _trace_sizes(actor, summary, scope, {"nodes": G.number_of_nodes(),
                                         "ties": G.number_of_edges()})  # fmt: skip


def _trace_sizes(actor: Actor, summary: str, scope: AnalysisScope, sizes: dict) -> None:
    """Audit an output that names people: who, which scope, how many nodes and ties."""
    audit.record(
        actor,
        "analysis",
        target_kind="network",
        summary=summary,
        details={"scope": scope.as_dict(), "nodes": sizes["nodes"], "ties": sizes["ties"]},
    )


@reads
def gap_settings_for_edit(actor: Actor) -> dict:
    """The gap rules' settings as their form shows them (managers only)."""
    require_role(actor, "manager")
    current = gap_settings()
    return {
        "women_share_minimum": round(current.women_share_minimum * 100),
        "central_top": current.central_top,
        **{f"enabled_{code}": code in current.enabled for code in GAP_RULES},
    }


@writes
def set_gap_settings(actor: Actor, data: dict) -> None:
    """Store the gap rules' thresholds and switches (managers only), audited."""
    require_role(actor, "manager")
    errors = Errors()
    share, top = data.get("women_share_minimum"), data.get("central_top")
    errors.check("women_share_minimum", isinstance(share, int) and 0 <= share <= 100,
                 "Entre 0 et 100 %.")  # fmt: skip
    errors.check("central_top", isinstance(top, int) and 1 <= top <= 100, "Entre 1 et 100.")
    errors.raise_if_any()
    values = {"gaps.women_share_minimum": share, "gaps.central_top": top}
    values.update({f"gaps.{code}.enabled": int(bool(data.get(f"enabled_{code}")))
                   for code in GAP_RULES})  # fmt: skip
    before = settings.set_settings(values, actor.uid)
    audit.record(
        actor,
        "update",
        target_kind="setting",
        target_uid="gaps",
        summary="Seuils des lacunes de coordination",
        details={"rules": {key: [before.get(key), value] for key, value in values.items()}},
    )


ACTORS_PER_PAGE = 100


def actors_page(analysis: dict, sort: str, page: int = 1) -> Page:
    """One page of the analysis' actors, sorted by a metric of ``METRICS`` (highest first;
    Burt's constraint lowest first, as less constraint means more brokerage) or by name."""
    number, skip, limit = page_bounds(page, ACTORS_PER_PAGE)
    rows = analysis["actors"]
    if sort == "name":
        ordered = sorted(rows, key=lambda r: (r["name"].lower(), r["uid"]))
    else:
        sort = sort if sort in METRICS else "betweenness"
        present = [r for r in rows if r.get(sort) is not None]
        missing = [r for r in rows if r.get(sort) is None]
        ordered = sorted(present, key=lambda r: (r[sort], r["uid"]), reverse=sort != "constraint")
        ordered += missing
    return Page(ordered[skip : skip + limit], len(rows), number, limit)
