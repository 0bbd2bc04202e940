"""Seeded institutions: idempotent creation of reference organisations."""

from __future__ import annotations

from graph.database import atomic, run

__all__ = ["merge_seed_organisations"]


def merge_seed_organisations(rows: list[dict]) -> int:
    """MERGE organisations by ``seed_key``; properties are set only when created."""
    with atomic():
        run(
            """
            UNWIND $rows AS row
            MERGE (o:Organisation {seed_key: row.seed_key})
            ON CREATE SET o += row.props, o.uid = row.uid, o.created_at = datetime(),
                          o.updated_at = datetime(), o.version = 1, o._new = true
            WITH o, row
            OPTIONAL MATCH (c:Commune {code: row.commune}) WHERE o._new
            FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (o)-[:LOCATED_IN]->(c))
            REMOVE o._new
            """,
            rows=rows,
        )
        run(
            """
            UNWIND $rows AS row
            MATCH (o:Organisation {seed_key: row.seed_key})
            MATCH (parent:Organisation {seed_key: row.parent})
            MERGE (o)-[:PART_OF]->(parent)
            """,
            rows=[r for r in rows if r["parent"]],
        )
    return run(
        "MATCH (o:Organisation) WHERE o.seed_key IN $keys RETURN count(o) AS n",
        keys=[r["seed_key"] for r in rows],
    )[0]["n"]
