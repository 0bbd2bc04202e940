"""Bulk loading of generated records (demo and benchmark data), in batches with UNWIND."""

from __future__ import annotations

from graph.database import atomic, run

__all__ = ["load_activity", "load_people_and_organisations"]


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


BATCH = 5000


def load_activity(events: list[dict], attendance: list[dict], partnerships: list[dict]) -> None:
    """Create events (held in their commune, organised by ``organiser``), attendance
    (``{event, person, organisation}``) and partnerships (``{first, second, props}``)."""
    for start in range(0, len(events), BATCH):
        with atomic():
            run(
                """
                UNWIND $rows AS row
                MATCH (c:Commune {code: row.commune})
                MATCH (o:Organisation {uid: row.organiser})
                CREATE (e:Event)
                SET e = row.props, e.uid = row.uid, e.created_at = datetime(),
                    e.updated_at = datetime(), e.version = 1
                CREATE (e)-[:HELD_IN]->(c)
                CREATE (o)-[:ORGANISED]->(e)
                """,
                rows=events[start : start + BATCH],
            )
    for start in range(0, len(attendance), BATCH):
        with atomic():
            run(
                """
                UNWIND $rows AS row
                MATCH (e:Event {uid: row.event}), (p:Person {uid: row.person})
                CREATE (p)-[:ATTENDED {uid: randomUUID(), role: 'participant',
                                       for_organisation: row.organisation,
                                       added_at: datetime()}]->(e)
                """,
                rows=attendance[start : start + BATCH],
            )
    for start in range(0, len(partnerships), BATCH):
        with atomic():
            run(
                """
                UNWIND $rows AS row
                MATCH (a:Organisation {uid: row.first}), (b:Organisation {uid: row.second})
                CREATE (a)-[r:PARTNERS_WITH]->(b)
                SET r = row.props, r.created_at = datetime(), r.updated_at = datetime()
                """,
                rows=partnerships[start : start + BATCH],
            )
