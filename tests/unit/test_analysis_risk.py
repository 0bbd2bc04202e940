"""Key-person risk and officers' portfolios, on hand-made graphs worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.risk import key_people, officer_portfolios


def node(G: nx.Graph, uid: str, officers=()) -> None:
    G.add_node(
        uid,
        kind="organisation",
        name=uid.upper(),
        named=True,
        sector="civil_society",
        commune="01.01",
        province="01.01",
        region="01",
        pilot=False,
        officers=sorted(officers),
        org_kind="osc",
        shared=False,
    )


def tie(G: nx.Graph, u: str, v: str, last: str | None = "2026-05-01") -> None:
    G.add_edge(
        u,
        v,
        weight=1.0,
        count=1,
        kinds=["interaction"],
        last=last,
        records=[{"kind": "interaction", "uid": f"i-{u}-{v}"}],
        people=["p1"],
    )


def network() -> nx.Graph:
    """Two components (12 nodes).

    Bow tie with a tail: triangles a-b-c and c-d-e, then e-f-g. Articulation points c, e, f;
    bridges e-f and f-g. Removing c leaves {a, b} and {d, e, f, g}: 2 cut off; removing e
    leaves {a, b, c, d} and {f, g}: 2; removing f leaves g alone: 1. Shortest paths through
    them (pairs): c 2x4 = 8, e 4x2 = 8, f 5x1 = 5. Distances between the remaining connected
    pairs do not change: path increase 0.

    Fan: hub h tied to x1..x4, and the path x1-x2-x3-x4. h is on x1-x4 (1 path of 1) and on
    half of x1-x3 and x2-x4: 2 pairs; x2 and x3 on half a pair each. Without h the six pairs
    of x's go from 9 hops in all to 10: path increase 1/6.

    Normalised betweenness over 12 nodes divides the pair counts by 11 x 10 / 2 = 55.
    """
    G = nx.Graph(level="organisation")
    for uid in "abcdefg":
        node(G, uid)
    for uid in ("h", "x1", "x2", "x3", "x4"):
        node(G, uid)
    for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("c", "e")]:
        tie(G, u, v)
    tie(G, "e", "f")
    tie(G, "f", "g")
    for x in ("x1", "x2", "x3", "x4"):
        tie(G, "h", x)
    tie(G, "x1", "x2")
    tie(G, "x2", "x3")
    tie(G, "x3", "x4")
    return G


def summary(rows: list[dict]) -> list[tuple]:
    return [(r["uid"], r["articulation"], r["cut_off"], r["component_size"]) for r in rows]


def test_ranked_by_nodes_cut_off_then_betweenness_then_bridges():
    rows = key_people(network())
    assert summary(rows) == [
        ("e", True, 2, 7),  # as many cut off and as central as c, but on a bridge
        ("c", True, 2, 7),
        ("f", True, 1, 7),
        ("h", False, 0, 5),
        ("x2", False, 0, 5),
        ("x3", False, 0, 5),
    ]
    betweenness = {r["uid"]: r["betweenness"] for r in rows}
    assert betweenness == pytest.approx(
        {"e": 8 / 55, "c": 8 / 55, "f": 5 / 55, "h": 2 / 55, "x2": 0.5 / 55, "x3": 0.5 / 55}
    )


def test_bridges_each_node_is_on():
    rows = {r["uid"]: r for r in key_people(network())}
    assert rows["e"]["bridges"] == [["e", "f"]]
    assert rows["f"]["bridges"] == [["e", "f"], ["f", "g"]]
    assert rows["c"]["bridges"] == []


def test_path_increase_when_removed():
    rows = {r["uid"]: r for r in key_people(network())}
    assert rows["h"]["path_increase"] == pytest.approx(1 / 6)
    assert rows["x2"]["path_increase"] == pytest.approx(0.0)
    assert rows["c"]["path_increase"] == pytest.approx(0.0)


def test_path_increase_is_none_when_no_pair_stays_connected():
    G = nx.Graph()
    node(G, "a")
    node(G, "b")
    node(G, "c")
    tie(G, "a", "b")
    tie(G, "b", "c")
    [row] = key_people(G)
    assert (row["uid"], row["cut_off"], row["path_increase"]) == ("b", 1, None)
    assert row["bridges"] == [["a", "b"], ["b", "c"]]
    assert row["betweenness"] == pytest.approx(1.0)


def test_top_limits_the_list_and_a_sample_bounds_the_cost():
    assert [r["uid"] for r in key_people(network(), top=2)] == ["e", "c"]
    [row] = key_people(network(), top=1, max_sources=1)
    assert row["path_increase"] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="au moins 1"):
        key_people(network(), top=0)


def test_empty_graph_one_node_and_no_risk():
    assert key_people(nx.Graph()) == []
    G = nx.Graph()
    node(G, "a")
    assert key_people(G) == []
    tie(G, "a", "b")  # two nodes, one tie: removing either cuts nothing off
    node(G, "b")
    assert key_people(G) == []
    assert key_people(nx.complete_graph(4)) == []


def test_self_loops_are_ignored_and_the_input_is_kept():
    G = network()
    G.add_edge("a", "a", weight=1.0, kinds=["interaction"], last=None, records=[], people=[])
    assert summary(key_people(G)) == summary(key_people(network()))
    assert G.has_edge("a", "a")


def test_officer_portfolios_hold_the_actors_only_one_officer_maintains():
    G = nx.Graph(level="organisation")
    node(G, "a", officers=["u1"])
    node(G, "b", officers=["u1"])
    node(G, "c", officers=["u1", "u2"])  # two officers: nobody's portfolio
    node(G, "d", officers=["u2"])
    node(G, "e")  # nobody met it in the window
    tie(G, "b", "a", last="2026-05-01")
    tie(G, "a", "c")
    tie(G, "c", "d")
    tie(G, "b", "d")  # between two portfolios: in neither
    G.add_edge("a", "a", kinds=["interaction"], last=None)
    assert officer_portfolios(G) == [
        {
            "officer": "u1",
            "actors": ["a", "b"],
            "ties": [{"from": "a", "to": "b", "kinds": ["interaction"], "last": "2026-05-01"}],
        },
        {"officer": "u2", "actors": ["d"], "ties": []},
    ]


def test_no_officer_no_portfolio():
    assert officer_portfolios(nx.Graph()) == []
    G = nx.Graph()
    node(G, "a")
    assert officer_portfolios(G) == []


def _brute_force(G: nx.Graph, v) -> tuple[int, float | None]:
    """Cut off and path increase of ``v`` by their definitions, with networkx, all sources."""
    component = nx.node_connected_component(G, v)
    rest = G.subgraph(component - {v})
    largest = max((len(c) for c in nx.connected_components(rest)), default=0)
    before = dict(nx.all_pairs_shortest_path_length(G.subgraph(component)))
    after = dict(nx.all_pairs_shortest_path_length(rest))
    pairs = [(a, b) for a in after for b in after[a] if a != b]
    increase = sum(after[a][b] - before[a][b] for a, b in pairs) / len(pairs) if pairs else None
    return len(component) - 1 - largest, increase


@pytest.mark.parametrize("seed", [1, 2])
def test_cut_off_and_path_increase_equal_their_definition_on_random_graphs(seed):
    # Sparse random graphs with trees hanging off them: many cut points, nested blocks.
    G = nx.gnm_random_graph(60, 70, seed=seed)
    G.add_edges_from((i, 60 + i) for i in range(0, 60, 7))
    G.add_edges_from((60 + i, 100 + i) for i in range(0, 60, 14))
    found = {r["uid"]: r for r in key_people(G, top=G.number_of_nodes(), max_sources=1000)}
    points = set(nx.articulation_points(G))
    assert {uid for uid, r in found.items() if r["cut_off"] > 0} == points
    for uid, row in found.items():
        cut, increase = _brute_force(G, uid)
        assert row["cut_off"] == cut, uid
        assert row["articulation"] == (uid in points)
        assert row["component_size"] == len(nx.node_connected_component(G, uid))
        if increase is None:
            assert row["path_increase"] is None
        else:
            assert row["path_increase"] == pytest.approx(increase), uid
