"""A network analysis timed in a fresh process, whose peak memory is then the analysis's own.

The benchmarks (``bench.py``, ``network_analysis.py``) load or generate data in their own
process, so their peak holds much more than an analysis. They call :func:`measure`, which
runs this file in a new Python process: it signs a manager in, runs ``crm.network.analyse``
at both levels (a first run that pays the imports and the query plans, then ``runs`` more
with the caches cleared, whose median is the figure) and prints one JSON line::

    {"levels": {"organisation": {"s", "runs", "first_run_s", "nodes", "ties"}, "person": ...},
     "process_peak_bytes": ...}
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's packages, whichever venv runs the script

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

from graph.database import ConnectionSettings, connect  # noqa: E402

__all__ = ["measure"]


def measure(
    settings: ConnectionSettings, email: str, password: str, as_of: date, runs: int
) -> dict:
    """Both analyses of the data behind ``settings``, as the manager ``email`` sees them on
    ``as_of``, timed in a fresh process (``runs`` timed runs after the first; 0: the first
    run alone is the figure, for scales where one run takes minutes)."""
    env = {
        **os.environ,
        "BENCH_URI": settings.uri,
        "BENCH_USER": settings.user,
        "BENCH_PASSWORD": settings.password,
        "BENCH_EMAIL": email,
        "BENCH_SIGN_IN": password,
        "BENCH_AS_OF": as_of.isoformat(),
        "BENCH_ANALYSIS_RUNS": str(runs),
    }
    out = subprocess.run(
        [sys.executable, __file__], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _analyse() -> dict:
    from crm import network, users

    connect(ConnectionSettings(os.environ["BENCH_URI"], os.environ["BENCH_USER"],
                               os.environ["BENCH_PASSWORD"]))  # fmt: skip
    signed_in = users.authenticate(os.environ["BENCH_EMAIL"], os.environ["BENCH_SIGN_IN"])
    manager = users.load_session(signed_in.session_token)
    as_of = date.fromisoformat(os.environ["BENCH_AS_OF"])
    runs = int(os.environ["BENCH_ANALYSIS_RUNS"])
    levels = {}
    for level in ("organisation", "person"):
        network.clear_caches()
        start = time.perf_counter()
        result = network.analyse(manager, {"niveau": level}, as_of)  # imports, query plans
        first = time.perf_counter() - start
        seconds = [] if runs else [first]
        for _ in range(runs):
            network.clear_caches()
            start = time.perf_counter()
            result = network.analyse(manager, {"niveau": level}, as_of)
            seconds.append(time.perf_counter() - start)
        overall = result.get("overall") or {}
        levels[level] = {
            "s": statistics.median(seconds),
            "runs": seconds,
            "first_run_s": first,
            **{k: overall[k] for k in ("nodes", "ties") if k in overall},
        }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"levels": levels, "process_peak_bytes": peak}


if __name__ == "__main__":
    print(json.dumps(_analyse()))
