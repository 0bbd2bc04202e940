"""The last held interaction of each person and organisation, kept on the record itself.

``last_contact`` (date of its latest held interaction; absent when none) and
``held_interactions`` (how many held interactions it is ``WITH``; absent when it has never
had an interaction) are derived data: every write of interactions updates them in its own
transaction — a new, edited, re-dated, cancelled or deleted interaction, its participants
changed, a merge — so that "losing touch" (``graph.interactions.ties_past_cadence``) and the
home page read one property per record instead of aggregating every interaction of the
scope (about 3 s nationally after each write, measured). Like search keys they change
neither ``version`` nor ``updated_at``: nobody's edit in progress becomes stale.

A held interaction is one whose ``status`` is "held" or missing (interactions logged before
statuses existed). ``backfill`` computes both for records that never had them (a database
from before this field, a restored backup of one); ``out_of_date`` lists records whose
stored values differ from their interactions (tests, checks).
"""

from __future__ import annotations

from graph.database import run

__all__ = [
    "GENERATED_INCREMENT",
    "backfill",
    "out_of_date",
    "refresh",
    "refresh_participants",
]

# For each record ``n``: its latest held interaction's date and how many there are.
_COMPUTED = """
    CALL (n) {
        OPTIONAL MATCH (i:Interaction)-[:WITH]->(n)
        WHERE coalesce(i.status, 'held') = 'held'
        RETURN max(i.date) AS last, count(i) AS held
    }
"""
_SET = "SET n.last_contact = last, n.held_interactions = held "


def refresh(person_uids: list[str], organisation_uids: list[str]) -> None:
    """Compute both values again for these people and organisations (in the caller's
    transaction)."""
    if not person_uids and not organisation_uids:
        return
    run(
        """
        CALL () {
            UNWIND $people AS uid MATCH (n:Person {uid: uid}) RETURN n
            UNION
            UNWIND $organisations AS uid MATCH (n:Organisation {uid: uid}) RETURN n
        }
        """
        + _COMPUTED
        + _SET,
        people=list(person_uids),
        organisations=list(organisation_uids),
    )


def refresh_participants(interaction_uid: str) -> None:
    """Compute both values again for everyone the interaction is ``WITH`` (after its status
    or date changed)."""
    run(
        "MATCH (:Interaction {uid: $uid})-[:WITH]->(n) WHERE n:Person OR n:Organisation "
        "WITH DISTINCT n " + _COMPUTED + _SET,
        uid=interaction_uid,
    )


# Appended to a statement that has just created interaction ``i`` WITH ``p`` (one row per
# participant): counts it in, without reading the participant's other interactions (the
# generator writes millions of new interactions; a new one can only move the date forward).
GENERATED_INCREMENT = """
    FOREACH (_ IN CASE WHEN coalesce(i.status, 'held') = 'held' THEN [1] ELSE [] END |
        SET p.held_interactions = coalesce(p.held_interactions, 0) + 1,
            p.last_contact = CASE WHEN p.last_contact IS NULL OR i.date > p.last_contact
                                  THEN i.date ELSE p.last_contact END)
    FOREACH (_ IN CASE WHEN coalesce(i.status, 'held') = 'held' THEN [] ELSE [1] END |
        SET p.held_interactions = coalesce(p.held_interactions, 0))
"""


def backfill(batch: int = 5000) -> int:
    """Compute both values for every record that has interactions and never had them, in
    transactions of ``batch`` records; returns how many were computed."""
    total = 0
    for label in ("Person", "Organisation"):
        while True:
            done = run(
                "MATCH (n:" + label + ") WHERE n.held_interactions IS NULL "
                "AND EXISTS { (n)<-[:WITH]-(:Interaction) } "
                "WITH n LIMIT $batch " + _COMPUTED + _SET + "RETURN count(n) AS n",
                batch=batch,
            )[0]["n"]
            total += done
            if done < batch:
                break
    return total


def out_of_date(limit: int = 20) -> list[dict]:
    """Records whose stored values are not those of their interactions (at most ``limit``):
    ``{uid, stored, computed}``, each a ``[last_contact, held_interactions]`` pair."""
    return run(
        """
        MATCH (n) WHERE (n:Person OR n:Organisation)
          AND (n.held_interactions IS NOT NULL OR EXISTS { (n)<-[:WITH]-(:Interaction) })
        """
        + _COMPUTED
        + """
        WITH n, last, held WHERE n.held_interactions IS NULL OR n.held_interactions <> held
             OR coalesce(n.last_contact, date('0001-01-01')) <> coalesce(last, date('0001-01-01'))
        RETURN n.uid AS uid, [n.last_contact, n.held_interactions] AS stored,
               [last, held] AS computed
        LIMIT $limit
        """,
        limit=limit,
    )
