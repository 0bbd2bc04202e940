"""Administrative geography in the graph: bulk load (idempotent) and lookups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from graph.database import atomic, run

__all__ = ["commune_places", "geography_counts", "load_geography"]

_BATCH = 500

_MERGE_REGIONS = """
UNWIND $rows AS row
MERGE (r:Region {code: row.code})
SET r.name_fr = row.name_fr, r.name_ar = row.name_ar,
    r.population_2024 = row.population_2024, r.programme = row.programme
"""

_MERGE_PROVINCES = """
UNWIND $rows AS row
MATCH (r:Region {code: row.region_code})
MERGE (p:Province {code: row.code})
SET p.name_fr = row.name_fr, p.name_ar = row.name_ar, p.type = row.type,
    p.population_2024 = row.population_2024
MERGE (p)-[:IN]->(r)
"""

_MERGE_COMMUNES = """
UNWIND $rows AS row
MATCH (p:Province {code: row.province_code})
MERGE (c:Commune {code: row.code})
SET c.name_fr = row.name_fr, c.name_ar = row.name_ar, c.type = row.type,
    c.population_2024 = row.population_2024, c.population_2014 = row.population_2014,
    c.lat = row.lat, c.lon = row.lon, c.search_key = row.search_key
MERGE (c)-[:IN]->(p)
"""


def load_geography(
    regions: Sequence[dict], provinces: Sequence[dict], communes: Sequence[dict]
) -> dict[str, int]:
    """MERGE regions, provinces and communes by HCP code, in one transaction.

    Running it again updates names and figures in place and creates nothing new.
    """
    with atomic():
        run(_MERGE_REGIONS, rows=list(regions))
        run(_MERGE_PROVINCES, rows=list(provinces))
        for start in range(0, len(communes), _BATCH):
            run(_MERGE_COMMUNES, rows=list(communes[start : start + _BATCH]))
    return geography_counts()


def geography_counts() -> dict[str, int]:
    row = run(
        """
        CALL () { MATCH (r:Region) RETURN count(r) AS regions }
        CALL () { MATCH (r:Region {programme: true}) RETURN count(r) AS programme_regions }
        CALL () { MATCH (p:Province) RETURN count(p) AS provinces }
        CALL () { MATCH (c:Commune) RETURN count(c) AS communes }
        CALL () { MATCH (c:Commune) WHERE c.lat IS NOT NULL RETURN count(c) AS located_communes }
        RETURN regions, programme_regions, provinces, communes, located_communes
        """
    )[0]
    return dict(row)


def commune_places(
    codes: Sequence[str], scope: dict, start: date | None, end: date | None
) -> list[dict]:
    """Where the communes ``codes`` are and what a map colours them by, in one round trip.

    Each row: ``code``, ``name``, ``pilot``, ``region`` (code), ``region_name``, ``lat`` and
    ``lon`` (``None`` for a commune without a centroid) and ``events``: the events (not
    cancelled) held there whose start date is in the window (``None`` = open end), visible
    to ``scope`` (``Scope.as_params()``). Communes outside the scope are left out.
    """
    return run(
        """
        UNWIND $codes AS code
        MATCH (c:Commune {code: code})
        WHERE $scope_national OR c.code IN $scope_communes
        OPTIONAL MATCH (c)-[:IN]->(:Province)-[:IN]->(r:Region)
        CALL (c) {
            OPTIONAL MATCH (e:Event)-[:HELD_IN]->(c)
            WHERE e.cancelled_at IS NULL
              AND ($start IS NULL OR e.start_date >= $start)
              AND ($end IS NULL OR e.start_date <= $end)
            RETURN count(e) AS events
        }
        RETURN c.code AS code, c.name_fr AS name, coalesce(c.pilot, false) AS pilot,
               r.code AS region, r.name_fr AS region_name, c.lat AS lat, c.lon AS lon, events
        ORDER BY c.code
        """,
        codes=list(codes),
        start=start,
        end=end,
        **scope,
    )
