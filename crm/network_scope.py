"""The scope of a network analysis as a form gives it, and the vocabulary of its results.

``read_scope`` reads level (organisations or people), territory (a region, province or
commune, or the pilot communes), time window (default: the twelve months before today),
actor kinds and tie kinds, with a French message per bad field; ``METRICS`` and ``OVERALL``
name and explain each figure (pages, exports and the help share them). The analysis itself
is ``crm.network``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from crm.territory import resolve_commune
from crm.transactions import reads
from crm.validation import Errors, parse_date
from graph import territory as geography
from graph.analysis.weights import TIE_KINDS
from graph.vocabulary import ORGANISATION_KINDS

__all__ = ["LEVELS", "METRICS", "OVERALL", "TIE_KIND_LABELS", "AnalysisScope", "read_scope"]


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


@reads  # it looks territories up: from a view, in a read transaction (a cluster's follower)
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
