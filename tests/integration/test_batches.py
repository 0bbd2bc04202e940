"""The batch path shared by the import and the generator (``graph.batches``), on the real
Neo4j: its statements, its background sender, and the generator going through it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crm import clock
from graph import batches, bulk
from graph.database import run, write
from seeds import generator

NOW = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
BEFORE = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def _person(uid: str, **props) -> dict:
    return {"uid": uid, "commune": "02.411.01.23", "props": {"last_name": uid, **props}}


def test_records_of_an_import_get_the_write_time_and_a_link_to_it(clean_db):
    run("CREATE (:Import {uid: 'imp'})")
    write(batches.create_records, "Person", [_person("p1"), {**_person("p2"), "commune": None}],
          NOW, import_uid="imp")  # fmt: skip
    rows = run(
        "MATCH (:Import {uid: 'imp'})-[:CREATED]->(p:Person) "
        "OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune) "
        "RETURN p.uid AS uid, p.created_at AS created, p.updated_at AS updated, "
        "p.version AS version, c.code AS commune, p:Generated AS generated ORDER BY uid"
    )
    assert [(r["uid"], r["commune"], r["version"], r["generated"]) for r in rows] == [
        ("p1", "02.411.01.23", 1, False), ("p2", None, 1, False)
    ]  # fmt: skip
    assert all(r["created"].to_native() == NOW == r["updated"].to_native() for r in rows)


def test_generated_records_keep_their_history_and_label(clean_db):
    row = _person("g1", created_at=BEFORE, updated_at=NOW, version=3)
    write(batches.create_records, "Person", [row], None, generated=True)
    found = run(
        "MATCH (p:Person:Generated {uid: 'g1'})-[:LOCATED_IN]->(c) "
        "RETURN p.created_at AS created, p.updated_at AS updated, p.version AS version"
    )[0]
    assert (found["created"].to_native(), found["updated"].to_native()) == (BEFORE, NOW)
    assert found["version"] == 3
    assert run("MATCH ()-[r:CREATED]->() RETURN count(r) AS n")[0]["n"] == 0


def test_an_unknown_label_is_refused_before_any_write(clean_db):
    with pytest.raises(ValueError, match="not a record label"):
        batches.create_records("User", [_person("x")], NOW)
    assert run("MATCH (n {uid: 'x'}) RETURN count(n) AS n")[0]["n"] == 0


def test_functions_held_already_are_skipped_unless_asked(clean_db):
    write(batches.create_records, "Person", [_person("p")], NOW)
    run("CREATE (:Organisation {uid: 'o', name: 'Org'})")
    function = {"person": "p", "organisation": "o", "props": {"role": "Président"}}
    assert write(batches.add_functions, [function], NOW) == 1
    assert write(batches.add_functions, [function], NOW) == 0  # held, still open
    assert write(batches.add_functions, [function], NOW, skip_held=False) == 1
    kept = {"uid": "f-1", "role": "Trésorier", "created_at": BEFORE, "since": date(2025, 1, 1)}
    write(batches.add_functions, [{**function, "props": kept}], NOW, import_uid="imp")
    found = run(
        "MATCH (:Person {uid: 'p'})-[a:AFFILIATED_WITH {role: 'Trésorier'}]->() "
        "RETURN a.uid AS uid, a.created_at AS created, a.import_uid AS import"
    )
    assert [(r["uid"], r["created"].to_native(), r["import"]) for r in found] == [
        ("f-1", BEFORE, "imp")
    ]


def test_the_sender_writes_in_order_in_the_callers_transaction(clean_db):
    def work(batch: list[int]) -> None:
        run("UNWIND $n AS n CREATE (:SenderProbe {n: n})", n=batch)

    def send_all() -> None:
        with batches.Sender(work) as sender:
            for start in range(0, 10, 3):
                sender.send(list(range(start, min(start + 3, 10))))
        # still inside the transaction: what the sender wrote is visible to it
        assert run("MATCH (p:SenderProbe) RETURN count(p) AS n")[0]["n"] == 10
        raise RuntimeError("roll back")

    with pytest.raises(RuntimeError, match="roll back"):
        write(send_all)
    assert run("MATCH (p:SenderProbe) RETURN count(p) AS n")[0]["n"] == 0  # one transaction


def test_the_senders_first_error_stops_it_and_reaches_the_caller(clean_db):
    written = []

    def work(batch: int) -> None:
        if batch == 2:
            raise ValueError("batch 2 refused")
        written.append(batch)

    with pytest.raises(ValueError, match="batch 2 refused"):
        with batches.Sender(work, depth=1) as sender:
            for batch in range(1, 6):
                sender.send(batch)
    assert written == [1]  # nothing after the failed batch


def test_the_generator_writes_people_and_organisations_through_the_batch_path(
    clean_db, monkeypatch
):
    calls = []
    shared = batches.create_records

    def recorded(label, rows, now, **options):
        calls.append((label, options.get("generated"), len(rows)))
        return shared(label, rows, now, **options)

    monkeypatch.setattr(batches, "create_records", recorded)
    counts = generator.load("small", 5, clock.today(), "generated data password 2026")
    written = {
        label: sum(n for name, generated, n in calls if name == label and generated)
        for label in ("Person", "Organisation")
    }
    assert written == {"Person": counts["people"], "Organisation": counts["organisations"]}
    in_database = bulk.generated_counts()
    assert (in_database["Person"], in_database["Organisation"]) == (
        counts["people"], counts["organisations"]
    )  # fmt: skip


def test_the_demo_activity_goes_through_the_batch_statements(clean_db):
    # Two organisations and a person (the demo's own loader), then its events, attendance
    # and partnerships as ``seeds.demo.generate_activity`` gives them.
    bulk.load_people_and_organisations(
        [{"uid": "o1", "commune": "02.411.01.23", "props": {"name": "Association Nour"}},
         {"uid": "o2", "commune": "02.411.01.23", "props": {"name": "Commune"}}],
        [{"uid": "p1", "commune": "02.411.01.23", "organisation": "o1", "role": "Président",
          "props": {"last_name": "Alaoui"}}],
    )  # fmt: skip
    bulk.load_activity(
        [{"uid": "e1", "commune": "02.411.01.23", "organiser": "o2",
          "props": {"title": "Forum", "kind": "consultation", "start_date": date(2026, 5, 4)}}],
        [{"event": "e1", "person": "p1", "organisation": "o1"}],
        [{"first": "o1", "second": "o2",
          "props": {"uid": "k1", "kind": "convention", "since": date(2026, 1, 1)}}],
    )  # fmt: skip
    event = run(
        "MATCH (o:Organisation)-[:ORGANISED]->(e:Event {uid: 'e1'})-[:HELD_IN]->(c:Commune) "
        "RETURN o.uid AS organiser, c.code AS commune, e.title AS title, e.version AS version, "
        "e.created_at AS created, e:Generated AS generated"
    )
    assert [(r["organiser"], r["commune"], r["title"], r["version"], r["generated"])
            for r in event] == [("o2", "02.411.01.23", "Forum", 1, False)]  # fmt: skip
    assert event[0]["created"] is not None
    came = run(
        "MATCH (:Person {uid: 'p1'})-[a:ATTENDED]->(:Event {uid: 'e1'}) "
        "RETURN a.role AS role, a.for_organisation AS org, a.uid AS uid, a.added_at AS added"
    )
    assert [(r["role"], r["org"]) for r in came] == [("participant", "o1")]
    assert came[0]["uid"] and came[0]["added"] is not None
    tie = run(
        "MATCH (:Organisation {uid: 'o1'})-[r:PARTNERS_WITH]->(:Organisation {uid: 'o2'}) "
        "RETURN r.uid AS uid, r.kind AS kind, r.created_at AS created"
    )
    assert [(r["uid"], r["kind"]) for r in tie] == [("k1", "convention")]
    assert tie[0]["created"] is not None


def test_generated_events_get_their_label_and_every_organiser(clean_db):
    run("CREATE (:Organisation {uid: 'o1'}), (:Organisation {uid: 'o2'})")
    event = {"commune": "02.411.01.23", "organisers": ["o1", "o2"],
             "props": {"uid": "g-e", "title": "Atelier", "version": 2}}  # fmt: skip
    write(batches.create_events, [event], generated=True)
    rows = run(
        "MATCH (o:Organisation)-[:ORGANISED]->(e:Event:Generated {uid: 'g-e'}) "
        "RETURN o.uid AS o, e.version AS version ORDER BY o"
    )
    assert [(r["o"], r["version"]) for r in rows] == [("o1", 2), ("o2", 2)]
