"""The scope's Cypher on the real Neo4j: candidate sets agree with predicates, and fragments
compose in larger queries (both kinds on different variables, the same one twice)."""

from datetime import date

import pytest

from crm.access import Scope
from graph import last_contact, scope_keys
from graph import search as graph_search
from graph.database import run
from graph.interactions import interaction_visible
from graph.scope import (
    organisation_visible,
    organisation_writable,
    organisations_in_scope,
    organisations_writable_in_scope,
    people_in_scope,
    people_writable_in_scope,
    person_visible,
    person_writable,
)
from graph.search import SearchQuery, search_organisations, search_people

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
BERKANE = "02.113.01.09"
CASABLANCA = "06.141.01.0"

OFFICER = Scope(national=False, communes=frozenset({OUJDA, BERKANE})).as_params()
NATIONAL = Scope(national=True).as_params()
NOWHERE = Scope(national=False).as_params()  # a territorial role with no territory yet

# uid -> (commune, shared) of each organisation.
ORGANISATIONS = {
    "o_oujda": (OUJDA, False),
    "o_casa": (CASABLANCA, False),
    "o_shared": (None, True),
    "o_shared_casa": (CASABLANCA, True),
    "o_shared_oujda": (OUJDA, True),  # in the territory, but shared: nobody's to change
    "o_nowhere": (None, False),
}
# uid -> (commune, [(organisation, until)]) of each person.
PAST = date(2020, 1, 31)
PEOPLE = {
    "p_oujda": (OUJDA, []),
    "p_casa": (CASABLANCA, []),
    "p_nowhere": (None, []),
    "p_member_oujda": (CASABLANCA, [("o_oujda", None)]),
    "p_former_member_oujda": (None, [("o_oujda", PAST)]),
    "p_member_shared": (CASABLANCA, [("o_shared", None)]),
    "p_member_shared_casa": (None, [("o_shared_casa", None)]),
    "p_member_shared_oujda": (CASABLANCA, [("o_shared_oujda", None)]),
    "p_member_casa": (None, [("o_casa", None)]),
    "p_member_nowhere": (None, [("o_nowhere", None)]),
    "p_oujda_member_oujda": (OUJDA, [("o_oujda", None)]),
    "p_berkane_in_two": (BERKANE, [("o_oujda", None), ("o_shared", PAST)]),
}
OFFICER_SEES_PEOPLE = {
    "p_oujda",
    "p_member_oujda",
    "p_former_member_oujda",
    "p_member_shared",
    "p_member_shared_casa",
    "p_member_shared_oujda",
    "p_oujda_member_oujda",
    "p_berkane_in_two",
}
OFFICER_WRITES_PEOPLE = OFFICER_SEES_PEOPLE - {
    "p_member_shared",
    "p_member_shared_casa",
    "p_member_shared_oujda",
}
OFFICER_SEES_ORGANISATIONS = {"o_oujda", "o_shared", "o_shared_casa", "o_shared_oujda"}
# With no commune at all, the shared institutions and the people who work or worked there.
SHARED_ORGANISATIONS = {"o_shared", "o_shared_casa", "o_shared_oujda"}
SHARED_PEOPLE = {
    "p_member_shared",
    "p_member_shared_casa",
    "p_member_shared_oujda",
    "p_berkane_in_two",
}


@pytest.fixture
def world(clean_db):
    run(
        """
        UNWIND $rows AS row
        CREATE (o:Organisation {uid: row.uid, name: row.uid, search_key: row.uid, kind: 'osc',
                                shared: row.shared})
        WITH o, row
        OPTIONAL MATCH (c:Commune {code: row.commune})
        FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END |
                 CREATE (o)-[:LOCATED_IN]->(c))
        """,
        rows=[
            {"uid": uid, "commune": commune, "shared": shared}
            for uid, (commune, shared) in ORGANISATIONS.items()
        ],
    )
    run(
        """
        UNWIND $rows AS row
        CREATE (p:Person {uid: row.uid, first_name: row.uid, last_name: row.uid,
                          sort_key: row.uid + '\u0001' + row.uid, search_key: row.uid})
        WITH p, row
        CALL (p, row) {
            OPTIONAL MATCH (c:Commune {code: row.commune})
            FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END |
                     CREATE (p)-[:LOCATED_IN]->(c))
        }
        CALL (p, row) {
            UNWIND row.functions AS function
            MATCH (o:Organisation {uid: function.organisation})
            CREATE (p)-[:AFFILIATED_WITH {role: 'Membre', until: function.until}]->(o)
        }
        """,
        rows=[
            {
                "uid": uid,
                "commune": commune,
                "functions": [{"organisation": o, "until": until} for o, until in functions],
            }
            for uid, (commune, functions) in PEOPLE.items()
        ],
    )
    scope_keys.backfill()  # written here by hand: the keys install-schema computes


def _uids(query: str, scope: dict, **params) -> list[str]:
    return [row["uid"] for row in run(query, **scope, **params)]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [(OFFICER, OFFICER_SEES_PEOPLE), (NATIONAL, set(PEOPLE)), (NOWHERE, SHARED_PEOPLE)],
)
def test_people_in_scope_are_exactly_the_visible_people(world, scope, expected):
    predicate = _uids(
        "MATCH (p:Person) WHERE " + person_visible("p") + " RETURN p.uid AS uid", scope
    )
    national = scope["scope_national"]
    candidates = _uids(people_in_scope("p", national=national) + "RETURN p.uid AS uid", scope)
    assert set(predicate) == expected
    assert sorted(candidates) == sorted(expected)  # each person once


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (OFFICER, OFFICER_SEES_ORGANISATIONS),
        (NATIONAL, set(ORGANISATIONS)),
        (NOWHERE, SHARED_ORGANISATIONS),
    ],
)
def test_organisations_in_scope_are_exactly_the_visible_ones(world, scope, expected):
    visible = "MATCH (o:Organisation) WHERE " + organisation_visible("o") + " RETURN o.uid AS uid"
    national = scope["scope_national"]
    candidates = organisations_in_scope("o", national=national) + "RETURN o.uid AS uid"
    assert set(_uids(visible, scope)) == expected
    assert sorted(_uids(candidates, scope)) == sorted(expected)  # each organisation once


@pytest.mark.parametrize(
    ("scope", "people", "organisations"),
    [
        (OFFICER, OFFICER_WRITES_PEOPLE, {"o_oujda"}),
        (NATIONAL, set(PEOPLE), set(ORGANISATIONS)),
        (NOWHERE, set(), set()),
    ],
)
def test_writable_candidate_sets_are_exactly_the_writable_records(
    world, scope, people, organisations
):
    national = scope["scope_national"]
    found = _uids(people_writable_in_scope("p", national=national) + "RETURN p.uid AS uid", scope)
    assert sorted(found) == sorted(people)  # each person once
    assert (
        set(_uids("MATCH (p:Person) WHERE " + person_writable("p") + " RETURN p.uid AS uid", scope))
        == people
    )
    found = _uids(
        organisations_writable_in_scope("o", national=national) + "RETURN o.uid AS uid", scope
    )
    assert sorted(found) == sorted(organisations)
    assert (
        set(
            _uids(
                "MATCH (o:Organisation) WHERE "
                + organisation_writable("o")
                + " RETURN o.uid AS uid",
                scope,
            )
        )
        == organisations
    )


def test_writable_predicates_leave_out_the_shared_institutions(world):
    people = _uids(
        "MATCH (p:Person) WHERE " + person_writable("p") + " RETURN p.uid AS uid", OFFICER
    )
    orgs = _uids(
        "MATCH (o:Organisation) WHERE " + organisation_writable("o") + " RETURN o.uid AS uid",
        OFFICER,
    )
    assert set(people) == OFFICER_WRITES_PEOPLE
    assert set(orgs) == {"o_oujda"}


def test_person_and_organisation_predicates_compose_in_one_query(world):
    rows = run(
        "MATCH (p:Person)-[:AFFILIATED_WITH]->(o:Organisation) WHERE "
        + person_visible("p")
        + " AND "
        + organisation_visible("o")
        + " AND NOT "
        + organisation_writable("o")
        + " RETURN p.uid AS person, o.uid AS organisation ORDER BY person",
        **OFFICER,
    )
    assert [(r["person"], r["organisation"]) for r in rows] == [
        ("p_berkane_in_two", "o_shared"),
        ("p_member_shared", "o_shared"),
        ("p_member_shared_casa", "o_shared_casa"),
        ("p_member_shared_oujda", "o_shared_oujda"),
    ]


def test_the_same_predicate_on_two_variables_of_one_query(world):
    rows = run(
        "MATCH (p:Person), (m:Person) WHERE p.uid < m.uid AND "
        + person_visible("p")
        + " AND "
        + person_visible("m")
        + " AND NOT "
        + person_writable("m")
        + " RETURN p.uid AS p, m.uid AS m",
        **OFFICER,
    )
    pairs = {(r["p"], r["m"]) for r in rows}
    expected = {
        (p, m)
        for p in OFFICER_SEES_PEOPLE
        for m in OFFICER_SEES_PEOPLE - OFFICER_WRITES_PEOPLE
        if p < m
    }
    assert pairs == expected


def test_a_candidate_set_composes_with_predicates_on_other_variables(world):
    rows = run(
        people_in_scope("p")
        + "MATCH (p)-[:AFFILIATED_WITH]->(o:Organisation) WHERE NOT "
        + organisation_visible("o")
        + " RETURN p.uid AS person, o.uid AS organisation",
        **OFFICER,
    )
    # Visible people whose function is in an organisation the officer does not see: none here.
    assert rows == []
    outside = run(
        organisations_in_scope("o")
        + "MATCH (p:Person)-[:AFFILIATED_WITH]->(o) WHERE NOT "
        + person_visible("p")
        + " RETURN count(p) AS n",
        **OFFICER,
    )
    assert outside == [{"n": 0}]  # everyone working for a visible organisation is visible


def test_interaction_visible_leaves_p_and_o_to_the_calling_query(world):
    """The outer query binds p and o to records the officer cannot see; the interaction is
    visible through its own participants (o_oujda), not through the outer p and o."""
    run(
        """
        MATCH (seen:Organisation {uid: 'o_oujda'}), (foreign:Person {uid: 'p_casa'}),
              (other:Organisation {uid: 'o_casa'})
        CREATE (:Interaction {uid: 'i_seen'})-[:WITH]->(seen)
        CREATE (other)<-[:WITH]-(:Interaction {uid: 'i_foreign'})-[:WITH]->(foreign)
        """
    )
    last_contact.backfill()  # what logging them keeps on the records
    rows = run(
        "MATCH (p:Person {uid: 'p_casa'}), (o:Organisation {uid: 'o_casa'}) "
        "MATCH (i:Interaction) WHERE "
        + interaction_visible("i")
        + " AND NOT "
        + person_visible("p")
        + " AND NOT "
        + organisation_visible("o")
        + " RETURN i.uid AS uid",
        **OFFICER,
    )
    assert [r["uid"] for r in rows] == ["i_seen"]


@pytest.mark.parametrize("walk_budget", [0, 3_000], ids=["sorted", "index-walk"])
@pytest.mark.parametrize(
    "scope", [OFFICER, NATIONAL, NOWHERE], ids=["officer", "national", "nowhere"]
)
def test_lists_page_through_exactly_the_scope(world, scope, walk_budget, monkeypatch):
    """The lists' candidate sets (the officer's count and page in one pass) against the
    predicates: every page, in name order, and the total on each, whether a territory's
    page of people sorts its candidates or walks the index of names (``walk_budget``)."""
    monkeypatch.setattr(graph_search, "INDEX_WALK_BUDGET", walk_budget)
    for search, var, visible, label in [
        (search_people, "p", person_visible, "Person"),
        (search_organisations, "o", organisation_visible, "Organisation"),
    ]:
        expected = _uids(
            "MATCH (" + var + ":" + label + ") WHERE " + visible(var) + " "
            "RETURN " + var + ".uid AS uid ORDER BY uid",
            scope,
        )
        listed = []
        for skip in range(0, len(expected) + 3, 3):
            rows, total = search(SearchQuery(sort="name", skip=skip, limit=3), scope)
            assert total == len(expected)
            listed += [row["uid"] for row in rows]
        assert listed == expected


@pytest.mark.parametrize(
    ("scope", "expected"), [(OFFICER, OFFICER_SEES_PEOPLE), (NOWHERE, SHARED_PEOPLE)]
)
def test_the_territory_words_of_the_index_keep_every_visible_person(world, scope, expected):
    """``graph.search.in_territory`` narrows a search inside Lucene by each person's
    territory words (``graph.scope_keys``): it keeps everyone the predicate accepts, and
    leaves out those who have no word of the scope (a shared institution's people have
    ``shared``)."""
    everyone = "(search_key:p_*)"
    narrowed = graph_search.in_territory(everyone, scope)
    assert narrowed != everyone
    found = set(
        _uids(
            "CALL db.index.fulltext.queryNodes('person_search', $lucene) YIELD node "
            "RETURN node.uid AS uid",
            scope,
            lucene=narrowed,
        )
    )
    assert found == expected  # here the words are exact: no function ended, nothing moved
    assert graph_search.in_territory(everyone, NATIONAL) == everyone


def test_the_scope_key_only_spares_walks_it_never_decides(world):
    """The predicates read a person's ``scope_key`` first and walk their relationships only
    when it names a commune of the scope (or ``shared``): a word too many (a function since
    deleted) still gets walked and refused; a person without a key is walked."""
    run(
        "MATCH (p:Person {uid: 'p_casa'}) SET p.scope_key = p.scope_key + ' ' + $oujda",
        oujda=OUJDA,
    )
    run("MATCH (p:Person {uid: 'p_oujda'}) REMOVE p.scope_key")
    for predicate, expected in (
        (person_visible("p"), OFFICER_SEES_PEOPLE),
        (person_writable("p"), OFFICER_WRITES_PEOPLE),
    ):
        found = _uids("MATCH (p:Person) WHERE " + predicate + " RETURN p.uid AS uid", OFFICER)
        assert set(found) == expected
    # The key is what spares the walk: a key naming none of the scope's communes refuses.
    run("MATCH (p:Person {uid: 'p_member_oujda'}) SET p.scope_key = $casa", casa=CASABLANCA)
    found = _uids("MATCH (p:Person) WHERE " + person_visible("p") + " RETURN p.uid AS uid", OFFICER)
    assert "p_member_oujda" not in found
    scope_keys.refresh(["p_casa", "p_oujda", "p_member_oujda"])  # as every write leaves them


def test_a_function_added_to_a_person_without_a_key_leaves_them_without_one(world):
    """A person written before the keys existed has none until install-schema computes it: a
    function added meanwhile must not give them a key of its words alone (their own commune
    missing, the predicates would refuse them where they are)."""
    from graph.contacts import add_affiliation

    run("MATCH (p:Person {uid: 'p_oujda'}) REMOVE p.scope_key")
    assert add_affiliation("p_oujda", "o_casa", {"role": "Membre"})
    key = run("MATCH (p:Person {uid: 'p_oujda'}) RETURN p.scope_key AS key")[0]["key"]
    assert key is None
    found = _uids("MATCH (p:Person) WHERE " + person_visible("p") + " RETURN p.uid AS uid", OFFICER)
    assert "p_oujda" in found
    assert scope_keys.backfill() == 1
    assert scope_keys.missing() == []
