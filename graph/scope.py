"""Cypher that keeps every read and write inside the acting user's territory.

Queries receive ``$scope_national`` (bool) and ``$scope_communes`` (list of HCP commune codes),
from ``crm.access.Scope.as_params()``. This module is the single definition of "in scope":

- An organisation is visible when the scope is national, or it is a shared national
  institution (``shared = true``: DGCT, INDH, ANAPEC…, readable by everyone), or it is located
  in a commune of the scope.
- A person is visible when the scope is national, or their commune is in scope, or they hold
  (or held) a function in an organisation that is shared or located in a commune of the scope.
- An event is visible, and writable, when the scope is national or it is held in a commune of
  the scope (``(Event)-[:HELD_IN]->(Commune)``).
- Writing needs the same without the "shared" clause: shared institutions and their people are
  edited by national roles only.

A person's predicates first read their ``scope_key`` (``graph.scope_keys``: the communes of
the person and of their organisations, and ``shared``), a necessary condition that costs one
property, and walk their relationships only when it names a commune of the scope: a record
that is not in the scope, the common case of a country-wide read, is refused without a walk.
The key may hold a word too many, never one too few (each test's teardown checks it); the walk
decides.

It says so in two forms that must always agree:

- *predicates* (``person_visible("p")``…) test one record already bound by the query: for a
  detail page, an access check, a record reached through another one, or candidates already
  narrowed by a full-text index;
- *candidate sets* (``people_in_scope("p", national)``…) bind every record of the scope,
  starting from the scope's communes (``Commune.code`` is uniquely indexed), so that a list
  costs what the territory holds rather than what the country holds; the ``…_writable_…``
  ones bind the records the writable predicates accept.

Composing: the variable names given to these functions are fixed in code, never input; a name
that is not a plain identifier raises ``ValueError`` (a check that ``python -O`` keeps). Inner
variables are derived from the outer name (``_sc_p`` for the commune of ``p``…), so two
predicates on different variables never share a name; names that start with an underscore are
reserved for them, and a query must not bind such names itself.
"""

from __future__ import annotations

import re

__all__ = [
    "event_visible",
    "event_writable",
    "events_in_scope",
    "inner_variable",
    "organisation_visible",
    "organisation_writable",
    "organisations_in_scope",
    "organisations_writable_in_scope",
    "people_in_scope",
    "people_writable_in_scope",
    "person_visible",
    "person_writable",
    "variable",
]

_IDENTIFIER = re.compile(r"_?[A-Za-z][A-Za-z0-9_]{0,62}")
# Cypher keywords a careless name could collide with (Cypher keywords ignore case).
_RESERVED = frozenset(
    """all and as asc ascending by call case contains count create delete desc descending
    detach distinct else end ends exists false in is limit match merge not null on optional
    or order remove return set skip starts then true union unwind when where with xor yield
    """.split()
)


def variable(name: object) -> str:
    """``name`` if it is a plain Cypher identifier, else ``ValueError``.

    >>> variable("p")
    'p'
    """
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name) or name.lower() in _RESERVED:
        raise ValueError(f"not a Cypher variable name: {name!r}")
    return name


def inner_variable(tag: str, var: str) -> str:
    """The name a fragment uses inside its subquery for ``tag`` of the outer variable ``var``.

    Derived from ``var`` (``inner_variable("sc", "p") == "_sc_p"``), so the fragments of two
    different outer variables never collide, and a fragment nested in another one (the commune
    ``_sc__so_p`` of the organisation ``_so_p`` of ``p``) neither.
    """
    if not re.fullmatch(r"[a-z]+", tag):
        raise ValueError(f"not a fragment tag: {tag!r}")
    return "_" + tag + "_" + variable(var)


# --- predicates ------------------------------------------------------------------------------


def _located(var: str) -> str:
    """``var`` is located in a commune of the scope."""
    commune = inner_variable("sc", var)
    return (
        "EXISTS { MATCH (" + var + ")-[:LOCATED_IN]->(" + commune + ":Commune) "
        "WHERE " + commune + ".code IN $scope_communes }"
    )


def _shared(var: str) -> str:
    return "coalesce(" + var + ".shared, false)"


def organisation_visible(var: str = "o") -> str:
    var = variable(var)
    return "($scope_national OR " + _shared(var) + " OR " + _located(var) + ")"


def organisation_writable(var: str = "o") -> str:
    var = variable(var)
    return "($scope_national OR (NOT " + _shared(var) + " AND " + _located(var) + "))"


def _may_be_in_scope(var: str, shared: bool) -> str:
    """A necessary condition for a person ``var`` to be in a territorial scope, read from
    their own ``scope_key`` (``graph.scope_keys``) without walking a relationship: a word of
    it is a commune of the scope (or ``shared``, when ``shared``). The key may hold a word too
    many, never one too few, so the walk that follows still decides; a person without a key
    (a database not yet brought up to date by install-schema) is walked."""
    word = inner_variable("kw", var)
    return (
        "(" + var + ".scope_key IS NULL OR any(" + word + " IN split(" + var + ".scope_key, ' ') "
        "WHERE " + word + " IN $scope_communes"
        + (" OR " + word + " = 'shared'" if shared else "") + "))"
    )  # fmt: skip


def person_visible(var: str = "p") -> str:
    var = variable(var)
    org = inner_variable("so", var)
    return (
        "($scope_national OR CASE WHEN " + _may_be_in_scope(var, shared=True) + " THEN ("
        + _located(var) + " OR EXISTS { MATCH (" + var + ")"
        "-[:AFFILIATED_WITH]->(" + org + ":Organisation) WHERE " + _shared(org) + " OR "
        + _located(org) + " }) ELSE false END)"
    )  # fmt: skip


def person_writable(var: str = "p") -> str:
    var = variable(var)
    org = inner_variable("so", var)
    return (
        "($scope_national OR CASE WHEN " + _may_be_in_scope(var, shared=False) + " THEN ("
        + _located(var) + " OR EXISTS { MATCH (" + var + ")"
        "-[:AFFILIATED_WITH]->(" + org + ":Organisation) WHERE NOT " + _shared(org) + " AND "
        + _located(org) + " }) ELSE false END)"
    )  # fmt: skip


def event_visible(var: str = "e") -> str:
    var = variable(var)
    commune = inner_variable("sc", var)
    return (
        "($scope_national OR EXISTS { MATCH (" + var + ")-[:HELD_IN]->(" + commune + ":Commune) "
        "WHERE " + commune + ".code IN $scope_communes })"
    )


def event_writable(var: str = "e") -> str:
    """Events have no shared kind: whoever sees one may edit it (if their role writes)."""
    return event_visible(var)


# --- candidate sets --------------------------------------------------------------------------
#
# Each returns a clause that binds ``var`` (not bound yet) once per record of the scope, no
# duplicates, and no other name the calling query could see; it usually starts a query (after
# other clauses it runs once per incoming row). The national scope is one label scan; a
# territorial scope starts from its communes (index seeks), so the planner walks LOCATED_IN
# and AFFILIATED_WITH from there instead of testing the predicate on every record of the
# country. ``national`` is the scope's own flag: the query text differs, the parameters stay
# ``$scope_national`` and ``$scope_communes``.


def _organisations_of_communes(var: str, writable: bool) -> str:
    """Binds ``var`` to each organisation located in a commune of the scope (shared
    institutions aside when ``writable``), commune by commune (one index seek each: the
    planner would rather scan every organisation of the country)."""
    commune = inner_variable("sc", var)
    return (
        "MATCH (" + commune + ":Commune) WHERE " + commune + ".code IN $scope_communes "
        "CALL (" + commune + ") { "
        "MATCH (" + var + ":Organisation)-[:LOCATED_IN]->(" + commune + ") "
        + ("WHERE NOT " + _shared(var) + " " if writable else "")
        + "RETURN " + var + " "
        "} "
    )  # fmt: skip


def _people_of_communes(var: str, writable: bool) -> str:
    """Binds ``var`` to each person located in a commune of the scope or holding (or having
    held) a function in one of its organisations (other than shared institutions when
    ``writable``), commune by commune; a person may come more than once."""
    commune, org = inner_variable("sc", var), inner_variable("so", var)
    return (
        "MATCH (" + commune + ":Commune) WHERE " + commune + ".code IN $scope_communes "
        "CALL (" + commune + ") { "
        "MATCH (" + var + ":Person)-[:LOCATED_IN]->(" + commune + ") RETURN " + var + " "
        "UNION "
        "MATCH (" + var + ":Person)-[:AFFILIATED_WITH]->(" + org + ":Organisation)"
        "-[:LOCATED_IN]->(" + commune + ") "
        + ("WHERE NOT " + _shared(org) + " " if writable else "")
        + "RETURN " + var + " "
        "} "
    )  # fmt: skip


def organisations_in_scope(var: str = "o", national: bool = False) -> str:
    """Every organisation ``organisation_visible(var)`` accepts, bound to ``var``."""
    var = variable(var)
    if national:
        return "MATCH (" + var + ":Organisation) "
    return (
        "CALL () { "
        + _organisations_of_communes(var, writable=False)
        + "RETURN " + var + " "
        "UNION "
        "MATCH (" + var + ":Organisation) WHERE " + var + ".shared = true RETURN " + var + " "
        "} "
    )  # fmt: skip


def organisations_writable_in_scope(var: str = "o", national: bool = False) -> str:
    """Every organisation ``organisation_writable(var)`` accepts, bound to ``var``: those
    located in a commune of the scope, shared institutions aside."""
    var = variable(var)
    if national:
        return "MATCH (" + var + ":Organisation) "
    return (
        "CALL () { " + _organisations_of_communes(var, writable=True)
        + "RETURN DISTINCT " + var + " } "
    )  # fmt: skip


def people_in_scope(var: str = "p", national: bool = False) -> str:
    """Every person ``person_visible(var)`` accepts, bound to ``var``.

    Per commune of the scope (one index seek each): its people, and the people of its
    organisations; then the people of the shared institutions.
    """
    var = variable(var)
    if national:
        return "MATCH (" + var + ":Person) "
    org = inner_variable("so", var)
    return (
        "CALL () { "
        + _people_of_communes(var, writable=False)
        + "RETURN " + var + " "
        "UNION "
        "MATCH (" + org + ":Organisation) WHERE " + org + ".shared = true "
        "MATCH (" + var + ":Person)-[:AFFILIATED_WITH]->(" + org + ") RETURN " + var + " "
        "} "
    )  # fmt: skip


def people_writable_in_scope(var: str = "p", national: bool = False) -> str:
    """Every person ``person_writable(var)`` accepts, bound to ``var``: per commune of the
    scope, its people and the people of its organisations other than shared institutions
    (the visible people it leaves out are those seen only through a shared institution)."""
    var = variable(var)
    if national:
        return "MATCH (" + var + ":Person) "
    return (
        "CALL () { " + _people_of_communes(var, writable=True)
        + "RETURN DISTINCT " + var + " } "
    )  # fmt: skip


def events_in_scope(var: str = "e", national: bool = False) -> str:
    """Every event ``event_visible(var)`` accepts, bound to ``var`` (from the scope's communes)."""
    var = variable(var)
    if national:
        return "MATCH (" + var + ":Event) "
    commune = inner_variable("sc", var)
    return (
        "CALL () { "
        "MATCH (" + commune + ":Commune) WHERE " + commune + ".code IN $scope_communes "
        "MATCH (" + var + ":Event)-[:HELD_IN]->(" + commune + ") RETURN " + var + " "
        "} "
    )
