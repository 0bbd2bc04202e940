"""Throughput of the spreadsheet import pipeline next to the raw driver, in a throwaway Neo4j.

    .venv/bin/python benchmarks/import_throughput.py [ROWS ...]

For each size (default 5000 then 20000) a CSV of people (name, first name, gender, phone,
commune, all different people) is imported by the Oriental officer through the whole
pipeline — ``crm.imports.upload`` (file checked, stored as a draft), then ``commit`` (rows
read back, checked, matched against the scope and the file, written in one transaction in
batches of UNWIND, the Import record and its audit entry) — and, in the same run, the same
people (the very props the pipeline wrote) are written by the raw driver: one transaction,
batches of UNWIND creating each person and its commune link, nothing else. The database is
emptied of people before each run; runs alternate, the median of ``RUNS`` is kept.

Printed per size: rows/s of the pipeline end to end (upload and commit; the commit checks and
plans the rows while a second thread sends the batches already planned), of the raw driver,
their ratio (target: at least 0.7), and for information the time of the analysis alone
(checks and matching, as the preview runs it; not counted in the pipeline's figure). The text
functions' memory (``crm.text``) is emptied before each pipeline run: no name is known ahead.
"""

from __future__ import annotations

import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import neo4j

from crm import imports, text, users
from graph import team
from graph.database import ConnectionSettings, connect, run
from graph.local_neo4j import LocalNeo4j, free_port
from graph.schema import install_schema
from seeds import geography

PASSWORD = "benchmark pass phrase 2026"
RUNS = 3
BATCH = 1000
CONSONANTS = "bdfgjklmnprstz"
FIRST = ("Amina Youssef Karim Salma Hamza Imane Nabil Sara Omar Leila Rachid Nadia Samir Hind "
         "Tarik Zineb Walid Houda Adil Meryem").split()  # fmt: skip
COMMUNES = ("Oujda", "Berkane", "Nador", "Taourirt", "Jerada", "Figuig")

RAW = """
UNWIND $rows AS row
CREATE (p:Person)
SET p = row.props, p.uid = row.uid, p.created_at = datetime(), p.updated_at = datetime(),
    p.version = 1
WITH p, row
MATCH (c:Commune {code: row.commune})
CREATE (p)-[:LOCATED_IN]->(c)
"""


def family_name(i: int) -> str:
    """A different family name for each ``i`` below 14**4 (as tests/integration do)."""
    letters = []
    n = i * 7919 % len(CONSONANTS) ** 4
    for k in range(4):
        n, digit = divmod(n, len(CONSONANTS))
        letters.append(CONSONANTS[digit] + "aeiou"[(i * 31 + k * 17 + i // 5) % 5])
    return "".join(letters).capitalize()


def sheet(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Nom", "Prénom", "Genre", "Téléphone", "Commune"])
    for i in range(rows):
        writer.writerow([family_name(i), FIRST[i % len(FIRST)], "FH"[i % 2],
                         f"06{61000000 + i:08d}", COMMUNES[i % len(COMMUNES)]])  # fmt: skip
    return out.getvalue().encode("utf-8")


def empty_people() -> None:
    while run(
        "MATCH (n) WHERE n:Person OR n:Import OR n:ImportDraft OR n:ImportChunk "
        "OR n:AuditEvent WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n"
    )[0]["n"]:
        pass


def pipeline(officer, content: bytes) -> tuple[float, float]:
    """Seconds end to end (upload and commit), and seconds of the analysis alone (the
    preview, timed apart and left out of the first figure)."""
    limits = imports.Limits()
    text.clear_caches()  # every run starts cold: no name was folded before
    start = time.perf_counter()
    draft = imports.upload(officer, {"kind": "people"}, io.BytesIO(content), "b.csv", limits)
    analysis_start = time.perf_counter()
    imports.preview(officer, draft, limits)
    analysis = time.perf_counter() - analysis_start
    imports.commit(officer, draft, {}, "skip", limits)
    return time.perf_counter() - start - analysis, analysis


def stored_rows() -> list[dict]:
    """The people the pipeline wrote, as the raw write takes them (its own stamps aside)."""
    rows = run(
        "MATCH (p:Person)-[:LOCATED_IN]->(c:Commune) "
        "RETURN p.uid AS uid, c.code AS commune, properties(p) AS props"
    )
    for row in rows:
        for key in ("uid", "created_at", "updated_at", "version"):
            row["props"].pop(key, None)
    return rows


def raw(driver: neo4j.Driver, rows: list[dict]) -> float:
    def write(tx) -> None:
        for start in range(0, len(rows), BATCH):
            tx.run(RAW, rows=rows[start : start + BATCH]).consume()

    start = time.perf_counter()
    with driver.session() as session:
        session.execute_write(write)
    return time.perf_counter() - start


def benchmark(sizes: list[int]) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalNeo4j(
            Path(tmp) / "neo4j", bolt_port=free_port(), heap="768m", pagecache="256m"
        ) as neo,  # fmt: skip
    ):
        connect(ConnectionSettings(neo.uri, neo.user, neo.password))
        install_schema()
        geography.load()
        uid = users.create_user("o@bench.ma", "Officer", PASSWORD, "officer")
        team.set_territory(uid, ["02"])
        officer = users.load_session(users.authenticate("o@bench.ma", PASSWORD).session_token)
        driver = neo4j.GraphDatabase.driver(neo.uri, auth=(neo.user, neo.password))
        print("rows | pipeline rows/s | raw UNWIND rows/s | pipeline / raw | analysis alone s")
        print(" | ".join(["---"] * 5))
        for size in sizes:
            content = sheet(size)
            totals, analyses, raws = [], [], []
            pipeline(officer, content)  # warm-up: plans compiled, caches filled
            for _ in range(RUNS):
                empty_people()
                total, analysis = pipeline(officer, content)
                rows = stored_rows()
                assert len(rows) == size, (len(rows), size)
                empty_people()
                raws.append(raw(driver, rows))
                totals.append(total)
                analyses.append(analysis)
            total, analysis, raw_s = (statistics.median(x) for x in (totals, analyses, raws))
            print(
                f"{size:,} | {size / total:,.0f} | {size / raw_s:,.0f} | {raw_s / total:.2f} | "
                f"{analysis:.2f}"
            )
        driver.close()


def main(argv: list[str]) -> None:
    benchmark([int(a) for a in argv] or [5_000, 20_000])


if __name__ == "__main__":
    main(sys.argv[1:])
