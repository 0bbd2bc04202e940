"""Each person's ``scope_key``: the territories through which they are visible, as words of
the full-text index, so that a search narrows to the actor's territory inside Lucene.

A common name typed by an officer matches thousands of people across the country (4,457
"Zerouali" at national scale) of whom a few hundred are in their region; testing each match
with ``graph.scope.person_visible`` walks its relationships, and that walk was most of the
page. Lucene can instead keep only the people whose ``scope_key`` holds one of the scope's
commune codes, or ``shared``; the predicate still decides on the few that remain.

The key is a whitespace-separated list of words: the code of the person's commune, the code
of the commune of each organisation they hold or held a function in, and ``shared`` when one
of them is a shared national institution: exactly what ``person_visible`` looks at. It only
narrows, never grants: a key holding a word too many (a function since deleted, an
organisation since moved) costs one predicate test; a word missing would hide the person from
an officer's search, so every write that can add one keeps the key:

- a person's commune set (``graph.contacts``) or carried over by a merge (``graph.dedupe``):
  the key is computed again (``refresh``);
- a function added (``graph.contacts``, ``graph.affiliations``' handover, ``graph.batches``):
  the organisation's words are appended;
- an organisation moved or made shared (``graph.contacts``), or merged (``graph.dedupe``): the
  keys of its people are computed again (``refresh_members``).

``backfill`` computes the keys a database never had (``install-schema``); ``missing`` lists
people whose key lacks a word (each test's teardown checks there are none).
"""

from __future__ import annotations

from graph.database import run
from graph.scope import variable

__all__ = [
    "PROPERTY",
    "SHARED",
    "append_organisation_words",
    "backfill",
    "missing",
    "refresh",
    "refresh_members",
]

PROPERTY = "scope_key"
SHARED = "shared"  # the word of a person holding a function in a shared institution

# The words a person ``p`` should have, as ``words`` (a list, each word once).
_WORDS = """
CALL (p) {
    OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
    RETURN collect(c.code) AS own
}
CALL (p) {
    OPTIONAL MATCH (p)-[:AFFILIATED_WITH]->(o:Organisation)
    OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
    RETURN collect(DISTINCT c.code)
           + CASE WHEN any(s IN collect(o.shared) WHERE s = true) THEN ['shared'] ELSE [] END
           AS theirs
}
WITH p, own + [w IN theirs WHERE NOT w IN own] AS words
"""

# Written only where it changes: an edit of an organisation recomputes the keys of all its
# people, most of them unchanged.
_SET = (
    "WITH p, reduce(key = '', w IN words | key + CASE WHEN key = '' THEN '' ELSE ' ' END + w) "
    "AS key WHERE p.scope_key IS NULL OR p.scope_key <> key "
    "SET p.scope_key = key "
)


def refresh(person_uids: list[str]) -> None:
    """Compute again the key of each of ``person_uids`` (joins the current transaction)."""
    if person_uids:
        run("UNWIND $uids AS uid MATCH (p:Person {uid: uid}) " + _WORDS + _SET, uids=person_uids)


def refresh_members(organisation_uids: list[str]) -> None:
    """Compute again the keys of everyone who holds or held a function in one of
    ``organisation_uids`` (after the organisation moved, became shared, or absorbed another)."""
    if organisation_uids:
        run(
            "MATCH (o:Organisation) WHERE o.uid IN $uids "
            "MATCH (p:Person)-[:AFFILIATED_WITH]->(o) WITH DISTINCT p " + _WORDS + _SET,
            uids=organisation_uids,
        )


def append_organisation_words(person: str, organisation: str) -> str:
    """Cypher that appends the words of organisation ``organisation`` to the key of person
    ``person`` (both bound, fixed names from code): for a function just added. Ends with a
    unit subquery: every name bound before stays bound."""
    person, organisation = variable(person), variable(organisation)
    commune = "_kc_" + organisation
    return (
        "WITH * CALL (" + person + ", " + organisation + ") { "
        "OPTIONAL MATCH (" + organisation + ")-[:LOCATED_IN]->(" + commune + ":Commune) "
        "WITH " + person + ", [w IN [" + commune + ".code, CASE WHEN " + organisation
        + ".shared = true THEN 'shared' END] WHERE w IS NOT NULL] AS words "
        # A person without a key yet keeps none: a key of these words alone would lack the
        # others, and the predicates would refuse the person instead of walking.
        "SET " + person + ".scope_key = CASE WHEN " + person + ".scope_key IS NULL THEN null "
        "ELSE trim(" + person + ".scope_key + reduce(key = '', w IN words | key + ' ' + w)) END "
        "} "
    )  # fmt: skip


def backfill(batch: int = 5000) -> int:
    """Compute the key of every person who never had one, in transactions of ``batch``;
    returns how many were computed."""
    total = 0
    while True:
        done = run(
            "MATCH (p:Person) WHERE p.scope_key IS NULL WITH p LIMIT $batch "
            + _WORDS
            + _SET
            + "RETURN count(p) AS n",
            batch=batch,
        )[0]["n"]
        total += done
        if done < batch:
            return total


def missing(limit: int = 20) -> list[dict]:
    """People (anonymised ones aside: nothing finds them) whose key lacks a word they should
    have, at most ``limit``: ``{uid, stored, words}``."""
    return run(
        "MATCH (p:Person) WHERE NOT coalesce(p.anonymised, false) "
        + _WORDS
        + """
        WITH p, words, split(coalesce(p.scope_key, ''), ' ') AS stored
        WHERE any(w IN words WHERE NOT w IN stored)
        RETURN p.uid AS uid, p.scope_key AS stored, words
        LIMIT $limit
        """,
        limit=limit,
    )
