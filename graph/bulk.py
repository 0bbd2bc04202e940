"""Bulk loading of generated records (demo and benchmark data), in batches with UNWIND."""

from __future__ import annotations

from graph.database import atomic, run

__all__ = ["load_people_and_organisations"]


def load_people_and_organisations(organisations: list[dict], people: list[dict]) -> None:
    """Create organisations (with their commune) and people (with commune and one function)."""
    with atomic():
        run(
            """
            UNWIND $rows AS row
            MATCH (c:Commune {code: row.commune})
            CREATE (o:Organisation)
            SET o = row.props, o.uid = row.uid, o.created_at = datetime(),
                o.updated_at = datetime(), o.version = 1
            CREATE (o)-[:LOCATED_IN]->(c)
            """,
            rows=organisations,
        )
    for start in range(0, len(people), 2000):
        with atomic():
            run(
                """
                UNWIND $rows AS row
                MATCH (c:Commune {code: row.commune})
                MATCH (o:Organisation {uid: row.organisation})
                CREATE (p:Person)
                SET p = row.props, p.uid = row.uid, p.created_at = datetime(),
                    p.updated_at = datetime(), p.version = 1
                CREATE (p)-[:LOCATED_IN]->(c)
                CREATE (p)-[:AFFILIATED_WITH {uid: randomUUID(), role: row.role,
                                              created_at: datetime()}]->(o)
                """,
                rows=people[start : start + 2000],
            )
