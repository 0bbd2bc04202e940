"""A use case is one unit of work: its writes and its audit entry commit together or not at
all; reads run in read transactions; transient errors are retried; refusals stay traced."""

from datetime import date

import pytest
from neo4j.exceptions import ClientError, TransientError

from crm import audit, interactions, people
from crm.errors import NotFound
from graph import contacts, database
from graph.database import run
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration


def _count(label: str) -> int:
    return run("MATCH (n:" + label + ") RETURN count(n) AS n")[0]["n"]


def test_a_crash_before_the_audit_entry_leaves_no_unaudited_change(officer, monkeypatch):
    def crash(event):
        raise RuntimeError("the process dies here")

    monkeypatch.setattr(audit.store, "append_event", crash)
    with pytest.raises(RuntimeError):
        people.create_person(officer, {"first_name": "Amina", "last_name": "Z", "commune": OUJDA})
    monkeypatch.undo()
    assert _count("Person") == 0


def test_an_edit_and_its_audit_entry_commit_together(officer, monkeypatch):
    uid = people.create_person(officer, {"first_name": "Amina", "last_name": "Z", "commune": OUJDA})
    monkeypatch.setattr(audit.store, "append_event", lambda event: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        people.update_person(
            officer, uid, 1, {"first_name": "Aminata", "last_name": "Z", "commune": OUJDA}
        )
    monkeypatch.undo()
    stored = run(
        "MATCH (p:Person {uid: $uid}) RETURN p.first_name AS name, p.version AS v", uid=uid
    )
    assert stored == [{"name": "Amina", "v": 1}]


def test_an_interaction_rolled_back_takes_its_follow_ups_and_trace_with_it(officer, monkeypatch):
    people.create_person(officer, {"first_name": "Amina", "last_name": "Zeroual", "commune": OUJDA})
    before = _count("AuditEvent")
    monkeypatch.setattr(audit.store, "append_event", lambda event: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        interactions.log_interaction(
            officer,
            {
                "kind": "call",
                "date": "2026-03-01",
                "summary": "Appel",
                "people": ["Amina Zeroual"],
                "follow_ups": [{"what": "Envoyer l'invitation", "due": "2026-03-10"}],
            },
            today=date(2026, 3, 2),
        )
    monkeypatch.undo()
    assert (_count("Interaction"), _count("FollowUp"), _count("AuditEvent")) == (0, 0, before)


def test_a_refusal_is_traced_although_its_request_is_rolled_back(officer, make_user):
    manager = make_user("manager", "manager@example.org")
    casa = people.create_person(
        manager, {"first_name": "Nadia", "last_name": "Casaoui", "commune": CASABLANCA}
    )
    with pytest.raises(NotFound):
        people.update_person(officer, casa, 1, {"first_name": "X", "last_name": "Y"})
    denied = run(
        "MATCH (e:AuditEvent {action: 'denied', target_uid: $uid}) RETURN e.actor_uid AS by",
        uid=casa,
    )
    assert denied == [{"by": officer.uid}]


def test_reads_run_in_read_transactions_where_the_server_refuses_writes(officer):
    uid = people.create_person(officer, {"first_name": "Amina", "last_name": "Z", "commune": OUJDA})
    seen = []
    original = contacts.get_person

    def spy(*args, **kwargs):
        seen.append(database.in_read_transaction())
        return original(*args, **kwargs)

    contacts.get_person = spy
    try:
        people.get_person(officer, uid)
    finally:
        contacts.get_person = original
    assert seen == [True]
    # The consultation itself is traced (in a transaction of its own).
    assert run(
        "MATCH (e:AuditEvent {action: 'view', target_uid: $uid}) RETURN count(e) AS n", uid=uid
    ) == [{"n": 1}]
    # And a write inside a read transaction is refused by the server itself.
    with pytest.raises(ClientError):
        database.read(run, "CREATE (:Scratch)")
    assert _count("Scratch") == 0


def test_a_transient_error_runs_the_unit_of_work_again(clean_db):
    attempts = []

    def work():
        run("CREATE (:Scratch {attempt: $n})", n=len(attempts))
        attempts.append(1)
        if len(attempts) == 1:
            raise TransientError("leader switched")  # rolled back, then retried
        return "done"

    assert database.write(work) == "done"
    assert run("MATCH (s:Scratch) RETURN s.attempt AS attempt") == [{"attempt": 1}]
    run("MATCH (s:Scratch) DELETE s")


def test_a_write_cannot_hide_inside_a_read_unit_of_work(clean_db):
    with pytest.raises(RuntimeError):
        database.read(database.write, run, "RETURN 1")
