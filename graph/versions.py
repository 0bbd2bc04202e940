"""The data's version: a number every write use case raises, so that what is computed from
the data (the network analysis) can be cached until the next write.

One ``(:DataVersion {key: "graph"})`` node; raising it joins the write transaction of the use
case, so a rolled-back write leaves it unchanged. Over-invalidation is accepted: any write
anywhere raises it (a coordination CRM writes a few times a minute, an analysis is read far
more often).
"""

from __future__ import annotations

from graph.database import run

__all__ = ["bump", "current"]


def bump() -> None:
    """Raise the version (inside the current write transaction)."""
    run(
        "MERGE (v:DataVersion {key: 'graph'}) ON CREATE SET v.epoch = randomUUID() "
        "SET v.n = coalesce(v.n, 0) + 1"
    )


def current() -> str | None:
    """The version now, or None when there is none yet (nothing may be cached then).

    The counter's node carries a random ``epoch`` made when it is created, so a database
    emptied or restored, whose counter starts again, never matches an older version."""
    rows = run("MATCH (v:DataVersion {key: 'graph'}) RETURN v.epoch + ':' + v.n AS version")
    return rows[0]["version"] if rows else None
