"""Introduction paths: shortest chains of ties, their order, visibility and bad input."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.paths import introduction_paths


def tie(G: nx.Graph, u: str, v: str, weight: float, last: str | None = "2026-05-01") -> None:
    G.add_edge(
        u,
        v,
        weight=weight,
        count=1,
        kinds=["co_attendance", "interaction"],
        last=last,
        records=[{"kind": "interaction", "uid": f"i-{u}-{v}"}],
        people=[],
    )


def network() -> nx.Graph:
    """s reaches t through a (ties 0.9 then 0.2), through b (0.5, 0.5), or through c then d
    (three ties). x-y is another component; z has no tie."""
    G = nx.Graph(level="person")
    for uid in ("s", "a", "b", "c", "d", "t", "x", "y", "z"):
        G.add_node(uid, kind="person", name=uid, named=True, officers=[])
    tie(G, "s", "a", 0.9)
    tie(G, "a", "t", 0.2, last=None)
    tie(G, "s", "b", 0.5)
    tie(G, "b", "t", 0.5, last="2026-06-01")
    tie(G, "s", "c", 1.0)
    tie(G, "c", "d", 1.0)
    tie(G, "d", "t", 1.0)
    tie(G, "x", "y", 1.0)
    return G


def nodes(chains: list[list[dict]]) -> list[list[str]]:
    return [[chain[0]["from"]] + [step["to"] for step in chain] for chain in chains]


def test_shortest_first_then_the_strongest_weakest_tie():
    # s-b-t's weakest tie (0.5) beats s-a-t's (0.2); s-c-d-t is longer.
    chains = introduction_paths(network(), "s", "t", k=3)
    assert nodes(chains) == [["s", "b", "t"], ["s", "a", "t"], ["s", "c", "d", "t"]]
    assert chains[0] == [
        {
            "from": "s",
            "to": "b",
            "kinds": ["co_attendance", "interaction"],
            "last": "2026-05-01",
            "weight": 0.5,
        },
        {
            "from": "b",
            "to": "t",
            "kinds": ["co_attendance", "interaction"],
            "last": "2026-06-01",
            "weight": 0.5,
        },
    ]
    assert chains[1][1]["last"] is None  # a tie without a date is shown as such


def test_equal_weakest_ties_go_by_total_weight_then_uids():
    G = network()
    G.edges["a", "t"]["weight"] = 0.5  # s-a-t: 0.9 + 0.5 beats s-b-t: 0.5 + 0.5
    assert nodes(introduction_paths(G, "s", "t", k=2)) == [["s", "a", "t"], ["s", "b", "t"]]
    G.edges["s", "a"]["weight"] = 0.5  # all equal: a before b
    assert nodes(introduction_paths(G, "s", "t", k=2)) == [["s", "a", "t"], ["s", "b", "t"]]


def test_k_limits_and_a_larger_k_returns_every_chain():
    assert nodes(introduction_paths(network(), "s", "t", k=1)) == [["s", "b", "t"]]
    assert len(introduction_paths(network(), "s", "t", k=10)) == 3
    assert nodes(introduction_paths(network(), "t", "s", k=1)) == [["t", "b", "s"]]


def test_no_path_between_components_or_to_an_isolated_actor():
    assert introduction_paths(network(), "s", "x") == []
    assert introduction_paths(network(), "z", "s") == []


def test_chains_never_pass_through_an_invisible_record():
    visible = {"s", "a", "c", "d", "t"}
    assert nodes(introduction_paths(network(), "s", "t", visible=visible)) == [
        ["s", "a", "t"],
        ["s", "c", "d", "t"],
    ]
    assert introduction_paths(network(), "s", "t", visible={"s", "t"}) == []
    with pytest.raises(ValueError, match="inconnu ou hors de votre périmètre"):
        introduction_paths(network(), "s", "t", visible={"s", "a"})


@pytest.mark.parametrize(
    ("source", "target", "k", "message"),
    [
        ("s", "nobody", 3, "inconnu"),
        ("nobody", "s", 3, "inconnu"),
        ("s", "s", 3, "deux acteurs différents"),
        ("s", "t", 0, "au moins 1"),
    ],
)
def test_bad_requests_are_refused_in_french(source, target, k, message):
    with pytest.raises(ValueError, match=message):
        introduction_paths(network(), source, target, k=k)


def test_empty_graph_one_node_and_self_loops():
    with pytest.raises(ValueError, match="inconnu"):
        introduction_paths(nx.Graph(), "s", "t")
    G = nx.Graph()
    G.add_node("s")
    with pytest.raises(ValueError, match="différents"):
        introduction_paths(G, "s", "s")
    G = network()
    tie(G, "a", "a", 1.0)
    tie(G, "s", "s", 1.0)
    assert len(introduction_paths(G, "s", "t", k=5)) == 3
    assert G.has_edge("s", "s")  # input kept
