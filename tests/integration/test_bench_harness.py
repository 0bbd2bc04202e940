"""``make bench``'s measuring parts on the real Neo4j: the Server-Timing header, the statement
recorder, the raw replay, and one page measured end to end under gunicorn."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from crm import clock
from graph.database import count_round_trips, read, run, write
from seeds import generator
from webui.timing import server_time_ms

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("tansiq_bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    for path in (str(ROOT), str(ROOT / "benchmarks")):
        if path in sys.path:
            sys.path.remove(path)


def test_server_timing_is_sent_only_when_switched_on(clean_db, monkeypatch):
    from webui import create_app

    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    quiet = create_app({"TESTING": True, "SECRET_KEY": "s"}).test_client().get("/connexion")
    assert "Server-Timing" not in quiet.headers
    monkeypatch.setenv("TANSIQ_SERVER_TIMING", "1")
    timed = create_app({"TESTING": True, "SECRET_KEY": "s"}).test_client().get("/connexion")
    assert timed.status_code == 200
    assert server_time_ms(timed.headers["Server-Timing"]) > 0


def test_server_timing_header_is_parsed_leniently():
    assert server_time_ms('db;dur=3, app;desc="x";dur=12.5') == 12.5
    assert server_time_ms("app;dur=oops") is None
    assert server_time_ms("db;dur=3") is None
    assert server_time_ms(None) is None


def test_the_recorder_keeps_each_statement_with_its_parameters(clean_db):
    with count_round_trips(record=True) as recorded, count_round_trips() as counted:
        read(lambda: run("MATCH (c:Commune {code: $code}) RETURN c.name AS n", code="02.411.01.23"))
        write(lambda: run("CREATE (:BenchProbe {n: $n})", n=1))
    assert counted.count == recorded.count == 2
    assert counted.statements is None
    (query, params, writes), (_, created, wrote) = recorded.statements
    assert "MATCH (c:Commune" in query and params == {"code": "02.411.01.23"}
    assert (writes, created, wrote) == (False, {"n": 1}, True)


def test_replay_times_reads_and_commits_the_writes_as_the_page_does(bench, clean_db):
    import neo4j

    statements = [
        ("MATCH (c:Commune) RETURN count(c) AS n", {}, False),
        ("CREATE (:BenchProbe {n: $n})", {"n": 2}, True),
    ]
    with neo4j.GraphDatabase.driver(clean_db.uri, auth=(clean_db.user, clean_db.password)) as d:
        assert bench.replay(d, statements) > 0
    assert run("MATCH (p:BenchProbe) RETURN count(p) AS n")[0]["n"] == 1


def test_one_page_measured_under_gunicorn_next_to_its_raw_cypher(bench, clean_db, tmp_path):
    from webui import create_app

    generator.load("small", bench.SEED, clock.today(), bench.PASSWORD)
    bench._current["settings"] = clean_db
    with ExitStack() as stack:
        base, server = bench.serve(stack, tmp_path)
        app = create_app({"TESTING": True, "SECRET_KEY": "s", "WTF_CSRF_ENABLED": False,
                          "NEO4J": bench._app_neo4j(clean_db)})  # fmt: skip
        rows = bench.measure_pages(base, app, clients=2, requests=2,
                                   only={"people list", "person detail"})  # fmt: skip
        people_before = run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
        after = bench.measure_after_writes(base, samples=2)
        memory = bench.app_peak(server)
    # Each page of AFTER_WRITE, for both actors, loaded once after each of its writes; the
    # people written for it are gone afterwards.
    assert [(r["page"], r["actor"]) for r in after] == [
        (page, actor) for page in ("home", "people list", "losing touch", "duplicates")
        for actor in ("manager", "officer")
    ]  # fmt: skip
    for row in after:
        assert row["errors"] == 0 and row["server"]["count"] == 2
        assert 0 < row["server"]["p50_ms"] <= row["max_ms"]
    assert run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == people_before
    assert [(r["page"], r["actor"]) for r in rows] == [
        ("people list", "manager"), ("people list", "officer"), ("person detail", "officer")
    ]  # fmt: skip
    for row in rows:
        assert row["errors"] == 0
        assert row["server"]["count"] == 4  # 2 clients x 2 requests, each with Server-Timing
        assert row["statements"] >= 2  # the signed-in user, then the page's own
        assert 0 < row["server"]["p50_ms"] <= row["client"]["p50_ms"]
        assert row["raw_cypher"]["count"] == 4 and row["raw_cypher"]["p50_ms"] > 0
    assert memory["app_workers"] == 2 and memory["app_peak_bytes"] > 20 * 1024**2


def test_the_analysis_is_timed_in_a_fresh_process_on_the_same_data(bench, clean_db):
    from crm import network, users
    from seeds.generator import MANAGER_EMAIL

    generator.load("small", bench.SEED, clock.today(), bench.PASSWORD)
    measured = bench.analysis_process.measure(
        clean_db, MANAGER_EMAIL, bench.PASSWORD, clock.today(), runs=2
    )
    manager = users.load_session(users.authenticate(MANAGER_EMAIL, bench.PASSWORD).session_token)
    for level in ("organisation", "person"):
        here = network.analyse(manager, {"niveau": level}, clock.today())["overall"]
        figure = measured["levels"][level]
        assert (figure["nodes"], figure["ties"]) == (here["nodes"], here["ties"])
        assert here["nodes"] > 0 and len(figure["runs"]) == 2
        assert figure["s"] == statistics.median(figure["runs"]) and figure["first_run_s"] > 0
    assert measured["process_peak_bytes"] > 50 * 1024**2
