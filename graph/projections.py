"""Projections of the records into networkx graphs: who is tied to whom, and how strongly.

Each projection is ONE Cypher statement (``graph.projection_queries``) that returns the nodes
and, per record, the nodes it ties; the graph is built in Python (pairs, weights). The
graph's format is the contract of ``graph.analysis`` (node and edge attributes,
``G.graph``); weights follow ``graph.analysis.weights.tie_weight`` (count of records
discounted by their age).

What is read (every record passes the predicates of ``graph.scope`` for ``scope``):

- *Window* (``start``/``end``, inclusive, ``None`` = open): affiliations and partnerships
  whose dates overlap it (a missing ``since``/``until`` is open), events (not cancelled)
  whose ``start_date`` is in it, held interactions (``coalesce(status, 'held')``) dated in it.
- *Territory* (an HCP code of a region, province or commune: communes whose code equals it
  or starts with it + "."; ``pilots_only``: pilot communes only, within the territory if one
  is given) narrows the **nodes**: an organisation located in it; a person located in it or
  holding (or having held) a function at an organisation located in it. Nodes placed nowhere
  (an organisation without a commune, such as the shared national institutions INDH or DGCT;
  a person without a commune nor a function at a located organisation) are kept when they
  are tied to a node of the territory. Ties among the kept nodes count whatever the place of
  the record (an event in Rabat attended by two associations of Oujda ties them), as long as
  the record is visible to the scope.
- An actor without any territory (not national, no commune) has an empty network: the
  shared institutions alone are nobody's territory.

Organisation network, ties between organisations ``a`` and ``b``:

- ``partnership``: a partnership between them overlapping the window (any status). Its date
  is the last day it is in force within the window and up to ``as_of`` (a running one counts
  as of ``as_of``, or the end of a past window).
- ``shared_member``: a person affiliated with both at overlapping dates (overlapping the
  window); one record per person (``{"kind": "person"}``), dated by the last common day
  (within the window and up to ``as_of``, as for partnerships).
- ``co_attendance``: an event both took part in: organised it, or someone attended it for
  them (``ATTENDED.for_organisation``); dated by the event's ``start_date``; ``people`` are
  the attendees who came for either organisation.
- ``interaction``: a held interaction involving both: WITH the organisation, or WITH a
  person holding a function there on the interaction's date; ``people`` are the people
  WITH the interaction (visible to the scope).

Person network, ties between people:

- ``co_attendance``: two people at the same event (not cancelled);
- ``interaction``: two people WITH the same held interaction;
- ``shared_affiliation``: two people affiliated with the same organisation at overlapping
  dates; one record per organisation (``{"kind": "affiliation", "uid": <organisation uid>}``),
  dated as ``shared_member``.

``org_kinds`` (codes of ``ORGANISATION_KINDS``; ``None`` = all): at the organisation level,
the organisations kept; at the person level, the people kept are those holding a function
(overlapping the window) at an organisation of these kinds, and ``shared_affiliation`` only
counts such organisations. ``tie_kinds`` (codes of ``TIE_KINDS[level]``; ``None`` = all)
keeps those ties. People under opposition or anonymised (``graph.privacy.PERSON_NAMED``)
stay in the person network as unnamed nodes (``name`` "", ``named`` False).

Each edge: ``weight`` (``tie_weight`` of its records' dates), ``count`` (records), ``kinds``
(its tie kinds, sorted), ``last`` (ISO date of its latest dated record, or None) and, when the
graph is built with detail (``G.graph["detail"]``; lean above ``DETAIL_PAIRS`` pairs),
``records`` (``{"kind", "uid"}`` sorted) and, at the organisation level, ``people`` (the person
uids involved, sorted). A lean organisation tie keeps ``people`` only when it rests on one
person (the single-person gap rule needs nothing more).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import networkx as nx

from graph.analysis.weights import HALF_LIFE_DAYS, TIE_KINDS, record_weight
from graph.collector import collection_paused
from graph.database import run
from graph.projection_queries import organisation_query, person_query
from graph.vocabulary import ORGANISATION_KINDS, ORGANISATION_SECTORS

__all__ = ["organisation_network", "person_network"]


def organisation_network(
    scope: dict,
    *,
    territory: str | None = None,
    pilots_only: bool = False,
    start: date | None = None,
    end: date | None = None,
    org_kinds: list[str] | None = None,
    tie_kinds: list[str] | None = None,
    as_of: date,
    half_life_days: int = HALF_LIFE_DAYS,
    detail: bool | None = None,
) -> nx.Graph:
    """The organisation network of ``scope`` (``Scope.as_params()``), see the module docstring.

    ``detail``: keep each tie's records (and people), see ``DETAIL_PAIRS`` (None: automatic).
    ``ValueError`` when ``start`` is after ``end``, or for an unknown organisation or tie kind.
    """
    params = _params(
        "organisation", scope, territory, pilots_only, start, end, org_kinds, tie_kinds, as_of
    )
    graph = _empty("organisation", start, end, as_of, half_life_days)
    if params is None:
        return graph
    national = bool(scope["scope_national"])
    row = run(organisation_query(national), **params)[0]
    return _build(graph, row, [_organisation_node(n) for n in row["nodes"]], detail)


def person_network(
    scope: dict,
    *,
    territory: str | None = None,
    pilots_only: bool = False,
    start: date | None = None,
    end: date | None = None,
    org_kinds: list[str] | None = None,
    tie_kinds: list[str] | None = None,
    as_of: date,
    half_life_days: int = HALF_LIFE_DAYS,
    detail: bool | None = None,
) -> nx.Graph:
    """The person network of ``scope`` (``Scope.as_params()``), see the module docstring.

    ``detail``: keep each tie's records (and people), see ``DETAIL_PAIRS`` (None: automatic).
    ``ValueError`` when ``start`` is after ``end``, or for an unknown organisation or tie kind.
    """
    params = _params(
        "person", scope, territory, pilots_only, start, end, org_kinds, tie_kinds, as_of
    )
    graph = _empty("person", start, end, as_of, half_life_days)
    if params is None:
        return graph
    national = bool(scope["scope_national"])
    row = run(person_query(national), **params)[0]
    return _build(graph, row, [_person_node(n) for n in row["nodes"]], detail)


# --- parameters --------------------------------------------------------------------------------


def _params(
    level: str,
    scope: dict,
    territory: str | None,
    pilots_only: bool,
    start: date | None,
    end: date | None,
    org_kinds: list[str] | None,
    tie_kinds: list[str] | None,
    as_of: date,
) -> dict | None:
    """The query's parameters, or None when the scope holds nothing."""
    if start is not None and end is not None and start > end:
        raise ValueError(f"the window ends ({end}) before it starts ({start})")
    unknown = [k for k in org_kinds or () if k not in ORGANISATION_KINDS]
    if unknown:
        raise ValueError(f"unknown organisation kinds: {unknown}")
    unknown = [k for k in tie_kinds or () if k not in TIE_KINDS[level]]
    if unknown:
        raise ValueError(f"unknown tie kinds for the {level} network: {unknown}")
    if not scope["scope_national"] and not scope["scope_communes"]:
        return None
    return {
        "scope_national": bool(scope["scope_national"]),
        "scope_communes": list(scope["scope_communes"]),
        "territory": territory or None,
        "pilots_only": bool(pilots_only),
        "whole": not territory and not pilots_only,
        "start": start,
        "end": end,
        "as_of": as_of,
        "org_kinds": None if org_kinds is None else list(org_kinds),
        "tie_kinds": list(TIE_KINDS[level] if tie_kinds is None else tie_kinds),
    }


# --- building the graph ------------------------------------------------------------------------


def _empty(
    level: str, start: date | None, end: date | None, as_of: date, half_life_days: int
) -> nx.Graph:
    if half_life_days <= 0:
        raise ValueError(f"half_life_days must be positive, not {half_life_days!r}")
    graph = nx.Graph()
    graph.graph.update(
        level=level,
        as_of=as_of,
        window=(start, end),
        half_life_days=int(half_life_days),
        detail=True,
    )
    return graph


def _places(commune: str | None) -> dict:
    code = commune or ""
    parts = code.split(".")
    return {
        "commune": code,
        "province": ".".join(parts[:2]) if code else "",
        "region": parts[0] if code else "",
    }


def _organisation_node(row: dict) -> dict:
    return {
        "uid": row["uid"],
        "anchored": row["anchored"],
        "kind": "organisation",
        "name": row["name"] or "",
        "named": True,
        "sector": ORGANISATION_SECTORS.get(row["org_kind"] or "", ""),
        **_places(row["commune"]),
        "pilot": bool(row["pilot"]),
        "officers": sorted(row["officers"]),
        "org_kind": row["org_kind"] or "",
        "shared": bool(row["shared"]),
    }


def _person_node(row: dict) -> dict:
    named = bool(row["named"])
    # How Tansiq writes a person's name: "Prénom NOM" (as crm.labels.person_name).
    name = " ".join(
        x
        for x in ((row["first_name"] or "").strip(), (row["last_name"] or "").strip().upper())
        if x
    )
    return {
        "uid": row["uid"],
        "anchored": row["anchored"],
        "kind": "person",
        "name": name if named else "",
        "named": named,
        "sector": ORGANISATION_SECTORS.get(row["function_kind"] or "", ""),
        **_places(row["commune"]),
        "pilot": bool(row["pilot"]),
        "officers": sorted(row["officers"]),
        "gender": row["gender"] or "",
        "age_band": row["age_band"] or "",
    }


# The tie kind each kind of record makes, per level (one record kind per tie kind).
_TIE_OF_RECORD = {
    "partnership": "partnership",
    "person": "shared_member",
    "event": "co_attendance",
    "interaction": "interaction",
    "affiliation": "shared_affiliation",
}


# Above this many pairs (counted from the rows before any edge is built) a projection is
# built lean: each tie keeps its weight, count, kinds and last date, and ``people`` only when
# it rests on one person (the single-person gap rule), not the records behind it. At
# national scale the records of millions of ties would not fit in memory (about 1.7 KB per
# tie, measured); a page that shows a tie's records then asks for a smaller scope.
DETAIL_PAIRS = 400_000


def _build(graph: nx.Graph, row: dict, nodes: list[dict], detail: bool | None = None) -> nx.Graph:
    """Nodes, then one edge per pair of nodes tied by at least one record; nodes placed
    nowhere are dropped unless tied to a node of the territory.

    ``detail`` (None: automatic, by ``DETAIL_PAIRS``) keeps on each tie the records it rests
    on and, at the organisation level, the people involved; ``graph.graph["detail"]`` says
    which. The edges are accumulated in place, one small dictionary per pair, so the build
    holds little more than the finished graph (national scale: millions of pairs).
    """
    start, end = graph.graph["window"]
    as_of, half_life = graph.graph["as_of"], graph.graph["half_life_days"]
    with_people = graph.graph["level"] == "organisation"
    edges = row["edges"]
    if detail is None:
        detail = _pair_count(edges) <= DETAIL_PAIRS
    graph.graph["detail"] = bool(detail)
    anchored = {n["uid"] for n in nodes if n["anchored"]}
    with collection_paused():
        graph.add_nodes_from(
            (n["uid"], {k: v for k, v in n.items() if k not in ("uid", "anchored")}) for n in nodes
        )
        _add_ties(graph, edges, start, end, as_of, half_life, with_people, detail)
    if len(anchored) < graph.number_of_nodes():
        stray = [
            uid
            for uid in graph
            if uid not in anchored and not any(n in anchored for n in graph.neighbors(uid))
        ]
        graph.remove_nodes_from(stray)
    return graph


def _pair_count(edges: list[dict]) -> int:
    """An upper bound of the pairs the rows tie (a record of n members ties n(n-1)/2)."""
    return sum(len(m) * (len(m) - 1) // 2 for m in (e["members"] for e in edges))


# Each tie kind as a bit of an edge's ``kinds`` while it is built.
_KIND_BIT = {kind: 1 << i for i, kind in enumerate(sorted(set(_TIE_OF_RECORD.values())))}
_MANY = object()  # a lean tie's ``people`` marker: more than one person


def _add_ties(
    graph: nx.Graph,
    edges: list[dict],
    start: date | None,
    end: date | None,
    as_of: date,
    half_life: int,
    with_people: bool,
    detail: bool,
) -> None:
    """Add every record's pairs to ``graph``, each pair's attributes updated in place.

    Each (record, pair) comes once from the query (one row per record; a record's members
    are distinct nodes), so a tie's count is its number of records and its weight the sum of
    their ``record_weight`` (``graph.analysis.weights.tie_weight``, added up in the same order).
    """
    # The adjacency dictionaries themselves (networkx's documented storage, ``G._adj``):
    # looking pairs up through the views would cost more than building them, at this size.
    adj = graph._adj
    # Each uid as the node's own string object: the ends of millions of pairs then share a
    # few thousand strings instead of holding a decoded copy each (national scale).
    canonical = {uid: uid for uid in adj}
    weights: dict[date | None, float] = {}
    shared = _Shared()
    ties: list[dict] = []  # each tie once, as created
    for edge in edges:
        ref = shared.record(edge["record_kind"], edge["record_uid"]) if detail else None
        bit = _KIND_BIT[_TIE_OF_RECORD[edge["record_kind"]]]
        if with_people:
            brought = {m["uid"]: m["people"] for m in edge["members"]}
        if edge["tie"] in _DATED_BY_RECORD:
            # Every pair of the record's members, all dated by the record (the bulk of the
            # pairs: events and interactions), without building the pairs first.
            pairs = _member_pairs(edge["members"], _native(edge["date"]), canonical)
        else:
            pairs = _dated_pairs(edge, start, end, as_of, canonical)
        for first, second, day in pairs:
            around = adj[first]
            tie = around.get(second)
            if tie is None:
                tie = {"weight": 0.0, "count": 0, "kinds": 0, "last": None}
                if detail:
                    tie["records"] = []
                if with_people:
                    tie["people"] = set() if detail else None
                around[second] = adj[second][first] = tie
                ties.append(tie)
            weight = weights.get(day)
            if weight is None:
                weight = weights[day] = record_weight(day, as_of, half_life)
            tie["weight"] += weight
            tie["count"] += 1
            tie["kinds"] |= bit
            if day is not None and (tie["last"] is None or day > tie["last"]):
                tie["last"] = day
            if detail:
                tie["records"].append(ref)
            if with_people:
                if detail:
                    tie["people"].update(edge["people"], brought[first], brought[second])
                elif tie["people"] is not _MANY:
                    involved = (*edge["people"], *brought[first], *brought[second])
                    tie["people"] = _sole(tie["people"], involved)
    for tie in ties:
        tie["kinds"] = shared.kind_list(tie["kinds"])
        if tie["last"] is not None:
            tie["last"] = shared.day(tie["last"])
        if detail and len(tie["records"]) > 1:
            tie["records"].sort(key=_record_order)
        if with_people:
            people = tie["people"]
            if detail:
                tie["people"] = sorted(people)
            elif people is None or people is _MANY:
                del tie["people"]
            else:
                tie["people"] = [people]


def _record_order(ref: dict) -> tuple[str, str]:
    return ref["kind"], ref["uid"]


# Records whose pairs all carry the record's own date (the others: dated per pair).
_DATED_BY_RECORD = frozenset({"co_attendance", "interaction"})


def _member_pairs(
    members: list[dict], day: date | None, canonical: dict[str, str]
) -> list[tuple[str, str, date | None]]:
    """Every pair of the nodes among ``members`` (each node once, as its own uid object),
    with the record's ``day``."""
    uids = sorted({canonical[m["uid"]] for m in members if m["uid"] in canonical})
    return [(first, second, day) for i, first in enumerate(uids) for second in uids[i + 1 :]]


def _dated_pairs(
    edge: dict, start: date | None, end: date | None, as_of: date, canonical: dict[str, str]
) -> Iterator[tuple[str, str, date | None]]:
    """The pairs of nodes of a partnership or a shared function, each with its own date."""
    for (first, second), day in _pairs(edge, start, end, as_of):
        first, second = canonical.get(first), canonical.get(second)
        if first is not None and second is not None:
            yield first, second, day


def _sole(held: object, involved: tuple[str, ...]) -> object:
    """The one person a lean tie rests on so far (None: nobody yet; ``_MANY``: several)."""
    if held is _MANY:
        return _MANY
    for person in involved:
        if held is None:
            held = person
        elif person != held:
            return _MANY
    return held


class _Shared:
    """Values many edges hold alike, kept once: the reference of each record (a tie of an
    event's attendees holds the same ``{"kind", "uid"}``), each list of tie kinds, each last
    day. Edges share them: their readers must not change them (nobody does)."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], dict] = {}
        self.kinds: dict[int, list[str]] = {}
        self.days: dict[date, str] = {}

    def record(self, kind: str, uid: str) -> dict:
        ref = self.records.get((kind, uid))
        if ref is None:
            ref = self.records[(kind, uid)] = {"kind": kind, "uid": uid}
        return ref

    def kind_list(self, bits: int) -> list[str]:
        """The tie kinds of a tie's ``kinds`` bits (``_KIND_BIT``), in their order."""
        found = self.kinds.get(bits)
        if found is None:
            found = self.kinds[bits] = [k for k, b in _KIND_BIT.items() if bits & b]
        return found

    def day(self, day: date) -> str:
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = day.isoformat()
        return text


def _pairs(
    edge: dict, start: date | None, end: date | None, as_of: date
) -> Iterable[tuple[tuple[str, str], date | None]]:
    """The pairs of nodes (ordered uids) one record ties, each with the record's date."""
    members = edge["members"]
    if edge["tie"] == "partnership":
        first, second = sorted(m["uid"] for m in members)
        yield (first, second), _last_day(edge["until"], end, as_of)
        return
    if edge["tie"] in ("shared_member", "shared_affiliation"):
        # Pairs of functions at two nodes whose dates overlap (and overlap the window).
        functions = [(m["uid"], _native(m["since"]), _native(m["until"])) for m in members]
        best: dict[tuple[str, str], date] = {}
        for i, (one, one_since, one_until) in enumerate(functions):
            for other, other_since, other_until in functions[i + 1 :]:
                if one == other:
                    continue
                since = _latest(one_since, other_since, start)
                until = _earliest(one_until, other_until, end)
                if since is not None and until is not None and since > until:
                    continue
                key = (one, other) if one < other else (other, one)
                day = as_of if until is None or until > as_of else until
                if key not in best or day > best[key]:
                    best[key] = day
        yield from best.items()
        return
    day = _native(edge["date"])
    uids = sorted({m["uid"] for m in members})
    for i, first in enumerate(uids):
        for second in uids[i + 1 :]:
            yield (first, second), day


def _native(value: object) -> date | None:
    """A ``neo4j.time.Date`` (or a date, or None) as a ``datetime.date``."""
    if value is None:
        return None
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value  # type: ignore[return-value]


def _latest(*days: date | None) -> date | None:
    dated = [d for d in days if d is not None]
    return max(dated) if dated else None


def _earliest(*days: date | None) -> date | None:
    dated = [d for d in days if d is not None]
    return min(dated) if dated else None


def _last_day(until: object, end: date | None, as_of: date) -> date:
    """The last day a tie with this end is in force, within the window and up to ``as_of``."""
    return _earliest(_native(until), end, as_of)  # type: ignore[return-value]
