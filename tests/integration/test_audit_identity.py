"""The audit trail's text never names a person: entries refer to records by uid, pages resolve
the current name, so anonymising a person reaches every entry by design (law 09-08)."""

import pytest
from neo4j import GraphDatabase

from crm import audit, people, privacy
from graph.database import run
from tests.integration.conftest import OUJDA

pytestmark = pytest.mark.integration


def _stored_text() -> str:
    rows = run("MATCH (e:AuditEvent) RETURN e.summary AS summary")
    return " ".join(row["summary"] or "" for row in rows)


def test_views_creations_and_edits_keep_the_name_out_of_the_stored_text(officer, manager):
    uid = people.create_person(
        officer, {"first_name": "Zineb", "last_name": "Ouazzani", "commune": OUJDA}
    )
    people.get_person(officer, uid)
    people.update_person(
        officer, uid, 1, {"first_name": "Zineb", "last_name": "Ouazzani-Idrissi", "commune": OUJDA}
    )
    assert "Zineb" not in _stored_text() and "Ouazzani" not in _stored_text()
    # The journal shows who the entry is about, resolved now.
    page = audit.search(manager, target_uid=uid)
    assert {e["target_name"] for e in page.items} == {"Zineb OUAZZANI-IDRISSI"}


def test_after_anonymisation_the_journal_no_longer_names_the_person(officer, manager):
    uid = people.create_person(
        officer, {"first_name": "Zineb", "last_name": "Ouazzani", "commune": OUJDA}
    )
    people.get_person(officer, uid)
    privacy.anonymise(manager, uid, "ANONYMISER")
    page = audit.search(manager, target_uid=uid)
    names = {e["target_name"] for e in page.items}
    assert names and not any("Zineb" in n or "Ouazzani" in n for n in names)
    text = audit.export_csv(manager, target_uid=uid)
    assert "Zineb" not in text and "Ouazzani" not in text


def test_the_trail_is_declared_and_indexed(clean_db):
    indexes = run(
        "SHOW INDEXES YIELD labelsOrTypes, properties WHERE 'AuditEvent' IN labelsOrTypes "
        "RETURN properties"
    )
    indexed = {tuple(row["properties"]) for row in indexes}
    assert {("target_uid",), ("at",), ("actor_uid",)} <= indexed
    # A record's history reads its own entries through the index, not the whole trail.
    with GraphDatabase.driver(clean_db.uri, auth=(clean_db.user, clean_db.password)) as driver:
        summary = driver.execute_query(
            "EXPLAIN MATCH (e:AuditEvent) WHERE e.target_uid IN $uids RETURN e", uids=["x"]
        ).summary
    assert "NodeIndexSeek" in _operators(summary.plan)


def _operators(plan: dict) -> str:
    return plan["operatorType"] + " " + " ".join(_operators(c) for c in plan.get("children", []))
