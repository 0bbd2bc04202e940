"""Coordination gaps per commune: each rule raised and not raised, on hand-made graphs."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from graph.analysis.gaps import GAP_RULES, SEVERITIES, Gap, GapSettings, commune_gaps

AS_OF = date(2026, 6, 30)
COMMUNE = {"code": "01.01", "name": "Ville A"}
OTHER = {"code": "01.02", "name": "Ville B"}
SECTOR = {
    "commune_council": "territorial_collectivity",
    "provincial_council": "territorial_collectivity",
    "council_body": "territorial_collectivity",
    "osc": "civil_society",
    "cooperative": "civil_society",
    "deconcentrated_service": "deconcentrated_state",
}


def org_graph(window=(date(2026, 1, 1), None)) -> nx.Graph:
    """Commune 01.01: council, three associations, the IECGAG; elsewhere: a provincial
    council, a deconcentrated service, the council of 01.02. No ties yet."""
    G = nx.Graph(level="organisation", as_of=AS_OF, window=window, half_life_days=365)
    for uid, name, kind, commune in (
        ("cc", "Conseil communal", "commune_council", "01.01"),
        ("a1", "Association 1", "osc", "01.01"),
        ("a2", "Association 2", "osc", "01.01"),
        ("a3", "Coopérative 3", "cooperative", "01.01"),
        ("iec", "IECGAG", "council_body", "01.01"),
        ("prov", "Conseil provincial", "provincial_council", "01.02"),
        ("dps", "Délégation de la santé", "deconcentrated_service", "01.02"),
        ("cc2", "Conseil communal B", "commune_council", "01.02"),
    ):
        G.add_node(
            uid,
            kind="organisation",
            name=name,
            named=True,
            sector=SECTOR[kind],
            commune=commune,
            province=commune[:2],
            region=commune[:2],
            pilot=False,
            officers=[],
            org_kind=kind,
            shared=False,
        )
    return G


def tie(G, u, v, *, kinds=("interaction",), last="2026-06-01", people=(), records=None):
    records = records or [{"kind": "interaction", "uid": f"i-{u}-{v}"}]
    G.add_edge(
        u,
        v,
        weight=1.0,
        count=len(records),
        kinds=sorted(kinds),
        last=last,
        records=records,
        people=sorted(people),
    )


def person_graph(people) -> nx.Graph:
    """``people``: (uid, gender, commune) triples."""
    P = nx.Graph(level="person", as_of=AS_OF, window=(None, None), half_life_days=365)
    for uid, gender, commune in people:
        P.add_node(
            uid,
            kind="person",
            name="",
            named=False,
            sector="",
            commune=commune,
            province=commune[:2],
            region=commune[:2],
            pilot=False,
            officers=[],
            gender=gender,
            age_band="",
        )
    return P


EMPTY_PEOPLE = person_graph([])


def gaps(G, P=EMPTY_PEOPLE, communes=(COMMUNE,), **options) -> list[Gap]:
    options.setdefault("as_of", AS_OF)
    return commune_gaps(G, P, list(communes), **options)


def of_rule(found: list[Gap], rule: str) -> list[Gap]:
    return [gap for gap in found if gap.rule == rule]


def connected_org_graph() -> nx.Graph:
    """The same commune with every structural rule satisfied and no tie overdue."""
    G = org_graph()
    tie(G, "cc", "a1", people=["p1", "p2"])
    tie(G, "cc", "prov", kinds=("partnership",), records=[{"kind": "partnership", "uid": "pt"}])
    tie(G, "a2", "iec", people=["p3", "p4"])
    return G


# --- the rules described once ----------------------------------------------------------


def test_every_rule_is_described_in_french_with_a_known_severity():
    assert list(GAP_RULES) == [
        "expected_actor_missing",
        "no_council_association_tie",
        "no_vertical_tie",
        "associations_not_tied_to_bodies",
        "single_person_tie",
        "tie_past_cadence",
        "women_share_participants",
        "women_share_central",
    ]
    for code, rule in GAP_RULES.items():
        assert rule.code == code
        assert rule.label and len(rule.explanation) > 60
        assert rule.severity in SEVERITIES
        assert set(rule.thresholds) <= {"women_share_minimum", "central_top"}


def test_a_commune_where_everything_holds_has_no_gap():
    assert gaps(connected_org_graph(), cadences={"osc": 60, "commune_council": 30}) == []


# --- expected actor kinds missing ------------------------------------------------------


def test_missing_expected_actors_are_packaged_from_the_checklist():
    found = gaps(
        connected_org_graph(),
        missing_kinds={"01.01": ["Conseil des jeunes", "ANAPEC"], "01.02": ["Conseil communal"]},
    )
    assert [(g.rule, g.severity, g.why, g.records) for g in found] == [
        (
            "expected_actor_missing",
            "high",
            "Acteurs attendus absents de la commune : Conseil des jeunes ; ANAPEC.",
            (),
        )
    ]


def test_no_missing_expected_actor_no_gap():
    assert gaps(connected_org_graph(), missing_kinds={"01.01": []}) == []


# --- council <-> associations ----------------------------------------------------------


def test_council_without_tie_to_any_association():
    G = connected_org_graph()
    G.remove_edge("cc", "a1")
    [gap] = of_rule(gaps(G), "no_council_association_tie")
    assert gap.severity == "high" and gap.severity_label == "Haute"
    assert gap.why == (
        "Aucun lien entre le conseil communal et les 3 associations de la commune "
        "depuis le 01/01/2026."
    )
    assert gap.records == ("cc", "a1", "a2", "a3")


def test_the_window_is_said_as_it_is():
    G = org_graph(window=(date(2026, 1, 1), date(2026, 3, 31)))
    G.remove_nodes_from(["a2", "a3"])
    [gap] = of_rule(gaps(G), "no_council_association_tie")
    assert gap.why == (
        "Aucun lien entre le conseil communal et l'association de la commune "
        "du 01/01/2026 au 31/03/2026."
    )
    G = org_graph(window=(None, None))
    [gap] = of_rule(gaps(G), "no_council_association_tie")
    assert gap.why.endswith("de la commune dans les données enregistrées.")


def test_one_tie_to_one_association_is_enough():
    assert of_rule(gaps(connected_org_graph()), "no_council_association_tie") == []


def test_no_association_or_no_council_leaves_it_to_the_checklist():
    G = org_graph()
    G.remove_nodes_from(["a1", "a2", "a3"])
    assert of_rule(gaps(G), "no_council_association_tie") == []
    G = org_graph()
    G.remove_node("cc")
    assert of_rule(gaps(G), "no_council_association_tie") == []


# --- vertical tie ----------------------------------------------------------------------


def test_council_without_vertical_tie():
    G = connected_org_graph()
    G.remove_edge("cc", "prov")
    tie(G, "cc", "cc2", people=["p1", "p2"])  # another commune is not a vertical tie
    [gap] = of_rule(gaps(G), "no_vertical_tie")
    assert gap.severity == "medium"
    assert gap.why == (
        "Aucun lien entre le conseil communal et la province, la région ou un service de "
        "l'État depuis le 01/01/2026."
    )
    assert gap.records == ("cc",)


@pytest.mark.parametrize("partner", ["prov", "dps"])
def test_a_tie_to_the_province_or_a_state_service_is_vertical(partner):
    G = connected_org_graph()
    G.remove_edge("cc", "prov")
    tie(G, "cc", partner, people=["p1", "p2"])
    assert of_rule(gaps(G), "no_vertical_tie") == []


# --- associations <-> council bodies ---------------------------------------------------


def test_associations_not_tied_to_the_council_bodies():
    G = connected_org_graph()
    G.remove_edge("a2", "iec")
    tie(G, "cc", "iec", people=["p1", "p2"])  # the council's own tie does not count
    [gap] = of_rule(gaps(G), "associations_not_tied_to_bodies")
    assert gap.why == (
        "Aucun lien entre les 3 associations de la commune et l'instance consultative du "
        "conseil depuis le 01/01/2026."
    )
    assert gap.records == ("iec", "a1", "a2", "a3")


def test_no_body_leaves_it_to_the_checklist():
    G = connected_org_graph()
    G.remove_node("iec")
    assert of_rule(gaps(G), "associations_not_tied_to_bodies") == []


# --- single-person tie -----------------------------------------------------------------


def test_a_tie_that_rests_on_one_person():
    G = connected_org_graph()
    tie(
        G,
        "a1",
        "a3",
        kinds=("co_attendance", "interaction"),
        people=["p9"],
        records=[{"kind": "event", "uid": "ev1"}, {"kind": "interaction", "uid": "i7"}],
    )
    [gap] = of_rule(gaps(G), "single_person_tie")
    assert gap.why == (
        "Le lien entre « Association 1 » et « Coopérative 3 » ne repose que sur une seule "
        "personne, sans partenariat formel."
    )
    assert gap.records == ("a1", "a3", "p9", "ev1", "i7")
    assert gap.people == ("p9",)
    assert "p9" not in gap.why


def test_two_people_or_a_partnership_make_it_institutional():
    G = connected_org_graph()
    tie(G, "a1", "a3", people=["p8", "p9"])
    tie(G, "a2", "a3", kinds=("partnership", "shared_member"), people=["p9"])
    tie(G, "cc2", "dps", people=["p9"])  # another commune's tie
    G.add_edge("a1", "a1", kinds=["interaction"], people=["p9"], last="2026-06-01")
    assert of_rule(gaps(G), "single_person_tie") == []


def test_a_tie_between_two_communes_counts_for_both():
    G = connected_org_graph()
    tie(G, "a1", "cc2", people=["p9"])
    found = gaps(G, communes=[COMMUNE, OTHER])
    assert [(g.commune, g.records) for g in of_rule(found, "single_person_tie")] == [
        ("01.01", ("a1", "cc2", "p9", "i-a1-cc2")),
        ("01.02", ("a1", "cc2", "p9", "i-a1-cc2")),
    ]


# --- ties past their cadence -----------------------------------------------------------


def test_a_tie_past_the_stricter_cadence_of_its_two_ends():
    G = connected_org_graph()
    G.edges["cc", "a1"]["last"] = "2026-05-01"  # 60 days before 30/06/2026
    found = gaps(G, cadences={"commune_council": 30, "osc": 60})
    [gap] = of_rule(found, "tie_past_cadence")
    assert gap.severity == "low"
    assert gap.why == (
        "Dernier contact entre « Association 1 » et « Conseil communal » le 01/05/2026, "
        "il y a 60 jours (cadence : 30 jours)."
    )
    assert gap.records == ("a1", "cc", "i-cc-a1")


def test_a_tie_within_its_cadence_or_undated_is_not_past():
    G = connected_org_graph()
    G.edges["cc", "a1"]["last"] = "2026-05-31"  # exactly 30 days: still within
    G.edges["a2", "iec"]["last"] = None  # no date: cannot be late
    assert (
        of_rule(gaps(G, cadences={"commune_council": 30, "council_body": 1}), "tie_past_cadence")
        == []
    )


def test_kinds_without_a_cadence_are_not_assessed():
    G = connected_org_graph()
    G.edges["cc", "a1"]["last"] = "2020-01-01"
    assert of_rule(gaps(G, cadences={}), "tie_past_cadence") == []
    assert len(of_rule(gaps(G, cadences={"osc": 400}), "tie_past_cadence")) == 1


# --- women's share ---------------------------------------------------------------------


def test_women_share_among_participants_below_the_threshold():
    P = person_graph(
        [("f1", "f", "01.01"), ("m1", "m", "01.01"), ("m2", "m", "01.01")]
        + [("m3", "m", "01.01"), ("x1", "", "01.01"), ("f9", "f", "01.02")]
    )
    [gap] = of_rule(gaps(connected_org_graph(), P), "women_share_participants")
    assert gap.why == (
        "1 femme sur 4 participants dont le genre est connu (25 %), sous le seuil de 30 %."
    )
    assert gap.records == ("f1", "m1", "m2", "m3", "x1") == gap.people


def test_women_share_at_the_threshold_or_unknown_raises_nothing():
    P = person_graph([("f1", "f", "01.01"), ("f2", "f", "01.01")] + [("m1", "m", "01.01")])
    P.add_nodes_from(["m2", "m3"], **dict(P.nodes["m1"]))  # 2 women of 5: 40 %
    assert of_rule(gaps(connected_org_graph(), P), "women_share_participants") == []
    settings = GapSettings(women_share_minimum=0.4)
    assert (
        of_rule(gaps(connected_org_graph(), P, settings=settings), "women_share_participants") == []
    )
    unknown = person_graph([("x1", "", "01.01"), ("x2", "", "01.01")])
    assert gaps(connected_org_graph(), unknown) == []  # no known gender: no division by zero


def central_graph() -> nx.Graph:
    """m1 links f1, f2 and m2; m2 links f3. Betweenness (pairs through): m1 5, m2 3, others 0.
    Women are 3 of 5 participants (60 %) but 0 of the 2 most central."""
    P = person_graph(
        [("m1", "m", "01.01"), ("m2", "m", "01.01"), ("f1", "f", "01.01")]
        + [("f2", "f", "01.01"), ("f3", "f", "01.01")]
    )
    P.add_edges_from([("m1", "f1"), ("m1", "f2"), ("m1", "m2"), ("m2", "f3")], weight=1.0)
    return P


def test_women_share_among_the_most_central():
    settings = GapSettings(central_top=2)
    found = gaps(connected_org_graph(), central_graph(), settings=settings)
    [gap] = found
    assert gap.rule == "women_share_central"
    assert gap.why == (
        "Parmi les 2 personnes les plus centrales de la commune, 0 femme sur 2 dont le genre "
        "est connu (0 %), sous le seuil de 30 %."
    )
    assert gap.records == ("m1", "m2")


def test_central_rule_needs_more_participants_than_the_top():
    settings = GapSettings(central_top=5)
    assert gaps(connected_org_graph(), central_graph(), settings=settings) == []


def test_central_ties_are_broken_by_degree_then_uid():
    P = central_graph()
    P.remove_edge("m2", "f3")  # f3 now has no tie: never among the central
    P.add_edge("f1", "f2", weight=1.0)
    settings = GapSettings(central_top=2, women_share_minimum=0.6)
    [gap] = gaps(connected_org_graph(), P, settings=settings)
    # m1 alone has betweenness (m2-f1, m2-f2 go through it); f1 and f2 have degree 2, m2 has 1;
    # f1 before f2 by uid. Participants: 3 women of 5 (60 %), not below 60 %.
    assert gap.records == ("m1", "f1")
    assert "1 femme sur 2" in gap.why


# --- settings, order and bad input -----------------------------------------------------


def test_disabled_rules_and_severity_overrides():
    G = org_graph()
    settings = GapSettings(
        enabled=frozenset({"no_vertical_tie", "no_council_association_tie"}),
        severities={"no_vertical_tie": "high", "no_council_association_tie": "low"},
    )
    found = gaps(G, settings=settings)
    assert [(g.rule, g.severity) for g in found] == [
        ("no_vertical_tie", "high"),
        ("no_council_association_tie", "low"),
    ]
    assert found[0].as_dict()["severity_label"] == "Haute"
    assert found[0].as_dict()["label"] == "Aucun lien vertical"


@pytest.mark.parametrize(
    "options",
    [
        {"women_share_minimum": 1.5},
        {"central_top": 0},
        {"enabled": frozenset({"nope"})},
        {"severities": {"no_vertical_tie": "urgent"}},
    ],
)
def test_settings_out_of_range_are_refused_in_french(options):
    with pytest.raises(ValueError, match="doit|inconnue"):
        GapSettings(**options)


def test_gaps_follow_the_communes_order_then_severity():
    G = org_graph()
    found = gaps(G, communes=[OTHER, COMMUNE], missing_kinds={"01.01": ["ANAPEC"]})
    assert [(g.commune, g.rule) for g in found] == [
        ("01.02", "no_vertical_tie"),
        ("01.01", "expected_actor_missing"),
        ("01.01", "no_council_association_tie"),
        ("01.01", "no_vertical_tie"),
        ("01.01", "associations_not_tied_to_bodies"),
    ]


def test_empty_graphs_and_no_commune():
    empty = nx.Graph(level="organisation")
    assert gaps(empty, EMPTY_PEOPLE) == []
    assert gaps(org_graph(), EMPTY_PEOPLE, communes=[]) == []


def test_a_commune_with_only_its_council():
    G = org_graph()
    G.remove_nodes_from(["a1", "a2", "a3", "iec"])
    assert [g.rule for g in gaps(G)] == ["no_vertical_tie"]


def test_the_input_graphs_are_not_modified():
    G, P = connected_org_graph(), central_graph()
    before = (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), nx.to_dict_of_dicts(P))
    gaps(G, P, settings=GapSettings(central_top=2), cadences={"osc": 1})
    assert before == (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), nx.to_dict_of_dicts(P))


@pytest.mark.parametrize("seed", range(6))
def test_local_graph_of_a_commune_equals_the_subgraph(seed):
    # The women-central rule reads a commune's people from the whole graph's adjacency rather
    # than converting a subgraph view: same betweenness and degrees as the view gives.
    from graph.analysis.fast import igraph_betweenness
    from graph.analysis.gaps import _local_graph

    P = nx.gnm_random_graph(80, 240, seed=seed)
    P.add_edge(3, 3)  # a self-loop counts 2 in the degree, and is no path
    P = nx.relabel_nodes(P, {n: f"p{n:02d}" for n in P})
    members = sorted(P)[seed : seed + 40]
    view = P.subgraph(members)
    local, degree = _local_graph(P, members)
    assert degree == dict(view.degree())
    assert igraph_betweenness(P, ig=local) == pytest.approx(nx.betweenness_centrality(view))
