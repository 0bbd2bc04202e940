"""Coordination gaps per commune: the rules, their settings, and the gaps a network shows.

Rules
    ``GAP_RULES`` describes every rule once: its code, French label, French explanation (what
    it means and how to read it), default severity, and the ``GapSettings`` fields that are its
    thresholds. Managers edit a ``GapSettings`` (thresholds, enabled rules, severities); the crm
    layer stores it and passes it in.
Who is who in the organisation graph (nodes of the commune: ``commune`` == its code)
    council: ``org_kind`` "commune_council"; associations: ``org_kind`` in ``ASSOCIATION_KINDS``;
    consultative bodies: ``org_kind`` "council_body" (every body of the commune: IECGAG, youth
    council, commissions; names are not read); vertical partners: any node whose ``sector`` is
    central_state or deconcentrated_state, or whose ``org_kind`` is provincial_council or
    regional_council, wherever it sits.
What is not raised
    A rule about a kind of actor the commune lacks (no council, no association, no body) stays
    silent: the "expected actor kinds missing" gap, computed by the crm layer from its
    checklist, already says so. Ties without a date are never "past cadence". The women's
    share rules need at least one participant with a known gender (no data: no gap, never a
    division by zero); the central actors' rule runs only when the commune has more
    participants than ``central_top`` (otherwise it would repeat the participants' rule).
Central actors
    Betweenness (unweighted: hops, since edge weights are strengths, not distances) in the
    person graph restricted to the commune's participants, among those with at least one tie
    there; ties broken by degree, then uid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import igraph
import networkx as nx

from graph.analysis.fast import IGraph, igraph_betweenness

__all__ = [
    "ASSOCIATION_KINDS",
    "GAP_RULES",
    "SEVERITIES",
    "Gap",
    "GapRule",
    "GapSettings",
    "commune_gaps",
]

# code -> French label, most serious first (gaps are sorted in this order).
SEVERITIES: dict[str, str] = {"high": "Haute", "medium": "Moyenne", "low": "Faible"}
ASSOCIATION_KINDS = frozenset({"osc", "cooperative", "osc_network"})
_VERTICAL_SECTORS = frozenset({"central_state", "deconcentrated_state"})
_VERTICAL_KINDS = frozenset({"provincial_council", "regional_council"})

WOMEN_SHARE_RANGE = (0.0, 1.0)
CENTRAL_TOP_RANGE = (1, 100)


@dataclass(frozen=True)
class GapRule:
    """One coordination-gap rule, described once for the code, the settings page and the UI."""

    code: str
    label: str  # French
    explanation: str  # French: what the gap means and how to read it
    severity: str  # default, a SEVERITIES code
    thresholds: tuple[str, ...] = ()  # the GapSettings fields this rule reads


GAP_RULES: dict[str, GapRule] = {
    rule.code: rule
    for rule in (
        GapRule(
            "expected_actor_missing",
            "Acteurs attendus absents",
            "Des acteurs que le programme attend dans chaque commune (liste de contrôle des "
            "communes) n'y sont pas enregistrés. Vérifiez d'abord s'ils existent sans être "
            "saisis, sinon ce sont des acteurs à identifier et à rencontrer.",
            "high",
        ),
        GapRule(
            "no_council_association_tie",
            "Aucun lien conseil communal – associations",
            "Sur la période, aucun partenariat, événement partagé, membre commun ni échange "
            "ne relie le conseil communal aux associations de la commune. La participation "
            "citoyenne passe par ce lien : c'est souvent la première rencontre à organiser.",
            "high",
        ),
        GapRule(
            "no_vertical_tie",
            "Aucun lien vertical",
            "Le conseil communal n'a, sur la période, aucun lien avec la province ou la "
            "préfecture, la région, ni avec un service de l'État (déconcentré ou central). "
            "Les projets de la commune risquent de manquer d'appuis et de financements.",
            "medium",
        ),
        GapRule(
            "associations_not_tied_to_bodies",
            "Associations sans lien avec les instances du conseil",
            "Aucune association de la commune n'est liée aux instances consultatives du "
            "conseil (IECGAG, conseil des jeunes, commissions). Ces instances sont faites pour "
            "associer la société civile : elles ne jouent pas ce rôle ici.",
            "medium",
        ),
        GapRule(
            "single_person_tie",
            "Lien qui repose sur une seule personne",
            "Le lien entre deux organisations ne tient qu'à une personne (sans partenariat "
            "formel) : si elle part, le lien disparaît. Un partenariat ou une deuxième "
            "personne de contact le rendrait plus solide.",
            "medium",
        ),
        GapRule(
            "tie_past_cadence",
            "Lien au-delà de sa cadence",
            "Le dernier contact entre deux organisations est plus ancien que la cadence de "
            "suivi fixée pour leur type (la plus courte des deux). Le lien risque de se "
            "perdre : un échange est à prévoir.",
            "low",
        ),
        GapRule(
            "women_share_participants",
            "Part des femmes parmi les participants",
            "La part des femmes parmi les participants de la commune (dont le genre est "
            "connu) est inférieure au seuil fixé. Les personnes au genre non renseigné ne "
            "sont pas comptées.",
            "medium",
            ("women_share_minimum",),
        ),
        GapRule(
            "women_share_central",
            "Part des femmes parmi les acteurs les plus centraux",
            "Parmi les personnes les plus centrales de la commune (celles qui relient le plus "
            "les autres entre elles), la part des femmes est inférieure au seuil fixé : les "
            "femmes participent peut-être, mais sont peu présentes là où circule "
            "l'information.",
            "medium",
            ("women_share_minimum", "central_top"),
        ),
    )
}


@dataclass(frozen=True)
class GapSettings:
    """The manager's settings of the gap rules (defaults until a manager changes them).

    ``severities`` overrides the default severity of some rules (code -> SEVERITIES code).
    Out-of-range values raise ``ValueError`` with a French message.
    """

    women_share_minimum: float = 0.3
    central_top: int = 10
    enabled: frozenset[str] = frozenset(GAP_RULES)
    severities: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        low, high = WOMEN_SHARE_RANGE
        if not low <= self.women_share_minimum <= high:
            raise ValueError("La part minimale de femmes doit être comprise entre 0 et 1.")
        low, high = CENTRAL_TOP_RANGE
        if not low <= self.central_top <= high:
            raise ValueError(
                f"Le nombre d'acteurs centraux doit être compris entre {low} et {high}."
            )
        unknown = (set(self.enabled) | set(self.severities)) - set(GAP_RULES)
        if unknown:
            raise ValueError("Règle inconnue : " + ", ".join(sorted(unknown)) + ".")
        if set(self.severities.values()) - set(SEVERITIES):
            raise ValueError("Gravité inconnue (haute, moyenne ou faible).")

    def severity(self, rule: str) -> str:
        """The severity of ``rule``: the manager's choice, else the rule's default."""
        return self.severities.get(rule, GAP_RULES[rule].severity)


@dataclass(frozen=True)
class Gap:
    """One coordination gap of one commune.

    ``records`` lists the uids it rests on (organisations, people, events, interactions,
    partnerships); ``people`` repeats the person uids among them so the crm layer can decide
    whether each may be named. ``why`` never names a person.
    """

    commune: str
    rule: str
    severity: str
    why: str
    records: tuple[str, ...] = ()
    people: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return GAP_RULES[self.rule].label

    @property
    def severity_label(self) -> str:
        return SEVERITIES[self.severity]

    def as_dict(self) -> dict:
        """Plain values (for templates, JSON and snapshots)."""
        return {
            "commune": self.commune,
            "rule": self.rule,
            "label": self.label,
            "severity": self.severity,
            "severity_label": self.severity_label,
            "why": self.why,
            "records": list(self.records),
            "people": list(self.people),
        }


def commune_gaps(
    org_graph: nx.Graph,
    person_graph: nx.Graph,
    communes: Iterable[Mapping[str, str]],
    *,
    settings: GapSettings | None = None,
    as_of: date | None = None,
    cadences: Mapping[str, int] | None = None,
    missing_kinds: Mapping[str, Iterable[str]] | None = None,
) -> list[Gap]:
    """The coordination gaps of each commune, by the enabled rules of ``GAP_RULES``.

    Parameters
    ----------
    org_graph, person_graph : projections of the contract (organisation and person level)
    communes : the communes to assess, each ``{"code", "name"}``
    settings : thresholds, enabled rules and severities (``GapSettings()`` by default)
    as_of : the day ages are measured from (default ``org_graph.graph["as_of"]``, else today)
    cadences : days per organisation kind (crm.cadence kinds); kinds absent are not assessed
    missing_kinds : commune code -> French labels of the checklist rules it fails

    Returns
    -------
    Gaps in the communes' order, then most severe first, then in ``GAP_RULES`` order (one gap
    per tie for the single-person and cadence rules). Inputs are not modified.

    Examples
    --------
    >>> G = nx.Graph(level="organisation", window=(None, None))
    >>> G.add_node("c", kind="organisation", name="Conseil", org_kind="commune_council",
    ...            commune="01.01", sector="territorial_collectivity")
    >>> G.add_node("a", kind="organisation", name="Asso", org_kind="osc", commune="01.01",
    ...            sector="civil_society")
    >>> P = nx.Graph(level="person")
    >>> [g.rule for g in commune_gaps(G, P, [{"code": "01.01", "name": "X"}],
    ...                                as_of=date(2026, 1, 1))]
    ['no_council_association_tie', 'no_vertical_tie']
    """
    settings = settings or GapSettings()
    as_of = as_of or org_graph.graph.get("as_of") or date.today()
    cadences = cadences or {}
    missing_kinds = missing_kinds or {}
    period = _period(org_graph.graph.get("window") or (None, None))
    checks = {
        "expected_actor_missing": lambda c: _expected_missing(missing_kinds.get(c, ())),
        "no_council_association_tie": lambda c: _council_association(org_graph, c, period),
        "no_vertical_tie": lambda c: _vertical(org_graph, c, period),
        "associations_not_tied_to_bodies": lambda c: _bodies(org_graph, c, period),
        "single_person_tie": lambda c: _single_person(org_graph, c),
        "tie_past_cadence": lambda c: _past_cadence(org_graph, c, as_of, cadences),
        "women_share_participants": lambda c: _women_participants(person_graph, c, settings),
        "women_share_central": lambda c: _women_central(person_graph, c, settings),
    }
    order = {code: i for i, code in enumerate(GAP_RULES)}
    rank = {code: i for i, code in enumerate(SEVERITIES)}
    gaps: list[Gap] = []
    # Nodes and ties by commune, read once for this call: each rule then looks at one
    # commune's nodes and ties, not the whole graph's (O(ties) overall, not O(communes x ties)).
    _BY_COMMUNE[id(org_graph)] = _by_commune(org_graph)
    _BY_COMMUNE[id(person_graph)] = _by_commune(person_graph)
    _TIES_BY_COMMUNE[id(org_graph)] = _ties_by_commune(org_graph)
    try:
        for commune in communes:
            code = commune["code"]
            found = [
                Gap(code, rule, settings.severity(rule), why, records, people)
                for rule, check in checks.items()
                if rule in settings.enabled
                for why, records, people in check(code)
            ]
            found.sort(key=lambda g: (rank[g.severity], order[g.rule], g.records))
            gaps.extend(found)
    finally:
        _BY_COMMUNE.pop(id(org_graph), None)
        _BY_COMMUNE.pop(id(person_graph), None)
        _TIES_BY_COMMUNE.pop(id(org_graph), None)
    return gaps


# id(graph) -> {commune code: [nodes]} and {commune code: [ties]}, for the duration of a
# ``commune_gaps`` call.
_BY_COMMUNE: dict[int, dict[str, list]] = {}
_TIES_BY_COMMUNE: dict[int, dict[str, list]] = {}


def _by_commune(G: nx.Graph) -> dict[str, list]:
    index: dict[str, list] = {}
    for node, data in G.nodes(data=True):
        index.setdefault(data.get("commune") or "", []).append(node)
    return index


def _nodes_in(G: nx.Graph, commune: str) -> Iterable:
    """The nodes of ``G`` located in ``commune`` (from the call's index when there is one)."""
    index = _BY_COMMUNE.get(id(G))
    if index is not None:
        return index.get(commune, ())
    return (n for n, data in G.nodes(data=True) if data.get("commune") == commune)


# A rule check yields (why, records, people) triples for one commune.
_Found = list[tuple[str, tuple[str, ...], tuple[str, ...]]]


def _expected_missing(labels: Iterable[str]) -> _Found:
    labels = list(labels)
    if not labels:
        return []
    return [("Acteurs attendus absents de la commune : " + " ; ".join(labels) + ".", (), ())]


def _council_association(G: nx.Graph, commune: str, period: str) -> _Found:
    councils = _of_commune(G, commune, {"commune_council"})
    associations = _of_commune(G, commune, ASSOCIATION_KINDS)
    if not councils or not associations or _tied(G, councils, associations):
        return []
    why = f"Aucun lien entre le conseil communal et {_associations(associations)} {period}."
    return [(why, tuple(councils + associations), ())]


def _vertical(G: nx.Graph, commune: str, period: str) -> _Found:
    councils = _of_commune(G, commune, {"commune_council"})
    if not councils:
        return []
    for council in councils:
        for other in G.neighbors(council):
            data = G.nodes[other]
            if data.get("sector") in _VERTICAL_SECTORS or data.get("org_kind") in _VERTICAL_KINDS:
                return []
    why = (
        "Aucun lien entre le conseil communal et la province, la région ou un service de "
        f"l'État {period}."
    )
    return [(why, tuple(councils), ())]


def _bodies(G: nx.Graph, commune: str, period: str) -> _Found:
    bodies = _of_commune(G, commune, {"council_body"})
    associations = _of_commune(G, commune, ASSOCIATION_KINDS)
    if not bodies or not associations or _tied(G, bodies, associations):
        return []
    those = (
        "l'instance consultative du conseil"
        if len(bodies) == 1
        else f"les {len(bodies)} instances consultatives du conseil"
    )
    why = f"Aucun lien entre {_associations(associations)} et {those} {period}."
    return [(why, tuple(bodies + associations), ())]


def _single_person(G: nx.Graph, commune: str) -> _Found:
    found = []
    for u, v, data in _ties_of_commune(G, commune):
        people = data.get("people") or []
        if "partnership" in (data.get("kinds") or []) or len(people) != 1:
            continue
        why = (
            f"Le lien entre « {_name(G, u)} » et « {_name(G, v)} » ne repose que sur une "
            "seule personne, sans partenariat formel."
        )
        records = _unique([u, v, people[0], *_record_uids(data)])
        found.append((why, records, (people[0],)))
    return found


def _past_cadence(G: nx.Graph, commune: str, as_of: date, cadences: Mapping[str, int]) -> _Found:
    found = []
    nodes = G._node  # networkx's node storage: national scale reads millions of ties here
    for u, v, data in _ties_of_commune(G, commune):
        last = _as_date(data.get("last"))
        if last is None:
            continue
        one = cadences.get(nodes[u].get("org_kind") or "")
        other = cadences.get(nodes[v].get("org_kind") or "")
        if one is None and other is None:
            continue
        cadence = other if one is None else one if other is None else min(one, other)
        age = (as_of - last).days
        if age <= cadence:
            continue
        why = (
            f"Dernier contact entre « {nodes[u].get('name') or _NO_NAME} » et "
            f"« {nodes[v].get('name') or _NO_NAME} » le {_day_text(last)}, il y a {age} jours "
            f"(cadence : {cadence} jours)."
        )
        records = data.get("records")
        found.append((why, _unique([u, v, *_record_uids(data)]) if records else (u, v), ()))
    return found


def _women_participants(P: nx.Graph, commune: str, settings: GapSettings) -> _Found:
    participants = _people_of_commune(P, commune)
    women, known = _gender_counts(P, participants)
    if not known or women / known >= settings.women_share_minimum:
        return []
    why = (
        f"{_women(women)} sur {_plural(known, 'participant')} dont le genre est connu "
        f"({_percent(women / known)}), sous le seuil de "
        f"{_percent(settings.women_share_minimum)}."
    )
    return [(why, tuple(participants), tuple(participants))]


def _women_central(P: nx.Graph, commune: str, settings: GapSettings) -> _Found:
    participants = _people_of_commune(P, commune)
    if len(participants) <= settings.central_top:
        return []
    local, degree = _local_graph(P, participants)
    # Equal to nx.betweenness_centrality(P.subgraph(participants)).
    betweenness = igraph_betweenness(P, ig=local)
    candidates = [n for n in participants if degree[n] > 0]
    # Rounded: equal betweenness values computed in another order differ in the last bits.
    candidates.sort(key=lambda n: (-round(betweenness[n], 12), -degree[n], n))
    central = candidates[: settings.central_top]
    women, known = _gender_counts(P, central)
    if not known or women / known >= settings.women_share_minimum:
        return []
    why = (
        f"Parmi les {_plural(len(central), 'personne')} les plus centrales de la commune, "
        f"{_women(women)} sur {known} dont le genre est connu ({_percent(women / known)}), "
        f"sous le seuil de {_percent(settings.women_share_minimum)}."
    )
    return [(why, tuple(central), tuple(central))]


def _local_graph(P: nx.Graph, members: list[str]) -> tuple[IGraph, dict[str, int]]:
    """The igraph copy of ``P.subgraph(members)`` (self-loops left out) and each member's
    degree in that subgraph, read from `P`'s adjacency: converting a subgraph view walks the
    view's filters, several times slower on the communes of a programme."""
    index = {node: i for i, node in enumerate(members)}
    adjacency = P.adj
    edges: list[tuple[str, str]] = []
    degree: dict[str, int] = {}
    for i, u in enumerate(members):
        around = adjacency[u]
        inside = [v for v in around if v in index]
        degree[u] = len(inside) + (1 if u in around else 0)  # a self-loop counts 2, as nx does
        edges.extend((u, v) for v in inside if index[v] > i)
    g = igraph.Graph(n=len(members), edges=[(index[u], index[v]) for u, v in edges])
    g.es["weight"] = [1.0] * len(edges)
    return IGraph(g, list(members), index, edges), degree


def _of_commune(G: nx.Graph, commune: str, org_kinds: Iterable[str]) -> list[str]:
    kinds = set(org_kinds)
    return sorted(n for n in _nodes_in(G, commune) if G.nodes[n].get("org_kind") in kinds)


def _people_of_commune(P: nx.Graph, commune: str) -> list[str]:
    return sorted(_nodes_in(P, commune))


def _ties_of_commune(G: nx.Graph, commune: str) -> list[tuple[str, str, dict]]:
    """Ties between two organisations with at least one end in the commune (no self-loops),
    each ``(u, v, data)`` with ``u < v``, sorted."""
    index = _TIES_BY_COMMUNE.get(id(G))
    if index is None:
        index = _ties_by_commune(G)
    return index.get(commune, [])


def _ties_by_commune(G: nx.Graph) -> dict[str, list[tuple[str, str, dict]]]:
    """Every commune's ties of ``_ties_of_commune``, in one pass over the ties."""
    index: dict[str, list[tuple[str, str, dict]]] = {}
    nodes = G._node
    for u, around in G._adj.items():  # networkx's storage: each tie is seen from both ends
        first = nodes[u]
        if first.get("kind") != "organisation":
            continue
        here = first.get("commune") or ""
        for v, data in around.items():
            if not u < v:  # once per tie, ``u < v``; no self-loops
                continue
            second = nodes[v]
            if second.get("kind") != "organisation":
                continue
            tie = (u, v, data)
            there = second.get("commune") or ""
            if here:
                index.setdefault(here, []).append(tie)
            if there and there != here:
                index.setdefault(there, []).append(tie)
    for ties in index.values():
        ties.sort(key=_pair_of)
    return index


def _pair_of(tie: tuple[str, str, dict]) -> tuple[str, str]:
    return tie[0], tie[1]


def _tied(G: nx.Graph, these: list[str], those: list[str]) -> bool:
    return any(G.has_edge(a, b) for a in these for b in those if a != b)


def _gender_counts(P: nx.Graph, people: Iterable[str]) -> tuple[int, int]:
    genders = [P.nodes[n].get("gender") for n in people]
    return genders.count("f"), sum(1 for g in genders if g in ("f", "m"))


def _record_uids(data: Mapping) -> list[str]:
    return [r["uid"] for r in data.get("records") or []]


def _unique(uids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(uids))


_NO_NAME = "organisation sans nom"


def _name(G: nx.Graph, node: str) -> str:
    return G.nodes[node].get("name") or _NO_NAME


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return _parsed_day(str(value)[:10])


# Ties share a few thousand distinct days (ISO text): each is parsed and written once.
@lru_cache(maxsize=8192)
def _parsed_day(text: str) -> date:
    return date.fromisoformat(text)


@lru_cache(maxsize=8192)
def _day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _period(window: tuple) -> str:
    start, end = (tuple(window) + (None, None))[:2]
    if start and end:
        return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    if start:
        return f"depuis le {start:%d/%m/%Y}"
    if end:
        return f"jusqu'au {end:%d/%m/%Y}"
    return "dans les données enregistrées"


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def _women(count: int) -> str:
    return _plural(count, "femme")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("s" if count > 1 else "")


def _associations(uids: list[str]) -> str:
    if len(uids) == 1:
        return "l'association de la commune"
    return f"les {len(uids)} associations de la commune"
