"""People, organisations and their affiliations: the Cypher behind the contact pages.

Every function that reads or writes takes ``scope`` (``crm.access.Scope.as_params()``) and
filters with the predicates of ``graph.scope``; a record outside the scope is "not found".
"""

from __future__ import annotations

from graph import paging, scope_keys
from graph.database import atomic, run
from graph.partnerships import organisation_partnerships_subquery
from graph.privacy import PERSON_NAMED
from graph.records import update_versioned
from graph.scope import (
    organisation_visible,
    people_in_scope,
    person_visible,
)

# Search (full-text, filters, sorts) lives in graph.search; these names stay importable here.
from graph.search import (
    ORGANISATION_SORTS,
    PEOPLE_SORTS,
    search_organisations,
    search_people,
)

__all__ = [
    "ORGANISATION_SORTS",
    "PEOPLE_SORTS",
    "add_affiliation",
    "create_organisation",
    "create_person",
    "export_people",
    "get_organisation",
    "get_person",
    "people_to_complete",
    "search_organisations",
    "search_people",
    "update_organisation",
    "update_person",
]

_NEW_RECORD = "SET n = $props, n.uid = $uid, n.created_at = datetime(), " + (
    "n.updated_at = datetime(), n.version = 1"
)


# Access checks (visible, writable) are ``graph.kinds.access``, for every kind of record.


# --- people ----------------------------------------------------------------------------------


def create_person(uid: str, props: dict, commune_code: str | None) -> None:
    _create_located("Person", uid, props, commune_code)


def update_person(
    uid: str, expected_version: int, props: dict, commune_code: str | None
) -> tuple[int, dict] | None:
    return _update_located("Person", uid, expected_version, props, commune_code)


def get_person(uid: str, scope: dict) -> dict | None:
    rows = run(
        "MATCH (p:Person {uid: $uid}) WHERE "
        + person_visible("p")
        + """
        OPTIONAL MATCH (p)-[:LOCATED_IN]->(pc:Commune)-[:IN]->(:Province)-[:IN]->(pr:Region)
        CALL (p) {
            OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation) WHERE """
        + organisation_visible("o")
        + """
            OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
            WITH a, o, c ORDER BY a.until IS NULL DESC, a.since DESC
            RETURN [x IN collect(CASE WHEN a IS NULL THEN NULL ELSE {
                   uid: a.uid, role: a.role, since: a.since, until: a.until,
                   focal_point: a.focal_point, organisation_uid: o.uid,
                   organisation_name: o.name, organisation_kind: o.kind,
                   commune_name: c.name_fr, commune_code: c.code} END) WHERE x IS NOT NULL]
                 AS affiliations
        }
        RETURN properties(p) AS person, affiliations,
               CASE WHEN pc IS NULL THEN NULL ELSE {code: pc.code, name_fr: pc.name_fr,
                    region: pr.name_fr} END AS commune
        """,
        uid=uid,
        **scope,
    )
    if not rows:
        return None
    row = rows[0]
    return {**row["person"], "affiliations": row["affiliations"], "commune": row["commune"]}


def export_people(scope: dict, uids: list[str] | None = None) -> list[dict]:
    """People for an export (all, or ``uids``): in scope, neither opposed nor anonymised.

    All of them start from the scope's candidate set (an officer's export costs what the
    territory holds); given ``uids``, each is found by its uid and tested with the predicate.
    """
    if uids is None:
        people = people_in_scope("p", national=bool(scope["scope_national"])) + "WITH p WHERE "
    else:
        people = "MATCH (p:Person) WHERE p.uid IN $uids AND " + person_visible("p") + " AND "
    return run(
        people
        + PERSON_NAMED
        + """
        OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        CALL (p) {
            OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
            WHERE a.until IS NULL AND """
        + organisation_visible("o")
        + """
            WITH o, a ORDER BY a.since DESC
            RETURN collect(o.name + ' (' + coalesce(a.role, '') + ')') AS functions,
                   collect(CASE WHEN o IS NULL THEN NULL
                           ELSE {name: o.name, role: a.role, kind: o.kind} END) AS organisations
        }
        RETURN p.uid AS uid, p.last_name AS last_name, p.first_name AS first_name,
               p.last_name_ar AS last_name_ar, p.first_name_ar AS first_name_ar,
               p.gender AS gender, p.phones AS phones, p.emails AS emails,
               c.name_fr AS commune, functions, organisations
        ORDER BY toLower(p.last_name), toLower(p.first_name)
        """,
        uids=uids,
        **scope,
    )


def people_to_complete(scope: dict, skip: int, limit: int) -> tuple[list[dict], int]:
    """People in scope whose legal basis or purpose (law 09-08) is still to be given."""
    match = (
        "MATCH (p:Person) WHERE p.privacy_incomplete = true AND NOT coalesce(p.anonymised, false) "
        "AND " + person_visible("p")
    )
    row = (
        "{uid: p.uid, first_name: p.first_name, last_name: p.last_name, "
        "legal_basis: p.legal_basis, purpose: p.purpose, created_at: p.created_at}"
    )
    return paging.page(match, "p.created_at DESC", row, skip, limit, **scope)


# --- organisations ---------------------------------------------------------------------------


def create_organisation(uid: str, props: dict, commune_code: str | None) -> None:
    _create_located("Organisation", uid, props, commune_code)


def update_organisation(
    uid: str, expected_version: int, props: dict, commune_code: str | None
) -> tuple[int, dict] | None:
    return _update_located("Organisation", uid, expected_version, props, commune_code)


def get_organisation(uid: str, scope: dict) -> dict | None:
    rows = run(
        "MATCH (o:Organisation {uid: $uid}) WHERE "
        + organisation_visible("o")
        + """
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)-[:IN]->(pr:Province)-[:IN]->(r:Region)
        """
        + organisation_partnerships_subquery("o")
        + """
        OPTIONAL MATCH (m:Person)-[a:AFFILIATED_WITH]->(o)
        WITH o, c, pr, r, partnerships, a, m ORDER BY a.until IS NULL DESC, m.last_name
        RETURN properties(o) AS organisation, partnerships,
               CASE WHEN c IS NULL THEN NULL ELSE {code: c.code, name_fr: c.name_fr,
                    name_ar: c.name_ar, province: pr.name_fr, region: r.name_fr} END AS commune,
               [x IN collect(CASE WHEN a IS NULL THEN NULL ELSE {
                   uid: a.uid, role: a.role, since: a.since, until: a.until,
                   focal_point: a.focal_point, succeeds: a.succeeds, person_uid: m.uid,
                   first_name: m.first_name, last_name: m.last_name} END) WHERE x IS NOT NULL]
                 AS members
        """,
        uid=uid,
        **scope,
    )
    if not rows:
        return None
    row = rows[0]
    return {
        **row["organisation"],
        "commune": row["commune"],
        "members": row["members"],
        "partnerships": row["partnerships"],
    }


# --- affiliations ----------------------------------------------------------------------------


def add_affiliation(person_uid: str, organisation_uid: str, props: dict) -> str | None:
    """Link a person to an organisation; ``None`` if either does not exist."""
    rows = run(
        """
        MATCH (p:Person {uid: $person_uid}), (o:Organisation {uid: $organisation_uid})
        CREATE (p)-[a:AFFILIATED_WITH]->(o)
        SET a = $props, a.uid = randomUUID(), a.created_at = datetime()
        SET p.updated_at = datetime(), p.version = p.version + 1
        """
        + scope_keys.append_organisation_words("p", "o")
        + """
        RETURN a.uid AS uid
        """,
        person_uid=person_uid,
        organisation_uid=organisation_uid,
        props=props,
    )
    return rows[0]["uid"] if rows else None


_CREATE = {label: "CREATE (n:" + label + ") " + _NEW_RECORD for label in ("Person", "Organisation")}


def _create_located(label: str, uid: str, props: dict, commune_code: str | None) -> None:
    """A new record and its commune, in one transaction (label from ``_CREATE`` only)."""
    with atomic():
        run(_CREATE[label], uid=uid, props=props)
        _set_commune(label, uid, commune_code)


def _update_located(
    label: str, uid: str, expected_version: int, props: dict, commune_code: str | None
) -> tuple[int, dict] | None:
    """A versioned update and the new commune, in one transaction."""
    with atomic():
        result = update_versioned(label, uid, expected_version, props)
        if result is not None:
            _set_commune(label, uid, commune_code)
        return result


# The two labels that can be located in a commune -> their MATCH clause.
_LOCATABLE = {
    "Person": "MATCH (n:Person {uid: $uid}) ",
    "Organisation": "MATCH (n:Organisation {uid: $uid}) ",
}


def _set_commune(label: str, uid: str, commune_code: str | None) -> None:
    run(
        _LOCATABLE[label]
        + """
        OPTIONAL MATCH (n)-[old:LOCATED_IN]->(:Commune)
        DELETE old
        WITH DISTINCT n
        MATCH (c:Commune {code: $code})
        MERGE (n)-[:LOCATED_IN]->(c)
        """,
        uid=uid,
        code=commune_code,
    )
    # Where a person is, and where an organisation's people are, decides who finds them.
    if label == "Person":
        scope_keys.refresh([uid])
    else:
        scope_keys.refresh_members([uid])
