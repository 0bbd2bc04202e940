"""Duplicate records: what candidate generation reads, dismissed pairs, and the merge itself.

Graph additions
    ``(a)-[:NOT_DUPLICATE_OF {by, at}]->(b)`` between two people or two organisations that a
    user declared distinct; the pair is never proposed again (the tie survives later merges).
    ``merged_uids`` (list) on a record that absorbed others: the uids of every record merged
    into it, so old links and audit events still resolve.

Merging moves every relationship of the removed node to the kept node, in one transaction,
with one static query per relationship type and direction (no APOC): the types come from
``TIE_POLICIES`` only, and a node holding any other type is refused (``UnknownTies``) rather
than losing it silently.
"""

from __future__ import annotations

from collections.abc import Callable

from graph import last_contact, scope_keys
from graph.database import atomic, run
from graph.records import StaleVersion
from graph.scope import (
    organisation_visible,
    organisation_writable,
    organisations_in_scope,
    people_in_scope,
    person_visible,
    person_writable,
)
from graph.search import in_territory, index_name

__all__ = [
    "DEDUPE_LABELS",
    "TIE_POLICIES",
    "UnknownTies",
    "dismiss_pair",
    "dismissed_pairs",
    "merge_records",
    "merged_into",
    "matching_versions",
    "merged_uids",
    "organisations_resembling",
    "records_for_matching",
    "people_resembling",
    "tie_counts",
]

DEDUPE_LABELS = ("Person", "Organisation")

# How a tie of the removed record is carried over to the kept one, per (type, direction);
# "out" starts at the merged record, "in" ends at it.
#   copy   — every tie is a fact of its own (a function held, a partnership, with its dates
#            and uid, which other ties may reference): recreated as is, always.
#   unique — one tie per pair of nodes (took part in an interaction, attended an event):
#            recreated unless the kept record already has it.
#   single — at most one such tie per record (seat commune, parent council): taken from the
#            removed record only when the kept record has none.
COPY, UNIQUE, SINGLE = "copy", "unique", "single"
TIE_POLICIES: dict[tuple[str, str], str] = {
    ("AFFILIATED_WITH", "out"): COPY,  # person -> organisation
    ("AFFILIATED_WITH", "in"): COPY,  # organisation <- person
    ("PARTNERS_WITH", "out"): COPY,
    ("PARTNERS_WITH", "in"): COPY,
    ("LOCATED_IN", "out"): SINGLE,
    ("PART_OF", "out"): SINGLE,  # IECGAG -> its commune council
    ("PART_OF", "in"): UNIQUE,  # the council's bodies
    ("WITH", "in"): UNIQUE,  # interaction -> person | organisation
    ("ATTENDED", "out"): UNIQUE,  # person -> event
    ("ORGANISED", "out"): UNIQUE,  # organisation -> event
    ("ABOUT", "in"): UNIQUE,  # follow-up -> person | organisation
    ("COVERS", "in"): UNIQUE,  # user -> territory or record they cover
    ("NOT_DUPLICATE_OF", "out"): UNIQUE,
    ("NOT_DUPLICATE_OF", "in"): UNIQUE,
}


class UnknownTies(Exception):
    """The removed record holds relationship types the merge does not know how to carry."""

    def __init__(self, types: list[str]) -> None:
        super().__init__(", ".join(types))
        self.types = types


def _move_query(label: str, rel_type: str, direction: str, policy: str) -> str:
    # Label, type and direction come from DEDUPE_LABELS and TIE_POLICIES only.
    rel = "-[r:" + rel_type + "]->"
    if direction == "out":
        tie, new = "(gone)" + rel + "(other)", "(kept)-[n:" + rel_type + "]->(other)"
        existing = "(kept)-[:" + rel_type + "]->" + ("(other)" if policy == UNIQUE else "()")
    else:
        tie, new = "(other)" + rel + "(gone)", "(other)-[n:" + rel_type + "]->(kept)"
        existing = ("(other)" if policy == UNIQUE else "()") + "-[:" + rel_type + "]->(kept)"
    query = (
        "MATCH (gone:" + label + " {uid: $removed}) "
        "MATCH (kept:" + label + " {uid: $kept}) "
        "MATCH " + tie + " WHERE other <> kept AND other <> gone "
    )
    if policy == COPY:
        query += "WITH kept, other, r "
    else:
        # One tie per other node: several on the removed record collapse into one.
        query += "WITH kept, other, collect(r)[0] AS r "
        query += "WHERE NOT EXISTS { MATCH " + existing + " } "
        if policy == SINGLE:
            query += "WITH kept, other, r LIMIT 1 "
    # The old tie goes first: some ties carry a uid under a uniqueness constraint.
    query += "WITH kept, other, r, properties(r) AS props DELETE r "
    return query + "CREATE " + new + " SET n = props RETURN count(n) AS moved"


_MOVES = {
    (label, rel_type, direction): _move_query(label, rel_type, direction, policy)
    for label in DEDUPE_LABELS
    for (rel_type, direction), policy in TIE_POLICIES.items()
}

_LOCK = {
    label: "MATCH (n:" + label + ") WHERE n.uid IN $uids "
    "WITH n ORDER BY n.uid SET n._lock = true REMOVE n._lock "
    "RETURN n.uid AS uid, n.version AS version, properties(n) AS props"
    for label in DEDUPE_LABELS
}
_TIES = {
    label: "MATCH (gone:" + label + " {uid: $removed})-[r]-(other) "
    "RETURN type(r) AS type, CASE WHEN startNode(r) = gone THEN 'out' ELSE 'in' END AS direction, "
    "other.uid = $kept AS between, count(r) AS n"
    for label in DEDUPE_LABELS
}
_DELETE = {
    label: "MATCH (gone:" + label + " {uid: $removed}) DETACH DELETE gone"
    for label in DEDUPE_LABELS
}
_UPDATE = {
    label: "MATCH (kept:" + label + " {uid: $kept}) "
    "SET kept += $props, kept.merged_uids = $merged_uids, "
    "kept.version = kept.version + 1, kept.updated_at = datetime() "
    "RETURN kept.version AS version"
    for label in DEDUPE_LABELS
}


def merge_records(
    label: str,
    kept_uid: str,
    removed_uid: str,
    expected_versions: dict[str, int],
    combine: Callable[[dict, dict], dict],
) -> dict | None:
    """Merge ``removed_uid`` into ``kept_uid`` in one transaction.

    ``combine(kept_props, removed_props)`` returns the properties to set on the kept record (it
    may raise to refuse the merge; nothing is written then). Returns ``{'version', 'moved',
    'collapsed', 'between'}`` (the kept record's new version; ties carried over, ties that the
    kept record already had, and ties between the two records that were dropped, by type),
    ``None`` if either record does not exist. Raises ``StaleVersion`` (carrying the record as it
    is now) if a version differs from ``expected_versions``, and ``UnknownTies``.
    """
    with atomic():
        rows = {r["uid"]: r for r in run(_LOCK[label], uids=[kept_uid, removed_uid])}
        if kept_uid not in rows or removed_uid not in rows:
            return None
        for uid in (kept_uid, removed_uid):
            if rows[uid]["version"] != expected_versions.get(uid):
                raise StaleVersion(rows[uid]["props"])
        kept, removed = rows[kept_uid]["props"], rows[removed_uid]["props"]

        ties = run(_TIES[label], removed=removed_uid, kept=kept_uid)
        unknown = sorted(
            {t["type"] for t in ties if (t["type"], t["direction"]) not in TIE_POLICIES}
        )
        if unknown:
            raise UnknownTies(unknown)
        props = combine(kept, removed)

        moved: dict[str, int] = {}
        collapsed: dict[str, int] = {}
        between: dict[str, int] = {}
        present: dict[tuple[str, str], int] = {}
        for t in ties:
            if t["between"]:
                between[t["type"]] = between.get(t["type"], 0) + t["n"]
            else:
                key = (t["type"], t["direction"])
                present[key] = present.get(key, 0) + t["n"]
        for (rel_type, direction), total in sorted(present.items()):
            query = _MOVES[(label, rel_type, direction)]
            count = run(query, removed=removed_uid, kept=kept_uid)[0]["moved"]
            moved[rel_type] = moved.get(rel_type, 0) + count
            if total > count:
                collapsed[rel_type] = collapsed.get(rel_type, 0) + total - count

        run(_DELETE[label], removed=removed_uid)
        merged_uids = _union(
            kept.get("merged_uids") or [], [removed_uid], removed.get("merged_uids") or []
        )
        version = run(_UPDATE[label], kept=kept_uid, props=props, merged_uids=merged_uids)[0][
            "version"
        ]
        # The kept record now holds the removed one's interactions too.
        last_contact.refresh(*(([kept_uid], []) if label == "Person" else ([], [kept_uid])))
        # ... and is found wherever either of them was (graph.scope_keys).
        if label == "Person":
            scope_keys.refresh([kept_uid])
        else:
            scope_keys.refresh_members([kept_uid])
    return {"version": version, "moved": moved, "collapsed": collapsed, "between": between}


def _union(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(x for values in lists for x in values))


# --- reads for candidate generation ------------------------------------------------------------


# What duplicate scoring reads of each record (``crm.matching``), per label: the candidate set
# of a scope (``graph.scope``), the condition on a writable record ``p``, the record's fields
# in order, and the row's fields as named.
_MATCHED = {
    "Person": (
        people_in_scope,
        "NOT coalesce(p.anonymised, false) AND " + person_writable("p"),
        """OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        RETURN collect([p.uid, p.version, p.first_name, p.last_name, p.first_name_ar,
                        p.last_name_ar, p.gender, coalesce(p.phones, []),
                        coalesce(p.emails, []), c.code, c.name_fr,
                        [(p)-[:NOT_DUPLICATE_OF]-(q:Person) | q.uid]]) AS rows""",
        ("uid", "version", "first_name", "last_name", "first_name_ar", "last_name_ar",
         "gender", "phones", "emails", "commune", "commune_name", "dismissed"),
    ),
    "Organisation": (
        organisations_in_scope,
        organisation_writable("p"),
        """OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        RETURN collect([p.uid, p.version, p.name, p.name_ar, p.acronym, p.kind, p.phone,
                        p.email, p.website, p.seed_key, c.code, c.name_fr,
                        [(p)-[:NOT_DUPLICATE_OF]-(q:Organisation) | q.uid]]) AS rows""",
        ("uid", "version", "name", "name_ar", "acronym", "kind", "phone", "email", "website",
         "seed_key", "commune", "commune_name", "dismissed"),
    ),
}  # fmt: skip


def _matched(label: str, scope: dict, uids: list[str] | None = None) -> str:
    """The clause binding ``p`` to every writable record of ``label`` (of ``uids`` only)."""
    if label not in _MATCHED:
        raise ValueError(f"not a deduplicated label: {label!r}")
    candidates, writable = _MATCHED[label][:2]
    if uids is not None:
        found = "UNWIND $uids AS wanted MATCH (p:" + label + " {uid: wanted}) "
    else:  # a territory's records from its communes (index seeks), not the whole country's
        found = candidates("p", national=bool(scope["scope_national"]))
    return found + "WITH p WHERE " + writable + " "


def records_for_matching(label: str, scope: dict, uids: list[str] | None = None) -> list[dict]:
    """Every record of ``label`` (Person or Organisation) the scope may change, anonymised
    people aside, with what matching needs; ``uids``: only those of them.

    One linear read, returned as one row (a row per record costs more to decode than the
    read itself at national scale); blocking and scoring happen in ``crm``.
    """
    clause = _matched(label, scope, uids)
    _, _, returned, fields = _MATCHED[label]
    rows = run(clause + returned, uids=uids, **scope)[0]["rows"]
    return [dict(zip(fields, row, strict=True)) for row in rows]


def matching_versions(label: str, scope: dict) -> dict[str, int]:
    """uid -> version of every record ``records_for_matching`` would return for ``scope``:
    what changed since they were read (every edit of a record raises its version)."""
    rows = run(_matched(label, scope) + "RETURN collect([p.uid, p.version]) AS rows", **scope)
    return dict(rows[0]["rows"])


def dismissed_pairs(label: str) -> set[tuple[str, str]]:
    """Every pair of records of ``label`` declared distinct, as ``(smaller uid, larger)``."""
    if label not in _MATCHED:
        raise ValueError(f"not a deduplicated label: {label!r}")
    rows = run(
        "MATCH (a:" + label + ")-[:NOT_DUPLICATE_OF]-(b:" + label + ") WHERE a.uid < b.uid "
        "RETURN collect([a.uid, b.uid]) AS pairs"
    )  # fmt: skip
    return {(a, b) for a, b in rows[0]["pairs"]}


# --- reads for the duplicate warning at save time ----------------------------------------------
#
# A new record is compared with a few candidates only, found through the full-text index of
# ``graph.search`` (a phone's digits, an e-mail address, name skeletons are indexed words), and
# each tested with the visibility predicate: the warning never shows a record the actor cannot
# see. The full-text index yields its best matches first, so the limit keeps the best ones.

_RESEMBLING = {
    "Person": "CALL db.index.fulltext.queryNodes('"
    + index_name("Person")
    + "', $lucene) YIELD node "
    "WITH node AS p WHERE NOT coalesce(p.anonymised, false) AND "
    + person_visible("p")
    + """
    WITH p LIMIT $limit
    OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
    CALL (p) {
        OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
        WHERE a.until IS NULL AND """
    + organisation_visible("o")
    + """
        RETURN collect(o.name)[..3] AS organisations
    }
    RETURN p.uid AS uid, p.first_name AS first_name, p.last_name AS last_name,
           p.first_name_ar AS first_name_ar, p.last_name_ar AS last_name_ar,
           p.gender AS gender, coalesce(p.phones, []) AS phones,
           coalesce(p.emails, []) AS emails, c.code AS commune, c.name_fr AS commune_name,
           organisations
    """,
    "Organisation": "CALL db.index.fulltext.queryNodes('"
    + index_name("Organisation")
    + "', $lucene) YIELD node "
    "WITH node AS o WHERE "
    + organisation_visible("o")
    + """
    WITH o LIMIT $limit
    OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
    RETURN o.uid AS uid, o.name AS name, o.name_ar AS name_ar, o.acronym AS acronym,
           o.kind AS kind, o.phone AS phone, o.email AS email, o.website AS website,
           c.code AS commune, c.name_fr AS commune_name
    """,
}


def people_resembling(lucene: str, scope: dict, limit: int = 50) -> list[dict]:
    """Up to ``limit`` people visible under ``scope`` matching ``lucene`` (a query of
    ``graph.search.lucene_alternatives``), best matches first, with what scoring needs and
    their current organisations (visible ones, three at most)."""
    if not lucene:
        return []
    # Narrowed to the scope's territory words first: a common name matches people nationwide.
    return run(_RESEMBLING["Person"], lucene=in_territory(lucene, scope), limit=limit, **scope)


def organisations_resembling(lucene: str, scope: dict, limit: int = 50) -> list[dict]:
    """Up to ``limit`` organisations visible under ``scope`` matching ``lucene``."""
    if not lucene:
        return []
    return run(_RESEMBLING["Organisation"], lucene=lucene, limit=limit, **scope)


_TIE_COUNTS = {
    label: "MATCH (n:" + label + " {uid: $uid}) "
    "MATCH (n)-[r]-() RETURN type(r) AS type, count(r) AS n"
    for label in DEDUPE_LABELS
}


def tie_counts(label: str, uid: str) -> dict[str, int]:
    """Number of relationships of one record, by type (both directions)."""
    return {row["type"]: row["n"] for row in run(_TIE_COUNTS[label], uid=uid)}


# --- dismissed pairs ---------------------------------------------------------------------------

_DISMISS = {
    label: "MATCH (a:" + label + " {uid: $a}) MATCH (b:" + label + " {uid: $b}) "
    "MERGE (a)-[d:NOT_DUPLICATE_OF]-(b) "
    "ON CREATE SET d.by = $by, d.at = datetime() "
    "RETURN count(d) AS n"
    for label in DEDUPE_LABELS
}


def dismiss_pair(label: str, a: str, b: str, by: str) -> bool:
    """Remember that ``a`` and ``b`` are distinct; ``False`` if either does not exist."""
    return bool(run(_DISMISS[label], a=a, b=b, by=by)[0]["n"])


# --- old uids ----------------------------------------------------------------------------------

_MERGED_INTO = {
    "Person": "MATCH (p:Person) WHERE $uid IN p.merged_uids AND "
    + person_visible("p")
    + " RETURN p.uid AS uid LIMIT 1",
    "Organisation": "MATCH (o:Organisation) WHERE $uid IN o.merged_uids AND "
    + organisation_visible("o")
    + " RETURN o.uid AS uid LIMIT 1",
}


def merged_into(label: str, uid: str, scope: dict) -> str | None:
    """The record (visible under ``scope``) that absorbed the removed record ``uid``, if any."""
    rows = run(_MERGED_INTO[label], uid=uid, **scope)
    return rows[0]["uid"] if rows else None


_MERGED_UIDS = {
    label: "MATCH (n:" + label + " {uid: $uid}) RETURN coalesce(n.merged_uids, []) AS uids"
    for label in DEDUPE_LABELS
}


def merged_uids(label: str, uid: str) -> list[str]:
    """The uids of the records merged into ``uid`` (their audit events are its history too)."""
    rows = run(_MERGED_UIDS[label], uid=uid)
    return rows[0]["uids"] if rows else []
