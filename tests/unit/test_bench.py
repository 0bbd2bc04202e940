"""The figures of ``make bench``: percentiles, the report's shape, the verdicts, the table."""

import importlib.util
import json
import math
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_report", Path(__file__).resolve().parents[2] / "benchmarks" / "bench_report.py"
)
bench_report = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench_report)


def test_percentiles_interpolate_between_samples():
    values = list(range(1, 101))
    assert bench_report.percentile(values, 50) == pytest.approx(50.5)
    assert bench_report.percentile(values, 95) == pytest.approx(95.05)
    assert bench_report.percentile(values, 0) == 1
    assert bench_report.percentile(values, 100) == 100
    assert bench_report.percentile([7.0], 99) == 7.0
    assert bench_report.percentile([30, 10, 20], 50) == 20  # unsorted input
    assert math.isnan(bench_report.percentile([], 50))
    with pytest.raises(ValueError):
        bench_report.percentile([1], 101)


def test_ratio_without_a_denominator_is_nan():
    assert bench_report.ratio(4, 2) == 2
    assert math.isnan(bench_report.ratio(4, 0))
    assert math.isnan(bench_report.ratio(None, 2))


def _page(name="people list", actor="manager", server=(10, 20, 200), raw=(5, 5, 5)):
    return bench_report.page_row(name, actor, "/personnes/", list(server), list(server),
                                 list(raw), statements=4)  # fmt: skip


def test_each_target_gets_a_verdict_with_how_far_it_is_off():
    report = bench_report.shape_report(
        {"scale": "programme"},
        [_page()],
        {"pipeline_over_raw": 0.5},
        {"levels": {"person": {"s": 6.0}, "organisation": {"s": 1.5}}},
        {"app_peak_bytes": 3 * 1024**3, "neo4j_heap_max_bytes": 1024**3},
    )
    by_target = {t["target"]: t for t in report["targets"]}
    p95 = by_target["p95 people list (manager), ms"]
    assert p95["met"] is False and p95["value"] == pytest.approx(182)  # 20 + 0.9 * 180
    assert p95["off_by"] == pytest.approx(182 / 150)
    over_raw = by_target["page/raw people list (manager)"]
    assert over_raw["value"] == 4 and over_raw["met"] is False  # p50 20 / raw p50 5
    imported = by_target["import / raw UNWIND"]
    assert imported["met"] is False and imported["off_by"] == pytest.approx(0.7 / 0.5)
    assert by_target["analysis, person level, s"]["off_by"] == pytest.approx(2.0)  # 6 / 3
    assert by_target["analysis, organisation level, s"]["met"] is True
    assert by_target["app process peak, bytes"]["met"] is False
    assert by_target["Neo4j heap (maximum), bytes"]["met"] is True


def test_national_scale_has_its_own_analysis_limit():
    report = bench_report.shape_report(
        {"scale": "national"}, [], {}, {"levels": {"person": {"s": 45.0}}}, {}
    )
    (analysis,) = report["targets"]
    assert analysis["limit"] == 60.0 and analysis["met"] is True


def test_a_page_without_samples_is_missed_and_written_as_null():
    report = bench_report.shape_report({}, [_page(server=(), raw=())], {}, {}, {})
    assert json.loads(bench_report.to_json(report))["pages"][0]["server"]["p95_ms"] is None
    assert [t["met"] for t in report["targets"]] == [False, False]
    assert "no figure" in bench_report.table(report)


def test_the_table_shows_every_page_and_every_miss():
    report = bench_report.shape_report(
        {"scale": "programme"},
        [_page(), _page("search", "officer", server=(10, 11, 12), raw=(8, 8, 8))],
        {"rows": 5000, "pipeline_rows_per_s": 2500, "raw_rows_per_s": 5000,
         "pipeline_over_raw": 0.5},
        {"levels": {"person": {"s": 2.0, "nodes": 5000, "ties": 50000}}},
        {"app_peak_bytes": 300 * 1024**2},
    )  # fmt: skip
    text = bench_report.table(report)
    assert "people list (manager)" in text and "search (officer)" in text
    assert "pipeline 2,500 rows/s, raw UNWIND 5,000 rows/s" in text
    assert "app_peak_bytes: 300 MiB" in text
    missed = [line for line in text.splitlines() if "MISSED" in line]
    assert len(missed) == 3  # people list p95 and page/raw, the import ratio
    assert "targets met: 4 of 7" in text


def test_first_loads_after_a_write_are_shown_and_held_to_the_page_target():
    rows = [
        bench_report.after_write_row("duplicates", "manager", "/doublons/personnes",
                                     [900.0, 1200.0, 1500.0], 0),
        bench_report.after_write_row("home", "officer", "/", [40.0, 60.0, 80.0], 0),
    ]  # fmt: skip
    report = bench_report.shape_report({"scale": "national"}, [], {}, {"levels": {}}, {}, rows)
    assert rows[0]["max_ms"] == 1500.0 and rows[0]["server"]["p50_ms"] == 1200.0
    text = bench_report.table(report)
    assert "duplicates (manager), after a write" in text and "home (officer), after a write" in text
    missed = [t["target"] for t in report["targets"] if not t["met"]]
    assert missed == ["p95 duplicates (manager), first load after a write, ms"]


def test_a_run_without_analysis_says_so():
    report = bench_report.shape_report({"analysis_skipped": True}, [], {}, {"levels": {}}, {})
    assert "not measured in this run" in bench_report.table(report)
    assert report["targets"] == []
