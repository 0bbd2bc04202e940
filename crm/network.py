"""Use cases of the network analysis: what the manager, the officers and the analysts ask of
the network of ties the officers record.

The scope of an analysis (``AnalysisScope``) is read from a form: level (organisations or
people), territory (a region, province or commune, or the pilot communes), time window
(default: the twelve months before today), actor kinds, tie kinds. It is always intersected
with the actor's own scope by the projections (``graph.projections``), so an officer's
analysis holds their territory and the shared national institutions only.

People under opposition or anonymised stay in the graphs as unnamed nodes (their ties count)
and are never named in what these use cases return.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import networkx as nx

from crm.access import Actor
from crm.territory import resolve_commune
from crm.validation import Errors, parse_date
from graph import projections
from graph import territory as geography
from graph.analysis import brokerage, centrality, ei, structure
from graph.analysis.weights import TIE_KINDS
from graph.vocabulary import ORGANISATION_KINDS

__all__ = ["LEVELS", "TIE_KIND_LABELS", "AnalysisScope", "read_scope"]

LEVELS = {"organisation": "Organisations", "person": "Personnes"}
TIE_KIND_LABELS = {
    "partnership": "Partenariat",
    "shared_member": "Membre commun",
    "co_attendance": "Participation au même événement",
    "interaction": "Interaction",
    "shared_affiliation": "Même organisation",
}
DEFAULT_WINDOW = timedelta(days=365)
MAX_WINDOW_DAYS = 10 * 366
_HCP_CODE = re.compile(r"^\d{2}(\.\d{3}(\.\d{2}\.\d{1,2})?)?$")


@dataclass(frozen=True)
class AnalysisScope:
    """What part of the network an analysis looks at (the actor's scope applies on top)."""

    level: str = "organisation"
    territory: str | None = None
    territory_name: str = ""
    pilots_only: bool = False
    start: date | None = None
    end: date | None = None
    org_kinds: tuple[str, ...] = ()
    tie_kinds: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        """Plain values (dates as ISO text), for snapshots and the audit trail."""
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        data["org_kinds"] = list(self.org_kinds)
        data["tie_kinds"] = list(self.tie_kinds)
        return data


def read_scope(form: dict, today: date) -> AnalysisScope:
    """An ``AnalysisScope`` from a form's values: ``niveau``, ``region`` / ``commune`` (a
    commune as typed or an HCP code), ``pilotes``, ``du``, ``au``, ``types`` and ``liens``
    (lists of codes). ``Invalid`` with French messages on those keys.
    """
    errors = Errors()
    level = form.get("niveau") or "organisation"
    errors.check("niveau", level in LEVELS, "Choisissez le niveau : organisations ou personnes.")
    start = parse_date(errors, "du", form.get("du"))
    end = parse_date(errors, "au", form.get("au"))
    if not form.get("du") and not form.get("au"):
        start, end = today - DEFAULT_WINDOW, today
    if start and end:
        errors.check("au", end >= start, "La fin de la période précède son début.")
        errors.check(
            "au", (end - start).days <= MAX_WINDOW_DAYS, "Période trop longue (10 ans au plus)."
        )
    territory, name = _territory(errors, form.get("commune") or form.get("region") or "")
    org_kinds = _codes(errors, "types", form.get("types"), ORGANISATION_KINDS)
    tie_kinds = _codes(errors, "liens", form.get("liens"), dict.fromkeys(TIE_KINDS.get(level, ())))
    errors.raise_if_any()
    return AnalysisScope(
        level=level,
        territory=territory,
        territory_name=name,
        pilots_only=bool(form.get("pilotes")),
        start=start,
        end=end,
        org_kinds=org_kinds,
        tie_kinds=tie_kinds,
    )


def _territory(errors: Errors, text: str) -> tuple[str | None, str]:
    text = str(text or "").strip()
    if not text:
        return None, ""
    code: str | None = text
    if not _HCP_CODE.match(text):
        code, problem = resolve_commune(text)
        errors.check("commune", problem is None, problem or "")
    named = geography.territory_named(code) if code else None
    if code and named is None:
        errors.check("commune", False, "Territoire inconnu.")
    return (code, named["name"]) if named else (None, "")


def _codes(errors: Errors, key: str, raw: object, allowed: dict) -> tuple[str, ...]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    values = [v for v in values if v]
    errors.check(key, all(v in allowed for v in values), "Valeur inconnue.")
    return tuple(v for v in allowed if v in values)



# code -> (French label, what it means and how to read it, in a sentence or two)
METRICS: dict[str, tuple[str, str]] = {
    "degree": (
        "Liens",
        "Nombre d'acteurs avec lesquels il a au moins un lien. Un acteur très relié est bien "
        "inséré ; à 0 ou 1, il est isolé.",
    ),
    "weighted_degree": (
        "Intensité",
        "Somme des poids de ses liens : chaque partenariat, événement partagé ou interaction "
        "compte, d'autant plus qu'il est récent (le poids d'un lien est divisé par deux "
        "chaque année).",
    ),
    "betweenness": (
        "Intermédiarité",
        "Part des plus courts chemins entre deux autres acteurs qui passent par lui. Élevée : "
        "il fait le pont entre des groupes ; s'il disparaît, la coordination en souffre.",
    ),
    "closeness": (
        "Proximité",
        "À quel point il peut joindre rapidement tous les autres (peu d'intermédiaires). "
        "Utile pour diffuser une information.",
    ),
    "pagerank": (
        "Influence",
        "Être relié à des acteurs eux-mêmes bien reliés (PageRank). Repère les acteurs "
        "centraux par leurs relations plutôt que par leur nombre de liens.",
    ),
    "community": (
        "Groupe",
        "Groupe d'acteurs plus liés entre eux qu'avec le reste (détection de communautés, "
        "graine fixe pour des résultats stables).",
    ),
    "core": (
        "Noyau",
        "Rang k du noyau auquel il appartient : les acteurs du noyau le plus élevé forment le "
        "cœur du réseau, les autres sa périphérie.",
    ),
    "constraint": (
        "Contrainte",
        "Contrainte de Burt : élevée quand ses contacts sont tous liés entre eux (peu "
        "d'autonomie) ; faible quand il relie des contacts qui ne se connaissent pas.",
    ),
    "effective_size": (
        "Taille effective",
        "Nombre de contacts non redondants (Burt) : combien de cercles différents il touche.",
    ),
    "brokerage": (
        "Courtage",
        "Nombre de fois où il relie deux acteurs non liés (Gould et Fernandez), selon les "
        "secteurs : coordinateur (même secteur), représentant ou portier (entre son secteur "
        "et un autre), consultant (pour un autre secteur), agent de liaison (trois secteurs).",
    ),
    "reach": (
        "Portée à 2 pas",
        "Nombre d'acteurs qu'il peut atteindre en deux liens au plus.",
    ),
}

# Figures of the whole network: code -> (French label, help)
OVERALL: dict[str, tuple[str, str]] = {
    "density": (
        "Densité",
        "Part des liens possibles qui existent (0 à 1). Un petit réseau est souvent dense ; "
        "comparez des territoires de taille voisine.",
    ),
    "centralisation": (
        "Centralisation",
        "À quel point les liens se concentrent sur quelques acteurs (0 : répartis ; 1 : tout "
        "passe par un seul acteur).",
    ),
    "cross_sector_share": (
        "Liens entre secteurs",
        "Part des liens qui relient deux secteurs différents (État, collectivités, société "
        "civile, etc.).",
    ),
    "ei_sector": (
        "Indice E-I (secteurs)",
        "Indice de Krackhardt et Stern : (liens externes − internes) / total, de −1 (chacun "
        "reste dans son secteur) à +1 (les liens traversent les secteurs).",
    ),
    "ei_vertical": (
        "Indice E-I vertical / horizontal",
        "Entre −1 (les collectivités ne coordonnent qu'horizontalement, avec les associations "
        "et entre elles) et +1 (surtout verticalement, avec l'État central et déconcentré).",
    ),
}


# --- the analysis -------------------------------------------------------------------------------


def _project(actor: Actor, scope: AnalysisScope, today: date, level: str) -> nx.Graph:
    """The projection of ``level`` for the analysis scope, within the actor's scope."""
    build = projections.organisation_network if level == "organisation" else (
        projections.person_network
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


def actor_metrics(G: nx.Graph) -> tuple[list[dict], dict]:
    """Every node's metrics (``METRICS``) and the whole network's figures (``OVERALL`` and
    counts), from the pure functions of ``graph.analysis``."""
    between = centrality.betweenness(G)
    values = {
        "degree": centrality.degree(G),
        "weighted_degree": centrality.weighted_degree(G),
        "betweenness": between["values"],
        "closeness": centrality.closeness(G),
        "pagerank": centrality.pagerank(G),
        "reach": centrality.two_step_reach(G, share=False),
        "core": structure.core_numbers(G),
        # Burt's measures on ties as they are (unweighted): the classic definition.
        "constraint": structure.constraint(G, weight=None),
        "effective_size": structure.effective_size(G, weight=None),
    }
    found = structure.communities(G, seed=COMMUNITY_SEED)
    roles = brokerage.brokerage_roles(G)
    core = structure.core_periphery(G)
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
    sectors = [
        orientation
        for u, v in G.edges()
        if (orientation := (G.nodes[u].get("sector"), G.nodes[v].get("sector")))[0]
        and orientation[1]
    ]
    cross = sum(1 for a, b in sectors if a != b)
    overall = {
        "nodes": G.number_of_nodes(),
        "ties": G.number_of_edges(),
        "components": nx.number_connected_components(G) if G.number_of_nodes() else 0,
        "density": centrality.density(G),
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
