"""``make bench``: the figures of issue 13 in one run, printed as JSON and as a short table.

    .venv/bin/python benchmarks/bench.py [--scale programme|national|small] [--json PATH]
                                         [--clients 8] [--requests 8] [--no-analysis]

In a throwaway local Neo4j (or the database of ``NEO4J_URI``, which must already hold the
generated data of that scale: ``flask seeds generate``), it measures:

1. **Bulk load.** A spreadsheet of ``BULK_ROWS`` new people imported by an officer through the
   whole import pipeline (``crm.imports``: upload, checks, matching, batched write), next to
   the raw driver writing the very same people with one ``UNWIND`` per batch, in the same run
   (on an empty database, before the generation; in a throwaway one when ``NEO4J_URI`` is
   set). Then the generated data of the scale is loaded by its batch path (``graph.bulk``).
2. **Analysis.** ``crm.network.analyse`` end to end as the manager, at both levels, caches
   emptied before each run (median of ``ANALYSIS_RUNS`` after a first run, reported apart,
   that also pays the process's imports; at national scale the first run alone), in a fresh
   process whose peak memory is reported.
3. **Pages.** The app is served by gunicorn as ``make run`` serves it (2 workers, 4 threads),
   with ``TANSIQ_SERVER_TIMING=1``. For each main page and actor, ``--clients`` concurrent
   clients, each signed in through the login form, request it ``--requests`` times after a
   warm-up; the server-side time comes from the ``Server-Timing`` header. The statements the
   same page sends are recorded once (in this process, on the same database, after a warm-up)
   and replayed on the raw driver by as many concurrent clients the same number of times:
   the page's raw Cypher time, measured in the same run under the same load.
   With ``--no-analysis`` the analysis and the pages computed from it (``NEED_ANALYSIS``) are
   left out: at national scale it takes many minutes and gigabytes.
   **After a write.** The pages whose results are kept until the next write (duplicates,
   losing touch, home, people list) are then measured on their first load after a write:
   ``AFTER_WRITE_SAMPLES`` times per page and actor, a person is created in the officer's
   region (through ``crm.people``, as the form does: both actors see it), then one client
   loads the page.
4. **Memory.** Peak resident memory of the gunicorn workers (the app process) and of the
   analysis process; Neo4j's heap (JMX), page cache setting, store size and resident memory.

The verdicts against the targets of issue 13 item 3 close the table; the machine is shared,
so compare the ratios of figures measured in the same run rather than seconds across runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's packages, whichever venv runs the script
sys.path.insert(1, str(ROOT / "benchmarks"))  # harness, bench_report, analysis_process…

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from datetime import date  # noqa: E402

import analysis_process  # noqa: E402
import bench_report  # noqa: E402
import harness  # noqa: E402
import neo4j  # noqa: E402
from harness import (  # noqa: E402
    Client,
    app_peak,
    concurrently,
    record_statements,
    replay,
    status_bytes,
    store_size,
)

from graph.database import ConnectionSettings, connect, disconnect, run  # noqa: E402
from graph.local_neo4j import LocalNeo4j, free_port  # noqa: E402

SCALES = {
    "small": {"heap": "512m", "pagecache": "256m"},
    "programme": {"heap": "1g", "pagecache": "512m"},
    "national": {"heap": "2g", "pagecache": "2g"},
}
SEED = 2026
PASSWORD = os.environ.get("TANSIQ_GENERATED_PASSWORD") or "benchmark pass phrase 2026"
OFFICER_REGION = "02"  # the Oriental: its officer's pages are measured
BULK_ROWS = 5_000
WORKERS = "2"


# --- 1. bulk load ----------------------------------------------------------------------------


def bulk_load(rows: int) -> dict:
    """Import pipeline vs raw UNWIND on the connected (empty of people) database; leaves it
    empty of people again."""
    import import_throughput as it  # the import benchmark's sheet, pipeline and raw write

    from crm import users
    from graph import team

    uid = users.create_user("import@bench.example.org", "Import", PASSWORD, "officer")
    team.set_territory(uid, [OFFICER_REGION])
    officer = users.load_session(
        users.authenticate("import@bench.example.org", PASSWORD).session_token
    )
    content = it.sheet(rows)
    it.pipeline(officer, content)  # warm-up: plans compiled
    it.empty_people()
    pipeline_s, analysis_s = it.pipeline(officer, content)
    stored = it.stored_rows()
    assert len(stored) == rows, (len(stored), rows)
    it.empty_people()
    with raw_driver() as d:
        raw_s = it.raw(d, stored)
    it.empty_people()
    return {
        "rows": rows,
        "pipeline_s": pipeline_s,
        "pipeline_rows_per_s": rows / pipeline_s,
        "raw_s": raw_s,
        "raw_rows_per_s": rows / raw_s,
        "pipeline_over_raw": raw_s / pipeline_s,
        "preview_analysis_s": analysis_s,
    }


def generate(scale: str) -> dict:
    from seeds import generator

    start = time.perf_counter()
    counts = generator.load(scale, SEED, date.today(), PASSWORD)
    seconds = time.perf_counter() - start
    written = sum(counts.values())
    return {"s": seconds, "records_and_ties": written, "per_s": written / seconds,
            "counts": dict(counts)}  # fmt: skip


# --- 2. analysis -----------------------------------------------------------------------------

ANALYSIS_RUNS = 2


def analysis(scale: str) -> dict:
    """Both analyses in a fresh process (``analysis_process``): its peak is their own."""
    from seeds.generator import MANAGER_EMAIL

    # at national scale an analysis takes minutes: its first run is the figure
    runs = 0 if scale == "national" else ANALYSIS_RUNS
    return analysis_process.measure(_settings(), MANAGER_EMAIL, PASSWORD, date.today(), runs)


# --- 3. pages --------------------------------------------------------------------------------


def pages() -> list[tuple[str, str, str]]:
    """(page, actor, url) of every measured page, on records of the officer's region."""
    region = OFFICER_REGION
    commune = run(
        "MATCH (c:Commune) WHERE c.code STARTS WITH $prefix AND c.pilot = true "
        "RETURN c.code AS code ORDER BY c.code LIMIT 1",
        prefix=region + ".",
    )[0]["code"]
    council = run(
        "MATCH (o:Organisation {kind: 'commune_council'})-[:LOCATED_IN]->(:Commune {code: $c}) "
        "RETURN o.uid AS uid LIMIT 1",
        c=commune,
    )[0]["uid"]
    person = run(
        "MATCH (p:Person)-[:AFFILIATED_WITH]->(:Organisation)-[:LOCATED_IN]->(c:Commune) "
        "WHERE c.code STARTS WITH $prefix "
        "WITH p, count(*) AS functions ORDER BY functions DESC, p.uid LIMIT 1 RETURN p.uid AS uid",
        prefix=region + ".",
    )[0]["uid"]
    name = run(
        "MATCH (p:Person) WHERE p.last_name IS NOT NULL "
        "RETURN p.last_name AS name, count(*) AS n ORDER BY n DESC, name LIMIT 1"
    )[0]["name"]
    q = urllib.parse.quote(name)
    both = [
        ("home", "/"),
        ("people list", "/personnes/"),
        ("organisation list", "/organisations/"),
        ("search", f"/personnes/?q={q}"),
        ("follow-ups", "/suivis"),
        ("losing touch", "/relations-a-entretenir"),
        ("duplicates", "/doublons/personnes"),
    ]
    out = []
    for page, url in both:
        out.append((page, "manager", url))
        out.append((page, "officer", url))
    out += [
        ("person detail", "officer", f"/personnes/{person}"),
        ("organisation detail", "officer", f"/organisations/{council}"),
        ("commune page", "officer", f"/territoires/commune/{commune}"),
        ("dashboard", "manager", "/reseau/tableau-de-bord"),
        ("map JSON", "manager", "/reseau/carte/donnees.json"),
        ("map JSON", "officer", "/reseau/carte/donnees.json"),
    ]
    return out


# Pages whose results are kept until the next write, measured again on their first load after
# one (a person created in the officer's region), this many times per page and actor.
AFTER_WRITE = ("duplicates", "losing touch", "home", "people list")
AFTER_WRITE_SAMPLES = 5


def measure_after_writes(base: str, samples: int = AFTER_WRITE_SAMPLES) -> list[dict]:
    """One row per page of ``AFTER_WRITE`` and actor: the server time of the first load after
    each of ``samples`` writes."""
    from crm import people, users
    from seeds.generator import MANAGER_EMAIL
    from seeds.generator.plan import officer_email

    emails = {"manager": MANAGER_EMAIL, "officer": officer_email(OFFICER_REGION)}
    writer = users.load_session(users.authenticate(MANAGER_EMAIL, PASSWORD).session_token)
    commune = run(
        "MATCH (c:Commune) WHERE c.code STARTS WITH $prefix AND c.pilot = true "
        "RETURN c.code AS code ORDER BY c.code LIMIT 1",
        prefix=OFFICER_REGION + ".",
    )[0]["code"]
    rows, created = [], []
    for page, actor, url in pages():
        if page not in AFTER_WRITE:
            continue
        browser = Client(base, PASSWORD)
        browser.sign_in(emails[actor])
        browser.get(url)  # the index or cache of this worker, built before the writes
        server, errors = [], 0
        for _ in range(samples):
            n = len(created) + 1
            created.append(people.create_person(
                writer, {"first_name": "Mohamed", "last_name": f"Banc{n:03d}",
                         "commune": commune, "phones": f"0661{n:06d}"},
            ))  # fmt: skip
            status, _, ms, _ = browser.get(url)
            if status == 200 and ms:
                server.append(ms)
            else:
                errors += 1
        row = bench_report.after_write_row(page, actor, url, server, errors)
        rows.append(row)
        print(f"  {page} ({actor}), first load after a write: p50 "
              f"{row['server']['p50_ms']:.1f} ms, max {row['max_ms']:.1f} ms",
              flush=True)  # fmt: skip
    run("MATCH (p:Person) WHERE p.uid IN $uids DETACH DELETE p", uids=created)
    return rows


# Pages computed from the network analysis: left out of a run without it (--no-analysis).
NEED_ANALYSIS = frozenset({"dashboard", "map JSON"})


def measure_pages(
    base: str, app, clients: int, requests: int, only: set[str] | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> list[dict]:  # fmt: skip
    """One row per page and actor of ``pages`` (those named in ``only`` when given, none of
    ``leave_out``)."""
    from seeds.generator import MANAGER_EMAIL
    from seeds.generator.plan import officer_email

    emails = {"manager": MANAGER_EMAIL, "officer": officer_email(OFFICER_REGION)}
    browsers = {actor: [Client(base, PASSWORD) for _ in range(clients)] for actor in emails}
    for actor, group in browsers.items():
        for browser in group:
            browser.sign_in(emails[actor])
    driver = raw_driver()
    rows = []
    try:
        for page, actor, url in pages():
            if (only is not None and page not in only) or page in leave_out:
                continue
            group = browsers[actor]
            concurrently(clients, 2, lambda c, g=group, u=url: g[c].get(u))  # warm both workers
            results = concurrently(clients, requests, lambda c, g=group, u=url: g[c].get(u))
            errors = sum(1 for status, *_ in results if status != 200)
            statements = record_statements(app, emails[actor], PASSWORD, url)
            for _ in range(2):
                replay(driver, statements)  # warm-up: plans compiled
            raw = concurrently(clients, requests, lambda _c, s=statements: replay(driver, s))
            row = bench_report.page_row(
                page, actor, url,
                [server for status, _, server, _ in results if status == 200 and server],
                [client for status, _, _, client in results if status == 200],
                raw, len(statements), errors,
            )  # fmt: skip
            rows.append(row)
            print(f"  {page} ({actor}): p50 {row['server']['p50_ms']:.1f} ms, p95 "
                  f"{row['server']['p95_ms']:.1f} ms, raw p50 {row['raw_cypher']['p50_ms']:.1f}"
                  f" ms, {len(statements)} statements, {errors} errors", flush=True)  # fmt: skip
    finally:
        driver.close()
    return rows


def serve(stack: ExitStack, var: Path) -> tuple[str, subprocess.Popen]:
    """gunicorn as ``make run`` starts it, on the benchmark's database."""
    return harness.serve(stack, var, _settings(), WORKERS)


def raw_driver() -> neo4j.Driver:
    return harness.raw_driver(_settings())


# --- 4. memory -------------------------------------------------------------------------------


def neo4j_memory(neo: LocalNeo4j | None) -> dict:
    heap = run(
        "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
        "RETURN attributes.HeapMemoryUsage.value.properties AS heap"
    )[0]["heap"]
    pagecache = run(
        "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value"
    )
    out = {
        "neo4j_heap_used_bytes": heap["used"],
        "neo4j_heap_committed_bytes": heap["committed"],
        "neo4j_heap_max_bytes": heap["max"],
        "neo4j_pagecache_setting": pagecache[0]["value"] if pagecache else None,
    }
    if neo is not None:
        # What the page cache would hold: the store files. Until Neo4j's next checkpoint (15
        # minutes) much of a fresh load is still only in the transaction logs.
        data = neo.data_dir / "data"
        out["neo4j_store_bytes"] = store_size(data / "databases" / "neo4j")
        out["neo4j_transaction_logs_bytes"] = store_size(data / "transactions" / "neo4j")
        out["neo4j_resident_bytes"] = status_bytes(neo.pid, "VmRSS")
        out["neo4j_peak_resident_bytes"] = status_bytes(neo.pid, "VmHWM")
    return out


# --- the run ---------------------------------------------------------------------------------

_current: dict = {}


def _settings() -> ConnectionSettings:
    return _current["settings"]


def _use(settings: ConnectionSettings) -> None:
    disconnect()
    connect(settings)
    _current["settings"] = settings


def _local(stack: ExitStack, tmp: Path, name: str, scale: str) -> LocalNeo4j:
    size = SCALES[scale]
    neo = stack.enter_context(LocalNeo4j(tmp / name, bolt_port=free_port(), heap=size["heap"],
                                         pagecache=size["pagecache"]))  # fmt: skip
    _use(ConnectionSettings(neo.uri, neo.user, neo.password))
    return neo


def bench(scale: str, clients: int, requests: int, with_analysis: bool = True) -> dict:
    from graph.schema import install_schema
    from seeds import geography, institutions

    meta = {
        "scale": scale,
        "date": date.today().isoformat(),
        "machine": {"cores": os.cpu_count(), "load_average": os.getloadavg(),
                    "python": platform.python_version(), "platform": platform.platform()},
        "clients": clients,
        "requests_per_client": requests,
        "gunicorn_workers": int(WORKERS),
    }  # fmt: skip
    started = time.perf_counter()
    external = os.environ.get("NEO4J_URI")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tansiq-bench-")))
        neo = None if external else _local(stack, tmp, "neo4j", scale)
        print(f"make bench, {scale} scale", flush=True)
        if external:  # the bulk load needs a database without people: a throwaway one
            with ExitStack() as apart:
                _local(apart, tmp, "bulk", "small")
                install_schema()
                geography.load()
                bulk = bulk_load(BULK_ROWS)
            _use(ConnectionSettings(external, os.environ.get("NEO4J_USER", "neo4j"),
                                    os.environ.get("NEO4J_PASSWORD", "")))  # fmt: skip
        else:
            install_schema()
            geography.load()
            institutions.load()
            bulk = bulk_load(BULK_ROWS)
        print(f"  import {BULK_ROWS:,} rows: pipeline {bulk['pipeline_rows_per_s']:,.0f} rows/s,"
              f" raw UNWIND {bulk['raw_rows_per_s']:,.0f} rows/s", flush=True)  # fmt: skip
        if not external:
            bulk["generation"] = generate(scale)
            print(f"  generated data loaded in {bulk['generation']['s']:.1f} s", flush=True)
        meta["people"] = run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
        meta["organisations"] = run("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"]

        analysed = analysis(scale) if with_analysis else {"levels": {}, "skipped": True}
        for level, figure in analysed["levels"].items():
            print(f"  analysis, {level} level: {figure['s']:.2f} s", flush=True)

        var = tmp / "var"
        var.mkdir()
        base, server = serve(stack, var)
        os.environ["TANSIQ_VAR_DIR"] = str(var)
        from webui import create_app

        settings = _settings()
        app = create_app({"NEO4J": {**_app_neo4j(settings)}})
        rows = measure_pages(
            base, app, clients, requests, leave_out=frozenset() if with_analysis else NEED_ANALYSIS
        )
        after_writes = measure_after_writes(base)
        memory = {**app_peak(server), **neo4j_memory(neo)}
        if "process_peak_bytes" in analysed:
            memory["analysis_process_peak_bytes"] = analysed["process_peak_bytes"]
    meta["seconds"] = time.perf_counter() - started
    meta["analysis_skipped"] = analysed.get("skipped", False)
    return bench_report.shape_report(
        meta, rows, bulk, {"levels": analysed["levels"]}, memory, after_writes
    )


def _app_neo4j(settings: ConnectionSettings) -> dict:
    from webui.config import neo4j_settings

    return neo4j_settings({"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
                           "NEO4J_PASSWORD": settings.password})  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="programme")
    parser.add_argument("--json", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=8, help="per client and page")
    parser.add_argument(
        "--no-analysis", action="store_true",
        help="skip the analysis (at national scale it takes minutes and gigabytes)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    report = bench(args.scale, args.clients, args.requests, not args.no_analysis)
    text = bench_report.to_json(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    print()
    print(bench_report.table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
