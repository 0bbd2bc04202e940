"""Backup and restore of the whole graph (`flask crm backup|restore`): an exhaustive round
trip (every node, relationship and property, with its exact type), anonymisation kept, and the
refusals (a database holding data, a truncated or foreign file)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import UTC, date, datetime

import neo4j.spatial
import neo4j.time
import pytest

from crm import people, privacy
from graph import backup
from graph.database import run
from seeds import demo, geography
from tests.conftest import _TEST_MARKER
from webui import create_app

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _reference_data_back(clean_db):
    """These tests empty the database: whatever happens, the next tests find the reference
    geography and the test run's marker again."""
    yield
    if not run("MATCH (c:Commune) RETURN count(c) > 0 AS any")[0]["any"]:
        run("MATCH (n) DETACH DELETE n")
        geography.load()
        run(f"MERGE (:{_TEST_MARKER})")


def _everything() -> tuple[Counter, Counter]:
    """Every node as (labels, properties with their types) and every relationship as (type,
    its ends' descriptions, properties), as multisets: two graphs are the same when these
    are equal, whatever their internal ids."""
    nodes = run("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS p")
    # The data version's epoch is the one value a restore changes on purpose (tested below).
    described = {
        row["id"]: (
            tuple(sorted(row["labels"])),
            _typed({k: v for k, v in row["p"].items()
                    if not (k == "epoch" and "DataVersion" in row["labels"])}),
        )
        for row in nodes
    }  # fmt: skip
    rels = run(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, elementId(a) AS a, elementId(b) AS b, "
        "properties(r) AS p"
    )
    return Counter(described.values()), Counter(
        (row["type"], described[row["a"]], described[row["b"]], _typed(row["p"])) for row in rels
    )


def _typed(props: dict) -> tuple:
    """Properties with each value's type, so a Date never passes for a string."""

    def one(value: object) -> object:
        if isinstance(value, list):
            return ("list", tuple(one(v) for v in value))
        return (type(value).__name__, repr(value))

    return tuple(sorted((key, one(value)) for key, value in props.items()))


@pytest.fixture
def world(clean_db, make_user, manager):
    """Reference geography, demo records with events and partnerships, users, an audit trail,
    an anonymised person, and a node holding every kind of value Neo4j stores."""
    orgs, persons = demo.generate(40, 120)
    demo.load_people_and_organisations(orgs, persons)
    demo.load_activity_data(demo.generate_activity(orgs, persons, 12, 30))
    officer = make_user("officer", "oriental@example.org", ("02",))
    created = people.create_person(
        manager, {"last_name": "Alami", "first_name": "Nadia", "last_name_ar": "العلمي",
                  "first_name_ar": "نادية", "gender": "f", "phones": ["+212661234567"]},
    )  # fmt: skip
    privacy.anonymise(manager, created, "ANONYMISER")
    run(
        "CREATE (:BackupTypes {d: $d, dt: $dt, ldt: localdatetime('2026-03-15T10:30:00.123456789'),"
        " t: time('10:30:00+01:00'), lt: localtime('08:00'), dur: duration('P1Y2M3DT4H5M6.7S'),"
        " p: point({x: 1.5, y: -2}), g: point({latitude: 34.68, longitude: -1.91}),"
        " b: $bytes, nan: $nan, big: 9007199254740993, words: ['نور', '<img src=x>'],"
        " flags: [true, false], nums: [1.5, 2.0], empty: '', zoned: $zoned})",
        d=date(2026, 3, 15), dt=datetime(2026, 3, 15, 9, 0, tzinfo=UTC), bytes=b"\x00\xff",
        nan=float("inf"), zoned=neo4j.time.DateTime(2026, 3, 15, 9, 0, 0),
    )  # fmt: skip
    return {"officer": officer, "anonymised": created}


def test_a_round_trip_restores_every_node_relationship_and_property(world, tmp_path):
    before = _everything()
    epoch = run("MATCH (v:DataVersion) RETURN v.epoch AS e")[0]["e"]
    assert sum(before[0].values()) > 500 and sum(before[1].values()) > 500
    file = tmp_path / "tansiq.backup.gz"
    counts = backup.dump(file)
    assert counts == {"nodes": sum(before[0].values()), "relationships": sum(before[1].values())}
    run("MATCH (n) DETACH DELETE n")
    assert backup.load(file) == counts
    after = _everything()
    assert after[0] == before[0]
    assert after[1] == before[1]
    # Types survive: a Date stays a Date, a point a point, bytes bytes.
    [row] = run("MATCH (n:BackupTypes) RETURN n.d AS d, n.p AS p, n.b AS b, n.dur AS dur")
    assert isinstance(row["d"], neo4j.time.Date) and isinstance(row["p"], neo4j.spatial.Point)
    assert row["b"] == b"\x00\xff" and row["dur"] == neo4j.time.Duration(
        years=1, months=2, days=3, hours=4, minutes=5, seconds=6.7
    )
    # The anonymised person stays anonymised; the schema is back.
    [person] = run("MATCH (p:Person {uid: $uid}) RETURN p AS p", uid=world["anonymised"])
    assert "Alami" not in json.dumps(dict(person["p"]), default=str)
    assert "العلمي" not in json.dumps(dict(person["p"]), default=str, ensure_ascii=False)
    assert run("SHOW CONSTRAINTS YIELD name RETURN count(name) AS n")[0]["n"] > 0
    assert run("MATCH (n:TansiqRestoring) RETURN count(n) AS n")[0]["n"] == 0
    # A new epoch: no analysis cached before the restore can be served after it.
    assert run("MATCH (v:DataVersion) RETURN v.epoch AS e")[0]["e"] != epoch


def test_restore_refuses_a_database_holding_data_and_damaged_files(world, tmp_path):
    file = tmp_path / "ok.gz"
    backup.dump(file)
    nodes = run("MATCH (n) RETURN count(n) AS n")[0]["n"]
    with pytest.raises(backup.NotEmpty, match="pas vide"):
        backup.load(file)
    assert run("MATCH (n) RETURN count(n) AS n")[0]["n"] == nodes  # nothing written
    lines = gzip.open(file, "rt", encoding="utf-8").read().splitlines()
    truncated = tmp_path / "truncated.gz"
    with gzip.open(truncated, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines[: len(lines) // 2]) + "\n")
    foreign = tmp_path / "foreign.gz"
    with gzip.open(foreign, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"format": "other", "version": 1}) + "\n")
    junk = tmp_path / "junk.gz"
    junk.write_bytes(b"not gzip at all")
    run("MATCH (n) DETACH DELETE n")
    try:
        for bad, message in ((truncated, "tronqué"), (foreign, "pas une sauvegarde"),
                             (junk, "illisible")):  # fmt: skip
            with pytest.raises(backup.BadBackup, match=message):
                backup.load(bad)
            assert run("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0, bad.name
    finally:
        backup.load(file)  # the next tests need the reference geography back


def test_the_cli_backs_up_and_restores(world, tmp_path, monkeypatch, clean_db):
    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    runner = create_app({"TESTING": True, "SECRET_KEY": "test"}).test_cli_runner()
    before = _everything()
    file = tmp_path / "cli.gz"
    result = runner.invoke(args=["crm", "backup", str(file)])
    assert result.exit_code == 0 and "Sauvegarde écrite" in result.output
    refused = runner.invoke(args=["crm", "restore", str(file)])
    assert refused.exit_code != 0 and "pas vide" in refused.output
    run("MATCH (n) DETACH DELETE n")
    result = runner.invoke(args=["crm", "restore", str(file)])
    assert result.exit_code == 0 and "Restauration terminée" in result.output
    assert _everything() == before
