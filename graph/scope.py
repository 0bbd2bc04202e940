"""Cypher predicates that keep every read and write inside the acting user's territory.

Queries receive ``$scope_national`` (bool) and ``$scope_communes`` (list of HCP commune codes),
from ``crm.access.Scope.as_params()``. The predicates below are the single definition of "in
scope"; every query over people or organisations uses them.

- An organisation is visible when it is located in a commune of the scope, or is a shared
  national institution (``shared = true``: DGCT, INDH, ANAPEC…, readable by everyone).
- A person is visible when their commune is in scope, or they hold (or held) a function in an
  organisation that is visible.
- Writing needs the same without the "shared" clause: shared institutions and their people are
  edited by national roles only.
"""

from __future__ import annotations

__all__ = ["organisation_visible", "organisation_writable", "person_visible", "person_writable"]

# Variable names are fixed by the calling query (code, never user input).
_ALLOWED_VARIABLES = frozenset({"o", "p", "m", "org", "person"})


def _located(var: str) -> str:
    return (
        "EXISTS { MATCH (" + var + ")-[:LOCATED_IN]->(sc:Commune) "
        "WHERE sc.code IN $scope_communes }"
    )


def organisation_visible(var: str = "o") -> str:
    assert var in _ALLOWED_VARIABLES
    return "($scope_national OR coalesce(" + var + ".shared, false) OR " + _located(var) + ")"


def organisation_writable(var: str = "o") -> str:
    assert var in _ALLOWED_VARIABLES
    not_shared = "NOT coalesce(" + var + ".shared, false)"
    return "($scope_national OR (" + not_shared + " AND " + _located(var) + "))"


def person_visible(var: str = "p") -> str:
    assert var in _ALLOWED_VARIABLES
    return (
        "($scope_national OR " + _located(var) + " OR EXISTS { MATCH (" + var + ")"
        "-[:AFFILIATED_WITH]->(so:Organisation) WHERE coalesce(so.shared, false) OR "
        "EXISTS { MATCH (so)-[:LOCATED_IN]->(sc2:Commune) WHERE sc2.code IN $scope_communes } })"
    )


def person_writable(var: str = "p") -> str:
    assert var in _ALLOWED_VARIABLES
    return (
        "($scope_national OR " + _located(var) + " OR EXISTS { MATCH (" + var + ")"
        "-[:AFFILIATED_WITH]->(so:Organisation) WHERE NOT coalesce(so.shared, false) AND "
        "EXISTS { MATCH (so)-[:LOCATED_IN]->(sc2:Commune) WHERE sc2.code IN $scope_communes } })"
    )
