"""The map's JSON from a networkx graph (crm.maps.map_payload, no database)."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from crm.maps import FRESHNESS, LARGEST, SMALLEST, map_payload
from graph.analysis.layout import positions

TODAY = date(2026, 3, 15)
HOSTILE = '<img src=x onerror=alert(1)> "&" </script>'


@pytest.fixture
def people() -> nx.Graph:
    G = nx.Graph(level="person")
    G.add_node(
        "p1",
        kind="person",
        name="Karim OUJDI",
        named=True,
        sector="civil_society",
        gender="m",
        commune="02.411.01.23",
    )
    G.add_node("p2", kind="person", name="", named=False, sector="", gender="f", commune="")
    G.add_node(
        "p3",
        kind="person",
        name=HOSTILE,
        named=True,
        sector="civil_society",
        gender="",
        commune="02.411.01.23",
    )
    G.add_edge(
        "p1", "p2", weight=1.234567, kinds=["co_attendance", "interaction"], last="2026-03-01"
    )
    G.add_edge("p1", "p3", weight=0.5, kinds=["shared_affiliation"], last="2024-01-01")
    return G  # fmt: skip


def test_nodes_are_plain_labels_and_unnamed_people_have_no_name_nor_link(people):
    data = map_payload(
        people,
        positions(people),
        links={"person": "/personnes/__uid__"},
        places={"02.411.01.23": "Oujda"},
        today=TODAY,
    )
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["p1"]["label"] == "Karim OUJDI" and by_id["p1"]["url"] == "/personnes/p1"
    assert by_id["p1"]["place"] == "Oujda"
    assert by_id["p2"]["label"] == "Personne non nommée" and by_id["p2"]["url"] is None
    assert by_id["p3"]["label"] == HOSTILE  # data, never markup


def test_ties_are_compact_arrays_with_kind_bits_and_freshness(people):
    data = map_payload(people, positions(people), today=TODAY)
    codes = [k["code"] for k in data["tie_kinds"]]
    ids = [n["id"] for n in data["nodes"]]
    ties = {(ids[a], ids[b]): (w, mask, fresh) for a, b, w, mask, fresh in data["edges"]}
    weight, mask, fresh = ties[("p1", "p2")]
    assert weight == 1.23
    assert {c for i, c in enumerate(codes) if mask & (1 << i)} == {"co_attendance", "interaction"}
    assert data["freshness"][fresh] == FRESHNESS[0][1]  # two weeks old
    assert data["freshness"][ties[("p1", "p3")][2]] == "Plus d'un an"
    # Without a day of reference, no freshness is claimed.
    undated = map_payload(people, positions(people))
    assert {e[4] for e in undated["edges"]} == {len(FRESHNESS) - 1}


def test_sizes_follow_the_metric_and_colours_the_legend(people):
    data = map_payload(people, positions(people), size_by="degree", colour_by="kind")
    sizes = {n["id"]: (n["value"], n["size"]) for n in data["nodes"]}
    assert sizes["p1"] == (2, LARGEST) and sizes["p2"] == (1, SMALLEST)
    legend = {g["key"]: g for g in data["legend"]}
    assert legend["m"]["label"] == "Homme" and legend["f"]["label"] == "Femme"
    assert legend[""]["label"] == "Non renseigné" and legend[""]["count"] == 1
    assert {n["group"] for n in data["nodes"]} <= set(legend)


def test_empty_and_one_node_maps():
    empty = map_payload(nx.Graph(), {})
    assert empty["nodes"] == [] and empty["edges"] == [] and empty["legend"] == []
    one = nx.Graph()
    one.add_node("o", kind="organisation", name="INDH", named=True, sector="")
    data = map_payload(one, positions(one), size_by="betweenness")
    assert data["nodes"][0]["size"] == SMALLEST and data["nodes"][0]["value"] is None
    assert (data["nodes"][0]["x"], data["nodes"][0]["y"]) == (0, 0)
