"""People, organisations and their affiliations: the Cypher behind the contact pages."""

from __future__ import annotations

from neomodel import db

from graph.database import run
from graph.models import Organisation, Person
from graph.records import update_versioned

__all__ = [
    "add_affiliation",
    "create_organisation",
    "create_person",
    "get_organisation",
    "get_person",
    "search_organisations",
    "search_people",
    "update_organisation",
    "update_person",
]

# Sort orders offered by lists: key -> ORDER BY text. Only these keys reach a query.
PEOPLE_SORTS = {
    "name": "last_name_key, first_name_key",
    "recent": "p.updated_at DESC",
}
ORGANISATION_SORTS = {
    "name": "o.search_key",
    "recent": "o.updated_at DESC",
}


def create_person(props: dict) -> str:
    person = Person(**props).save()
    return person.uid


def update_person(uid: str, expected_version: int, props: dict) -> int | None:
    with db.transaction:
        return update_versioned("Person", uid, expected_version, props)


def get_person(uid: str) -> dict | None:
    rows = run(
        """
        MATCH (p:Person {uid: $uid})
        OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
        WITH p, a, o, c ORDER BY a.until IS NULL DESC, a.since DESC
        RETURN properties(p) AS person,
               [x IN collect(CASE WHEN a IS NULL THEN NULL ELSE {
                   uid: a.uid, role: a.role, since: a.since, until: a.until,
                   focal_point: a.focal_point, organisation_uid: o.uid,
                   organisation_name: o.name, organisation_kind: o.kind,
                   commune_name: c.name_fr, commune_code: c.code} END) WHERE x IS NOT NULL]
                 AS affiliations
        """,
        uid=uid,
    )
    if not rows:
        return None
    return {**rows[0]["person"], "affiliations": rows[0]["affiliations"]}


def search_people(key: str, sort: str, skip: int, limit: int) -> tuple[list[dict], int]:
    order = PEOPLE_SORTS[sort]
    match = "MATCH (p:Person) WHERE $key = '' OR p.search_key CONTAINS $key "
    total = run(match + "RETURN count(p) AS n", key=key)[0]["n"]
    rows = run(
        match
        + """
        OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation) WHERE a.until IS NULL
        WITH p, collect(o.name)[..3] AS organisations
        WITH p, organisations, toLower(p.last_name) AS last_name_key,
             toLower(p.first_name) AS first_name_key
        """
        + "ORDER BY "
        + order
        + """
        SKIP $skip LIMIT $limit
        RETURN p.uid AS uid, p.first_name AS first_name, p.last_name AS last_name,
               p.first_name_ar AS first_name_ar, p.last_name_ar AS last_name_ar,
               p.email AS email, p.phone AS phone, organisations
        """,
        key=key,
        skip=skip,
        limit=limit,
    )
    return rows, total


def create_organisation(props: dict, commune_code: str | None) -> str:
    with db.transaction:
        org = Organisation(**props).save()
        _set_commune(org.uid, commune_code)
    return org.uid


def update_organisation(
    uid: str, expected_version: int, props: dict, commune_code: str | None
) -> int | None:
    with db.transaction:
        version = update_versioned("Organisation", uid, expected_version, props)
        if version is not None:
            _set_commune(uid, commune_code)
        return version


def get_organisation(uid: str) -> dict | None:
    rows = run(
        """
        MATCH (o:Organisation {uid: $uid})
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)-[:IN]->(pr:Province)-[:IN]->(r:Region)
        OPTIONAL MATCH (m:Person)-[a:AFFILIATED_WITH]->(o)
        WITH o, c, pr, r, a, m ORDER BY a.until IS NULL DESC, m.last_name
        RETURN properties(o) AS organisation,
               CASE WHEN c IS NULL THEN NULL ELSE {code: c.code, name_fr: c.name_fr,
                    name_ar: c.name_ar, province: pr.name_fr, region: r.name_fr} END AS commune,
               [x IN collect(CASE WHEN a IS NULL THEN NULL ELSE {
                   uid: a.uid, role: a.role, since: a.since, until: a.until,
                   focal_point: a.focal_point, person_uid: m.uid,
                   first_name: m.first_name, last_name: m.last_name} END) WHERE x IS NOT NULL]
                 AS members
        """,
        uid=uid,
    )
    if not rows:
        return None
    row = rows[0]
    return {**row["organisation"], "commune": row["commune"], "members": row["members"]}


def search_organisations(
    key: str, kind: str | None, sort: str, skip: int, limit: int
) -> tuple[list[dict], int]:
    order = ORGANISATION_SORTS[sort]
    match = (
        "MATCH (o:Organisation) WHERE ($key = '' OR o.search_key CONTAINS $key) "
        "AND ($kind IS NULL OR o.kind = $kind) "
    )
    total = run(match + "RETURN count(o) AS n", key=key, kind=kind)[0]["n"]
    rows = run(
        match
        + """
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
        WITH o, c ORDER BY """
        + order
        + """
        SKIP $skip LIMIT $limit
        RETURN o.uid AS uid, o.name AS name, o.name_ar AS name_ar, o.acronym AS acronym,
               o.kind AS kind, c.name_fr AS commune_name, c.code AS commune_code
        """,
        key=key,
        kind=kind,
        skip=skip,
        limit=limit,
    )
    return rows, total


def add_affiliation(person_uid: str, organisation_uid: str, props: dict) -> str | None:
    """Link a person to an organisation; ``None`` if either does not exist."""
    rows = run(
        """
        MATCH (p:Person {uid: $person_uid}), (o:Organisation {uid: $organisation_uid})
        CREATE (p)-[a:AFFILIATED_WITH]->(o)
        SET a = $props, a.uid = randomUUID(), a.created_at = datetime()
        SET p.updated_at = datetime(), p.version = p.version + 1
        RETURN a.uid AS uid
        """,
        person_uid=person_uid,
        organisation_uid=organisation_uid,
        props=props,
    )
    return rows[0]["uid"] if rows else None


def _set_commune(organisation_uid: str, commune_code: str | None) -> None:
    run(
        """
        MATCH (o:Organisation {uid: $uid})
        OPTIONAL MATCH (o)-[old:LOCATED_IN]->(:Commune)
        DELETE old
        WITH DISTINCT o
        MATCH (c:Commune {code: $code})
        MERGE (o)-[:LOCATED_IN]->(c)
        """,
        uid=organisation_uid,
        code=commune_code,
    )
