"""Projections into networkx graphs (issue 10, items 1 and 8): records created through the
crm use cases give exactly the expected nodes, edges and weights (worked out by hand with
the formula of ``graph.analysis.weights``: 0.5 ** (age in days / 365))."""

from __future__ import annotations

from datetime import date

import pytest

from crm import events, interactions, organisations, partnerships, people, pilots, privacy
from graph.database import count_round_trips
from graph.projections import organisation_network, person_network
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

AS_OF = date(2026, 6, 1)
# Ages in days at AS_OF: 2025-12-31 is 152 days old, 2026-03-01 92, 2026-04-15 47,
# 2026-05-02 30.
W152, W92, W47, W30 = (0.5 ** (days / 365) for days in (152, 92, 47, 30))

NATIONAL = {"scope_national": True, "scope_communes": []}


@pytest.fixture
def world(manager):
    """Oujda: an association and the commune council (a partnership, a shared member, an
    event organised by INDH, an interaction); Casablanca: an association meeting Oujda's at
    an event there."""

    def org(name, commune, kind="osc", shared=False):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    def person(first, last, commune, gender="", age_band=""):
        return people.create_person(
            manager,
            {
                "first_name": first,
                "last_name": last,
                "commune": commune,
                "gender": gender,
                "age_band": age_band,
            },
        )

    def function(person_uid, org_uid, since, until=None):
        people.link_to_organisation(
            manager, person_uid, org_uid, {"role": "Membre", "since": since, "until": until}
        )

    def event(title, commune, day, organisers=()):
        return events.create_event(
            manager,
            {
                "title": title,
                "kind": "workshop",
                "start_date": day,
                "commune": commune,
                "organisers": list(organisers),
            },
        )

    def attend(event_uid, person_uid, for_organisation):
        events.add_participant(
            manager, event_uid, {"person": [person_uid], "for_organisation": [for_organisation]}
        )

    w = {
        "amal": org("Association Al Amal", OUJDA),
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "indh": org("INDH", "", "national_agency", shared=True),
        "anfa": org("Association Anfa Solidarité", CASABLANCA),
        "amina": person("Amina", "Zeroual", OUJDA, "f", "25-34"),
        "karim": person("Karim", "Oujdi", OUJDA, "m"),
        "salma": person("Salma", "Berkani", OUJDA, "f"),
        "nadia": person("Nadia", "Casaoui", CASABLANCA, "f"),
    }
    function(w["amina"], w["amal"], date(2023, 1, 1))
    function(w["karim"], w["amal"], date(2024, 1, 1))
    function(w["karim"], w["council"], date(2025, 1, 1), date(2025, 12, 31))
    function(w["salma"], w["council"], date(2022, 1, 1))
    w["partnership"] = partnerships.create_partnership(
        manager,
        {
            "organisation": w["amal"],
            "partner": w["council"],
            "kind": "convention",
            "title": "Convention jeunesse",
            "since": date(2025, 6, 1),
            "status": "active",
        },
    )
    w["workshop"] = event("Atelier PAC", OUJDA, date(2026, 3, 1), [w["indh"]])
    attend(w["workshop"], w["amina"], w["amal"])
    attend(w["workshop"], w["salma"], w["council"])
    w["forum"] = event("Forum associatif", CASABLANCA, date(2026, 4, 15))
    attend(w["forum"], w["karim"], w["amal"])
    attend(w["forum"], w["nadia"], w["anfa"])
    w["meeting"] = interactions.log_interaction(
        manager,
        {
            "kind": "meeting",
            "date": date(2026, 5, 2),
            "summary": "Préparation du budget participatif",
            "people": [w["amina"], w["karim"]],
            "organisations": [w["council"]],
        },
        today=AS_OF,
    )
    # Planned, not held: ties nobody.
    interactions.log_interaction(
        manager,
        {
            "kind": "meeting",
            "status": "planned",
            "date": date(2026, 6, 10),
            "summary": "Suivi",
            "people": [w["salma"], w["nadia"]],
            "organisations": [w["anfa"], w["indh"]],
        },
        today=AS_OF,
    )
    return w


def _edges(graph) -> dict[frozenset, dict]:
    return {frozenset((a, b)): data for a, b, data in graph.edges(data=True)}


def _pair(graph, a, b) -> dict:
    return graph.edges[a, b]


# --- organisation network ------------------------------------------------------------------------


def test_the_organisation_network_has_exactly_the_expected_ties(world, manager):
    w = world
    with count_round_trips() as trips:
        graph = organisation_network(NATIONAL, as_of=AS_OF)
    assert trips.count == 1
    assert graph.graph == {
        "level": "organisation",
        "as_of": AS_OF,
        "window": (None, None),
        "half_life_days": 365,
        "detail": True,
    }
    assert set(graph) == {w["amal"], w["council"], w["indh"], w["anfa"]}
    assert set(_edges(graph)) == {
        frozenset((w["amal"], w["council"])),
        frozenset((w["amal"], w["indh"])),
        frozenset((w["council"], w["indh"])),
        frozenset((w["amal"], w["anfa"])),
    }
    core = _pair(graph, w["amal"], w["council"])
    # The running partnership counts as of today (1.0), Karim's common period ended on
    # 2025-12-31, the workshop on 2026-03-01, the meeting on 2026-05-02 (Amina and Karim
    # hold a function at the association, the council was there).
    assert core["weight"] == pytest.approx(1.0 + W152 + W92 + W30)
    assert core["count"] == 4
    assert core["kinds"] == ["co_attendance", "interaction", "partnership", "shared_member"]
    assert core["last"] == "2026-06-01"
    assert core["records"] == sorted(
        [
            {"kind": "partnership", "uid": w["partnership"]},
            {"kind": "person", "uid": w["karim"]},
            {"kind": "event", "uid": w["workshop"]},
            {"kind": "interaction", "uid": w["meeting"]},
        ],
        key=lambda r: (r["kind"], r["uid"]),
    )
    assert core["people"] == sorted([w["amina"], w["karim"], w["salma"]])

    organised = _pair(graph, w["amal"], w["indh"])
    assert organised == {
        "weight": pytest.approx(W92),
        "count": 1,
        "kinds": ["co_attendance"],
        "last": "2026-03-01",
        "records": [{"kind": "event", "uid": w["workshop"]}],
        "people": [w["amina"]],
    }
    assert _pair(graph, w["council"], w["indh"])["people"] == [w["salma"]]
    forum = _pair(graph, w["amal"], w["anfa"])
    assert forum["weight"] == pytest.approx(W47)
    assert forum["people"] == sorted([w["karim"], w["nadia"]])


@pytest.mark.parametrize("build", [organisation_network, person_network])
def test_a_lean_projection_has_the_same_ties_without_their_records(world, build, monkeypatch):
    """Above DETAIL_PAIRS pairs a projection is built lean: the same ties, weights, counts,
    kinds and last dates; no records; people only on a tie that rests on one person."""
    full = build(NATIONAL, as_of=AS_OF)
    lean = build(NATIONAL, as_of=AS_OF, detail=False)
    assert lean.graph["detail"] is False
    assert set(_edges(lean)) == set(_edges(full))
    for pair, data in _edges(full).items():
        thin = _edges(lean)[pair]
        expected = {k: data[k] for k in ("weight", "count", "kinds", "last")}
        if len(data.get("people", [])) == 1:
            expected["people"] = data["people"]
        assert thin == expected
    assert dict(lean.nodes(data=True)) == dict(full.nodes(data=True))
    # Automatic: lean as soon as the rows tie more pairs than the limit.
    monkeypatch.setattr("graph.projections.DETAIL_PAIRS", 0)
    assert build(NATIONAL, as_of=AS_OF).graph["detail"] is False


def test_organisation_nodes_carry_sector_place_and_officers(world, manager):
    w = world
    graph = organisation_network(NATIONAL, as_of=AS_OF)
    assert graph.nodes[w["amal"]] == {
        "kind": "organisation",
        "name": "Association Al Amal",
        "named": True,
        "sector": "civil_society",
        "commune": OUJDA,
        "province": "02.411",
        "region": "02",
        "pilot": False,
        "officers": [],
        "org_kind": "osc",
        "shared": False,
    }
    council = graph.nodes[w["council"]]
    assert council["sector"] == "territorial_collectivity"
    assert council["officers"] == [manager.uid]  # logged the held meeting with it
    indh = graph.nodes[w["indh"]]
    assert (indh["sector"], indh["shared"], indh["commune"], indh["province"]) == (
        "deconcentrated_state",
        True,
        "",
        "",
    )
    assert indh["officers"] == []  # the planned interaction does not count


def test_an_officer_sees_no_record_of_another_region(world, officer):
    w = world
    graph = organisation_network(officer.scope.as_params(), as_of=AS_OF)
    assert set(graph) == {w["amal"], w["council"], w["indh"]}
    assert frozenset((w["amal"], w["anfa"])) not in _edges(graph)
    people_graph = person_network(officer.scope.as_params(), as_of=AS_OF)
    assert w["nadia"] not in people_graph
    assert set(people_graph) == {w["amina"], w["karim"], w["salma"]}
    # The Casablanca forum is out of scope: Karim has no co-attendance tie.
    for _, _, data in people_graph.edges(w["karim"], data=True):
        assert "co_attendance" not in data["kinds"]


def test_the_window_keeps_the_records_of_its_dates(world):
    w = world
    graph = organisation_network(
        NATIONAL, start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=AS_OF
    )
    assert graph.graph["window"] == (date(2025, 1, 1), date(2025, 12, 31))
    assert set(graph) == {w["amal"], w["council"], w["indh"], w["anfa"]}
    assert set(_edges(graph)) == {frozenset((w["amal"], w["council"]))}
    core = _pair(graph, w["amal"], w["council"])
    # The partnership and Karim's functions as of the window's last day.
    assert core["kinds"] == ["partnership", "shared_member"]
    assert core["weight"] == pytest.approx(2 * W152)
    assert core["last"] == "2025-12-31"

    graph = organisation_network(
        NATIONAL, start=date(2026, 1, 1), end=date(2026, 12, 31), as_of=AS_OF
    )
    core = _pair(graph, w["amal"], w["council"])
    assert core["kinds"] == ["co_attendance", "interaction", "partnership"]  # Karim left
    assert core["weight"] == pytest.approx(1.0 + W92 + W30)


def test_tie_kinds_and_organisation_kinds_filter(world):
    w = world
    graph = organisation_network(NATIONAL, tie_kinds=["partnership"], as_of=AS_OF)
    assert set(graph) == {w["amal"], w["council"], w["indh"], w["anfa"]}
    assert set(_edges(graph)) == {frozenset((w["amal"], w["council"]))}
    assert _pair(graph, w["amal"], w["council"])["count"] == 1

    graph = organisation_network(NATIONAL, org_kinds=["osc"], as_of=AS_OF)
    assert set(graph) == {w["amal"], w["anfa"]}
    assert set(_edges(graph)) == {frozenset((w["amal"], w["anfa"]))}

    graph = organisation_network(NATIONAL, org_kinds=["commune_council"], as_of=AS_OF)
    assert list(graph) == [w["council"]] and graph.number_of_edges() == 0


def test_a_territory_keeps_its_organisations_and_the_national_ones_tied_to_them(world, manager):
    w = world
    graph = organisation_network(NATIONAL, territory=OUJDA, as_of=AS_OF)
    assert set(graph) == {w["amal"], w["council"], w["indh"]}
    assert organisation_network(NATIONAL, territory="02", as_of=AS_OF).nodes == graph.nodes
    # INDH took part in nothing of Casablanca: only Anfa there.
    graph = organisation_network(NATIONAL, territory="06", as_of=AS_OF)
    assert set(graph) == {w["anfa"]}

    assert len(organisation_network(NATIONAL, pilots_only=True, as_of=AS_OF)) == 0
    pilots.set_pilot(manager, OUJDA, True, date(2025, 1, 1), today=AS_OF)
    graph = organisation_network(NATIONAL, pilots_only=True, as_of=AS_OF)
    assert set(graph) == {w["amal"], w["council"], w["indh"]}
    assert graph.nodes[w["amal"]]["pilot"] is True
    assert graph.nodes[w["indh"]]["pilot"] is False


# --- person network ---------------------------------------------------------------------------


def test_the_person_network_has_exactly_the_expected_ties(world, manager):
    w = world
    with count_round_trips() as trips:
        graph = person_network(NATIONAL, as_of=AS_OF)
    assert trips.count == 1
    assert graph.graph["level"] == "person"
    assert set(graph) == {w["amina"], w["karim"], w["salma"], w["nadia"]}
    assert set(_edges(graph)) == {
        frozenset((w["amina"], w["salma"])),  # the workshop
        frozenset((w["karim"], w["nadia"])),  # the forum
        frozenset((w["amina"], w["karim"])),  # the meeting, both at the association
        frozenset((w["karim"], w["salma"])),  # the council in 2025
    }
    assert _pair(graph, w["amina"], w["salma"]) == {
        "weight": pytest.approx(W92),
        "count": 1,
        "kinds": ["co_attendance"],
        "last": "2026-03-01",
        "records": [{"kind": "event", "uid": w["workshop"]}],
    }
    pair = _pair(graph, w["amina"], w["karim"])
    # The association, both still there (as of today: 1.0), and the meeting.
    assert pair["weight"] == pytest.approx(1.0 + W30)
    assert pair["count"] == 2
    assert pair["kinds"] == ["interaction", "shared_affiliation"]
    assert pair["records"] == [
        {"kind": "affiliation", "uid": w["amal"]},
        {"kind": "interaction", "uid": w["meeting"]},
    ]
    assert pair["last"] == "2026-06-01"
    council = _pair(graph, w["karim"], w["salma"])
    assert council["records"] == [{"kind": "affiliation", "uid": w["council"]}]
    assert council["weight"] == pytest.approx(W152)
    assert council["last"] == "2025-12-31"
    assert _pair(graph, w["karim"], w["nadia"])["weight"] == pytest.approx(W47)


def test_person_nodes_carry_sector_gender_and_place(world, manager):
    w = world
    graph = person_network(NATIONAL, as_of=AS_OF)
    assert graph.nodes[w["amina"]] == {
        "kind": "person",
        "name": "Amina ZEROUAL",
        "named": True,
        "sector": "civil_society",
        "commune": OUJDA,
        "province": "02.411",
        "region": "02",
        "pilot": False,
        "officers": [manager.uid],
        "gender": "f",
        "age_band": "25-34",
    }
    # Karim's function at the council ended: his sector is the association's.
    assert graph.nodes[w["karim"]]["sector"] == "civil_society"
    assert graph.nodes[w["salma"]]["sector"] == "territorial_collectivity"
    nadia = graph.nodes[w["nadia"]]
    assert (nadia["sector"], nadia["region"], nadia["gender"]) == ("", "06", "f")


def test_a_person_under_opposition_stays_an_unnamed_node(world, manager):
    w = world
    privacy.set_opposition(manager, w["salma"], True, confirmed=True)
    graph = person_network(NATIONAL, as_of=AS_OF)
    salma = graph.nodes[w["salma"]]
    assert (salma["name"], salma["named"], salma["gender"]) == ("", False, "f")
    assert "Berkani" not in repr(dict(graph.nodes(data=True)))
    assert graph.has_edge(w["amina"], w["salma"])


def test_person_filters_by_tie_kind_window_and_organisation_kind(world):
    w = world
    graph = person_network(NATIONAL, tie_kinds=["shared_affiliation"], as_of=AS_OF)
    assert set(_edges(graph)) == {
        frozenset((w["amina"], w["karim"])),
        frozenset((w["karim"], w["salma"])),
    }
    graph = person_network(NATIONAL, start=date(2026, 1, 1), end=date(2026, 12, 31), as_of=AS_OF)
    assert frozenset((w["karim"], w["salma"])) not in _edges(graph)
    # People holding a function at a commune council: Salma, and Karim only in 2025.
    graph = person_network(NATIONAL, org_kinds=["commune_council"], as_of=AS_OF)
    assert set(graph) == {w["karim"], w["salma"]}
    assert set(_edges(graph)) == {frozenset((w["karim"], w["salma"]))}
    graph = person_network(
        NATIONAL,
        org_kinds=["commune_council"],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        as_of=AS_OF,
    )
    assert set(graph) == {w["salma"]}


def test_a_territory_narrows_the_people(world):
    w = world
    graph = person_network(NATIONAL, territory="06", as_of=AS_OF)
    assert set(graph) == {w["nadia"]}
    graph = person_network(NATIONAL, territory=OUJDA, as_of=AS_OF)
    assert set(graph) == {w["amina"], w["karim"], w["salma"]}


# --- bad or thin input --------------------------------------------------------------------------


def test_an_empty_scope_gives_an_empty_graph(world, make_user):
    nobody = make_user("officer", "nobody@example.org")
    scope = nobody.scope.as_params()
    with count_round_trips() as trips:
        assert organisation_network(scope, as_of=AS_OF).number_of_nodes() == 0
        assert person_network(scope, as_of=AS_OF).number_of_nodes() == 0
    assert trips.count == 0


def test_nothing_recorded_and_one_node(manager):
    assert len(organisation_network(NATIONAL, as_of=AS_OF)) == 0
    assert len(person_network(NATIONAL, as_of=AS_OF)) == 0
    uid = organisations.create_organisation(
        manager, {"name": "Association Nour", "kind": "osc", "commune": OUJDA}
    )
    graph = organisation_network(NATIONAL, as_of=AS_OF)
    assert list(graph) == [uid] and graph.number_of_edges() == 0


def test_ties_without_dates_count_one(manager):
    def org(name):
        return organisations.create_organisation(
            manager, {"name": name, "kind": "osc", "commune": OUJDA}
        )

    first, second = org("Association Nour"), org("Association Badr")
    partnerships.create_partnership(
        manager,
        {
            "organisation": first,
            "partner": second,
            "kind": "mou",
            "title": "Protocole",
            "status": "active",
        },
    )
    person = people.create_person(
        manager, {"first_name": "Ali", "last_name": "Tazi", "commune": OUJDA}
    )
    for uid in (first, second):
        people.link_to_organisation(manager, person, uid, {"role": "Membre"})
    graph = organisation_network(NATIONAL, as_of=AS_OF)
    tie = _pair(graph, first, second)
    assert tie["kinds"] == ["partnership", "shared_member"]
    assert tie["weight"] == pytest.approx(2.0)  # both in force today
    assert tie["people"] == [person]
    graph = organisation_network(NATIONAL, end=date(2025, 6, 1), as_of=AS_OF)
    # Seen from a window that ended a year (365 days) before as_of.
    assert _pair(graph, first, second)["weight"] == pytest.approx(1.0)


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError):
        organisation_network(NATIONAL, start=date(2026, 2, 1), end=date(2026, 1, 1), as_of=AS_OF)
    with pytest.raises(ValueError):
        person_network(NATIONAL, tie_kinds=["partnership"], as_of=AS_OF)
    with pytest.raises(ValueError):
        organisation_network(NATIONAL, org_kinds=["club"], as_of=AS_OF)
