"""Speed of the pages officers use most, on generated data in a throwaway local Neo4j.

    .venv/bin/python benchmarks/search_and_lists.py [PEOPLE] [ORGANISATIONS]

Prints the median time of each operation (5 runs, after one warm-up) for a manager (whole
country) and for the officer of the Oriental region, and the memory of the Neo4j process.
Targets: every list or search page under 300 ms at 30,000 people on this 2-core machine.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from crm import exports, organisations, people, territory, users
from graph import team
from graph.database import ConnectionSettings, connect
from graph.local_neo4j import LocalNeo4j, free_port
from graph.schema import install_schema
from seeds import demo, geography

PASSWORD = "benchmark pass phrase 2026"


def timed(label: str, action) -> None:
    action()  # warm-up
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    print(f"  {label:<48} {statistics.median(samples):8.1f} ms")


def actor(role: str, email: str, codes: list[str]):
    uid = users.create_user(email, role.title(), PASSWORD, role)
    if codes:
        team.set_territory(uid, codes)
    return users.load_session(users.authenticate(email, PASSWORD).session_token)


def main(n_people: int, n_orgs: int) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalNeo4j(
            Path(tmp) / "neo4j", bolt_port=free_port(), heap="768m", pagecache="256m"
        ) as neo,
    ):
        connect(ConnectionSettings(neo.uri, neo.user, neo.password))
        install_schema()
        geography.load()
        start = time.perf_counter()
        demo.load(n_orgs, n_people)
        print(f"Loaded {n_people} people and {n_orgs} organisations "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        for who in (actor("manager", "m@bench.ma", []), actor("officer", "o@bench.ma", ["02"])):
            print(f"{who.role} ({'national' if who.scope.national else 'Oriental'}):")
            timed("people list, first page", lambda w=who: people.search_people(w))
            timed("people search 'mohammed el alami'",
                  lambda w=who: people.search_people(w, "mohammed el alami"))  # fmt: skip
            timed(
                "people search 'محمد العلمى'", lambda w=who: people.search_people(w, "محمد العلمى")
            )
            timed("people search prefix 'ben'", lambda w=who: people.search_people(w, "ben"))
            timed("organisations list, page 3",
                  lambda w=who: organisations.search_organisations(w, page=3))  # fmt: skip
            timed("commune page (Oujda)", lambda w=who: territory.commune(w, "02.411.01.23"))
            timed("people CSV export", lambda w=who: exports.people_csv(w))
        rss = Path(f"/proc/{neo.pid}/status").read_text().split("VmRSS:")[1].split()[0]
        print(f"Neo4j resident memory: {int(rss) // 1024} MiB")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(args[0] if args else 30_000, args[1] if len(args) > 1 else 3_000)
