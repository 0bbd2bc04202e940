"""Speed of the pages officers use most, on generated data in a throwaway local Neo4j.

    .venv/bin/python benchmarks/search_and_lists.py [PEOPLE ORGANISATIONS] ...

Each PEOPLE ORGANISATIONS pair is one run in a fresh database (default: 30000 3000, then
100000 10000): the reference geography and institutions, the demo records of
``seeds/demo.py``, and one person in 64 also working for a shared national institution (so
an officer's scope holds people outside the territory, as in production).

For each operation it prints the median time (after one warm-up) for a manager (the whole
country) and for the officer of the Oriental region, measured alternately so that both see
the same load on the machine, and their ratio: scope is computed from the territory, so an
officer's pages should cost what the territory holds, not more than the manager's (target:
officer/manager at most 1.5). A raw Cypher page, ``MATCH (p:Person)`` ordered by name with
the same page size and nothing else, is the floor the people list is compared with. Then the
memory of the Neo4j process.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from crm import exports, organisations, people, territory, users
from crm.pagination import PER_PAGE
from graph import team
from graph.database import ConnectionSettings, connect, run
from graph.local_neo4j import LocalNeo4j, free_port
from graph.schema import install_schema
from seeds import demo, geography, institutions

PASSWORD = "benchmark pass phrase 2026"
ORIENTAL = "02"
OUJDA = "02.411.01.23"
RUNS = 5  # timed runs per operation and actor, after one warm-up
EXPORT_RUNS = 3

# The floor for a list page: one label scan, one sort, one page, no scope and no filter.
RAW_PAGE = (
    "MATCH (p:Person) "
    "WITH p, toLower(p.last_name) AS last_name_key, toLower(p.first_name) AS first_name_key "
    "ORDER BY last_name_key, first_name_key, p.uid LIMIT $limit "
    "RETURN p.uid AS uid, p.first_name AS first_name, p.last_name AS last_name"
)
# One person in 64 (by uid) also holds a function in a shared national institution.
SHARED_FUNCTIONS = """
MATCH (o:Organisation) WHERE o.shared = true
WITH collect(o) AS shared
MATCH (p:Person) WHERE p.uid ENDS WITH '0' AND substring(p.uid, 0, 1) IN ['0', '1', '2', '3']
WITH p, shared[size(p.last_name + p.first_name) % size(shared)] AS o
CREATE (p)-[:AFFILIATED_WITH {uid: randomUUID(), role: 'Chargé(e) de mission',
                              created_at: datetime()}]->(o)
RETURN count(*) AS n
"""


def timed(action: Callable[[], object], samples: list[float]) -> None:
    start = time.perf_counter()
    action()
    samples.append((time.perf_counter() - start) * 1000)


def compare(label: str, manager_action, officer_action, runs: int = RUNS) -> None:
    """Time both actions alternately; print both medians and officer/manager."""
    manager_action(), officer_action()  # warm-up: plans compiled, pages cached
    manager, officer = [], []
    for _ in range(runs):
        timed(manager_action, manager)
        timed(officer_action, officer)
    m, o = statistics.median(manager), statistics.median(officer)
    print(f"  {label:<38} {m:9.1f} ms {o:9.1f} ms {o / m:8.2f}")


def actor(role: str, email: str, codes: list[str]):
    uid = users.create_user(email, role.title(), PASSWORD, role)
    if codes:
        team.set_territory(uid, codes)
    return users.load_session(users.authenticate(email, PASSWORD).session_token)


def benchmark(n_people: int, n_orgs: int) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalNeo4j(
            Path(tmp) / "neo4j", bolt_port=free_port(), heap="768m", pagecache="256m"
        ) as neo,
    ):
        connect(ConnectionSettings(neo.uri, neo.user, neo.password))
        install_schema()
        geography.load()
        institutions.load()
        start = time.perf_counter()
        demo.load(n_orgs, n_people)
        shared = run(SHARED_FUNCTIONS)[0]["n"]
        print(
            f"\n{n_people} people, {n_orgs} organisations ({shared} people also in a shared "
            f"institution), loaded in {time.perf_counter() - start:.1f} s"
        )
        manager = actor("manager", "m@bench.ma", [])
        officer = actor("officer", "o@bench.ma", [ORIENTAL])
        in_scope = people.search_people(officer).total
        print(f"Oriental officer's scope: {in_scope} people ({in_scope / n_people:.0%})")
        print(f"  {'operation':<38} {'manager':>12} {'officer':>12} {'off/man':>8}")

        def both(label: str, action: Callable, runs: int = RUNS) -> None:
            compare(label, lambda: action(manager), lambda: action(officer), runs)

        both("people list, first page", lambda w: people.search_people(w))
        both("people list, page 40", lambda w: people.search_people(w, page=40))
        both("people search 'mohammed el alami'",
             lambda w: people.search_people(w, "mohammed el alami"))  # fmt: skip
        both("people search 'محمد العلمى'", lambda w: people.search_people(w, "محمد العلمى"))
        both("people search prefix 'ben'", lambda w: people.search_people(w, "ben"))
        both("organisations list, first page", lambda w: organisations.search_organisations(w))
        both("organisations list, page 3",
             lambda w: organisations.search_organisations(w, page=3))  # fmt: skip
        both("commune page (Oujda)", lambda w: territory.commune(w, OUJDA))
        both("people CSV export", lambda w: exports.people_csv(w), EXPORT_RUNS)

        samples: dict[str, list[float]] = {"raw": [], "manager": [], "officer": []}
        for _ in range(RUNS + 1):  # the first round is the warm-up
            timed(lambda: run(RAW_PAGE, limit=PER_PAGE), samples["raw"])
            timed(lambda: people.search_people(manager), samples["manager"])
            timed(lambda: people.search_people(officer), samples["officer"])
        raw_ms, manager_ms, officer_ms = (statistics.median(s[1:]) for s in samples.values())
        print(
            f"  raw Cypher page (MATCH (p:Person), by name, LIMIT {PER_PAGE}): {raw_ms:.1f} ms; "
            f"people list (page and count) / raw: manager {manager_ms / raw_ms:.2f}, "
            f"officer {officer_ms / raw_ms:.2f}"
        )
        rss = Path(f"/proc/{neo.pid}/status").read_text().split("VmRSS:")[1].split()[0]
        print(f"Neo4j resident memory: {int(rss) // 1024} MiB")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv]
    if len(sizes) % 2:
        sys.exit("usage: search_and_lists.py [PEOPLE ORGANISATIONS] ...")
    pairs = list(zip(sizes[::2], sizes[1::2], strict=True)) or [(30_000, 3_000), (100_000, 10_000)]
    for n_people, n_orgs in pairs:
        benchmark(n_people, n_orgs)


if __name__ == "__main__":
    main(sys.argv[1:])
