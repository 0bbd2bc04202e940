"""The figures of ``make bench`` (issue 13 items 2 and 3): percentiles, the report's shape, the
verdict on each target, the JSON and the short table. Pure functions, unit-tested on their own
(``tests/unit/test_bench.py``); ``benchmarks/bench.py`` measures and feeds them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping

# Targets of issue 13 item 3.
P95_MS_MAX = 150.0  # every page, at national scale (also shown at programme scale)
PAGE_OVER_RAW_MAX = 2.0  # a page's p50 against the p50 of its own statements on the raw driver
IMPORT_OVER_RAW_MIN = 0.7  # rows/s of the import pipeline against the raw driver's UNWIND
ANALYSIS_S_MAX = {"programme": 3.0, "national": 60.0}
APP_PEAK_BYTES_MAX = int(1.5 * 1024**3)
NEO4J_HEAP_BYTES_MAX = 2 * 1024**3


def percentile(values: Iterable[float], pct: float) -> float:
    """Linearly interpolated percentile (``pct`` in 0..100) of ``values``; NaN when empty."""
    if not 0 <= pct <= 100:
        raise ValueError("pct must be within 0..100")
    data = sorted(values)
    if not data:
        return math.nan
    rank = (len(data) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return float(data[low] + (data[high] - data[low]) * (rank - low))


def latency_summary(samples_ms: Iterable[float]) -> dict[str, float]:
    """Count, p50, p95 and p99 of latencies in milliseconds."""
    data = list(samples_ms)
    return {
        "count": len(data),
        "p50_ms": percentile(data, 50),
        "p95_ms": percentile(data, 95),
        "p99_ms": percentile(data, 99),
    }


def ratio(numerator: float | None, denominator: float | None) -> float:
    """``numerator / denominator``; NaN when either is missing or the denominator is not
    positive."""
    if numerator is None or denominator is None or not denominator > 0:
        return math.nan
    return numerator / denominator


def page_row(
    page: str, actor: str, url: str, server_ms: list[float], client_ms: list[float],
    raw_ms: list[float], statements: int, errors: int = 0,
) -> dict:  # fmt: skip
    """One page for one actor: server-side latency (``Server-Timing``), what the client saw,
    the raw driver's time for the same statements, and page p50 / raw p50."""
    server = latency_summary(server_ms)
    raw = latency_summary(raw_ms)
    return {
        "page": page,
        "actor": actor,
        "url": url,
        "statements": statements,
        "errors": errors,
        "server": server,
        "client": latency_summary(client_ms),
        "raw_cypher": raw,
        "page_over_raw": ratio(server["p50_ms"], raw["p50_ms"]),
    }


def after_write_row(page: str, actor: str, url: str, server_ms: list[float], errors: int) -> dict:
    """The first loads of one page after a write each: server-side latency and the slowest."""
    return {
        "page": page,
        "actor": actor,
        "url": url,
        "errors": errors,
        "server": latency_summary(server_ms),
        "max_ms": max(server_ms) if server_ms else math.nan,
    }


def _verdict(target: str, value: float | None, limit: float, higher_is_better: bool = False):
    known = value is not None and not math.isnan(value)
    met = known and (value >= limit if higher_is_better else value <= limit)
    return {
        "target": target,
        "value": value if known else None,
        "limit": limit,
        "higher_is_better": higher_is_better,
        "met": met,
        # how far from the limit, as a factor (1.3 = 30 % over a maximum or under a minimum)
        "off_by": None if met or not known else (
            ratio(limit, value) if higher_is_better else ratio(value, limit)
        ),
    }  # fmt: skip


def verdicts(report: Mapping) -> list[dict]:
    """Each target of issue 13 item 3 that the report has a figure for: value, limit, met."""
    out = []
    for row in report.get("pages", []):
        name = f"{row['page']} ({row['actor']})"
        out.append(_verdict(f"p95 {name}, ms", row["server"]["p95_ms"], P95_MS_MAX))
        out.append(_verdict(f"page/raw {name}", row["page_over_raw"], PAGE_OVER_RAW_MAX))
    for row in report.get("after_write", []):
        name = f"{row['page']} ({row['actor']}), first load after a write"
        out.append(_verdict(f"p95 {name}, ms", row["server"]["p95_ms"], P95_MS_MAX))
    bulk = report.get("bulk") or {}
    if "pipeline_over_raw" in bulk:
        out.append(_verdict("import / raw UNWIND", bulk["pipeline_over_raw"],
                            IMPORT_OVER_RAW_MIN, higher_is_better=True))  # fmt: skip
    scale = (report.get("meta") or {}).get("scale")
    limit = ANALYSIS_S_MAX.get(scale, ANALYSIS_S_MAX["programme"])
    for level, figure in sorted((report.get("analysis") or {}).get("levels", {}).items()):
        out.append(_verdict(f"analysis, {level} level, s", figure.get("s"), limit))
    memory = report.get("memory") or {}
    if "app_peak_bytes" in memory:
        out.append(_verdict("app process peak, bytes", memory["app_peak_bytes"],
                            APP_PEAK_BYTES_MAX))  # fmt: skip
    if "neo4j_heap_max_bytes" in memory:
        out.append(_verdict("Neo4j heap (maximum), bytes", memory["neo4j_heap_max_bytes"],
                            NEO4J_HEAP_BYTES_MAX))  # fmt: skip
    return out


def shape_report(
    meta: Mapping, pages: list[dict], bulk: Mapping, analysis: Mapping, memory: Mapping,
    after_write: list[dict] = (),
) -> dict:  # fmt: skip
    """The JSON report: run metadata, pages (and their first loads after a write), bulk load,
    analysis, memory, then the verdicts."""
    report = {
        "meta": dict(meta),
        "pages": list(pages),
        "after_write": list(after_write),
        "bulk": dict(bulk),
        "analysis": dict(analysis),
        "memory": dict(memory),
    }
    report["targets"] = verdicts(report)
    return report


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_json(report: Mapping) -> str:
    """The report as JSON text, NaN written as null."""
    return json.dumps(_clean(report), indent=2, ensure_ascii=False)


def _ms(value: float) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.1f}"


def _figure(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1024**3:
        return f"{value / 1024**3:.2f} GiB"
    if value >= 1024**2:
        return f"{value / 1024**2:.0f} MiB"
    return f"{value:.2f}"


def table(report: Mapping) -> str:
    """A short text table: each page, the bulk load, the analysis, memory, then the targets
    (every missed one with the factor it is off by)."""
    lines = [
        f"{'page (actor)':40} {'p50':>7} {'p95':>7} {'p99':>7} {'raw p50':>8} {'page/raw':>8}"
        f" {'n':>4} {'stmts':>5}"
    ]
    for row in report.get("pages", []):
        s, r = row["server"], row["raw_cypher"]
        lines.append(
            f"{row['page'] + ' (' + row['actor'] + ')':40} {_ms(s['p50_ms']):>7}"
            f" {_ms(s['p95_ms']):>7} {_ms(s['p99_ms']):>7} {_ms(r['p50_ms']):>8}"
            f" {_figure(row['page_over_raw']):>8} {s['count']:>4} {row['statements']:>5}"
        )
    for row in report.get("after_write", []):
        s = row["server"]
        lines.append(
            f"{row['page'] + ' (' + row['actor'] + '), after a write':40} {_ms(s['p50_ms']):>7}"
            f" {_ms(s['p95_ms']):>7} {_ms(row['max_ms']):>7} {'':>8} {'':>8} {s['count']:>4}"
        )
    bulk = report.get("bulk") or {}
    if bulk:
        pipeline, raw = bulk.get("pipeline_rows_per_s", 0), bulk.get("raw_rows_per_s", 0)
        lines.append(
            f"import {bulk.get('rows', 0):,} rows: pipeline {pipeline:,.0f} rows/s, raw UNWIND "
            f"{raw:,.0f} rows/s, ratio {_figure(bulk.get('pipeline_over_raw'))}"
        )
    analysis = report.get("analysis") or {}
    if (report.get("meta") or {}).get("analysis_skipped"):
        lines.append("analysis: not measured in this run (--no-analysis)")
    for level, figure in sorted(analysis.get("levels", {}).items()):
        lines.append(
            f"analysis, {level} level: {_figure(figure.get('s'))} s "
            f"({figure.get('nodes', '?')} nodes, {figure.get('ties', '?')} ties)"
        )
    memory = report.get("memory") or {}
    for key in sorted(memory):
        if key.endswith("bytes"):
            lines.append(f"{key}: {_figure(memory[key])}")
    targets = report.get("targets", [])
    missed = [t for t in targets if not t["met"]]
    lines.append(f"targets met: {len(targets) - len(missed)} of {len(targets)}")
    for t in missed:
        off = f"off by x{t['off_by']:.2f}" if t["off_by"] else "no figure"
        sign = ">=" if t["higher_is_better"] else "<="
        lines.append(
            f"  MISSED {t['target']}: {_figure(t['value'])} (target {sign} "
            f"{_figure(t['limit'])}), {off}"
        )
    return "\n".join(lines)
