"""The scope's Cypher fragments as text: checked variable names, no shared inner names."""

import re
import subprocess
import sys

import pytest

from graph.interactions import interaction_visible
from graph.scope import (
    inner_variable,
    organisation_visible,
    organisation_writable,
    organisations_in_scope,
    people_in_scope,
    person_visible,
    person_writable,
    variable,
)

PREDICATES = [organisation_visible, organisation_writable, person_visible, person_writable]
CANDIDATE_SETS = [people_in_scope, organisations_in_scope]
FRAGMENTS = [*PREDICATES, interaction_visible]

BAD_NAMES = [
    "",
    "1p",
    "p.uid",
    "p)-[:X]->(q",
    "p) DETACH DELETE (p",
    "p q",
    "`p`",
    "p-q",
    "é",
    "where",
    "OR",
    "a" * 80,
    None,
    42,
]

# A variable a pattern binds: "(name:" or "(name)" or "[name:".
_BOUND = re.compile(r"[(\[]\s*([A-Za-z_][A-Za-z0-9_]*)\s*[:)\]]")


def _bound(text: str) -> set[str]:
    return set(_BOUND.findall(text))


@pytest.mark.parametrize("fragment", FRAGMENTS)
@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_bad_variable_name_raises_value_error(fragment, name):
    with pytest.raises(ValueError):
        fragment(name)


@pytest.mark.parametrize("candidates", CANDIDATE_SETS)
@pytest.mark.parametrize("national", [False, True])
@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_bad_variable_name_raises_in_candidate_sets(candidates, national, name):
    with pytest.raises(ValueError):
        candidates(name, national=national)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_variable_and_inner_variable_raise_on_bad_names(name):
    with pytest.raises(ValueError):
        variable(name)
    with pytest.raises(ValueError):
        inner_variable("sc", name)


def test_the_check_survives_python_optimisations():
    # ``python -O`` removes asserts; the check must not be one.
    code = (
        "from graph.scope import person_visible\n"
        "try:\n"
        "    person_visible('p) DETACH DELETE (p')\n"
        "except ValueError:\n"
        "    print('refused')\n"
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "refused"


@pytest.mark.parametrize("name", ["p", "o", "org", "person", "member2", "n_1"])
def test_plain_identifiers_are_accepted(name):
    assert variable(name) == name
    for fragment in FRAGMENTS:
        assert "(" + name + ")" in fragment(name)


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_inner_variables_are_reserved_names_derived_from_the_outer_one(fragment):
    inner = _bound(fragment("x")) - {"x"}
    assert inner, "the fragment binds names of its own"
    assert all(name.startswith("_") and name.endswith("_x") for name in inner), inner


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (person_visible("p"), organisation_visible("o")),
        (person_visible("p"), person_visible("m")),
        (person_writable("p"), organisation_writable("o")),
        (organisation_visible("o"), organisation_visible("parent")),
        (interaction_visible("i"), person_visible("p")),
        (interaction_visible("i"), organisation_visible("o")),
        (interaction_visible("i"), interaction_visible("j")),
        (people_in_scope("p"), organisation_visible("o")),
        (organisations_in_scope("o"), person_visible("p")),
    ],
)
def test_two_fragments_on_different_variables_share_no_inner_name(first, second):
    assert _bound(first) & _bound(second) <= {"p", "o", "i", "m", "parent", "j"}
    inner_first = {n for n in _bound(first) if n.startswith("_")}
    inner_second = {n for n in _bound(second) if n.startswith("_")}
    assert not inner_first & inner_second


def test_interaction_visible_leaves_p_and_o_to_the_calling_query():
    assert _bound(interaction_visible("i")) & {"p", "o"} == set()


@pytest.mark.parametrize("candidates", CANDIDATE_SETS)
def test_a_territorial_candidate_set_starts_from_the_scope_communes(candidates):
    text = candidates("x", national=False)
    assert text.startswith("CALL () { MATCH (_sc_x:Commune) WHERE _sc_x.code IN $scope_communes")
    assert "$scope_national" not in text
    outer = {n for n in _bound(text) if not n.startswith("_")}
    assert outer == {"x"}


@pytest.mark.parametrize(
    ("candidates", "label"), [(people_in_scope, "Person"), (organisations_in_scope, "Organisation")]
)
def test_a_national_candidate_set_is_every_record(candidates, label):
    assert candidates("x", national=True) == "MATCH (x:" + label + ") "


def test_inner_variable_tags_are_checked():
    assert inner_variable("sc", "p") == "_sc_p"
    with pytest.raises(ValueError):
        inner_variable("s c", "p")
