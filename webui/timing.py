"""``Server-Timing`` of each response, when ``SERVER_TIMING`` is on (``TANSIQ_SERVER_TIMING=1``).

The header carries how long the app spent on the request (``app;dur=<ms>``), from the first
``before_request`` hook to the response, so a benchmark can tell server time from the network
and the client. Off by default: timings are only for a benchmark or an operator's probe.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g

__all__ = ["HEADER", "init_timing", "server_time_ms"]

HEADER = "Server-Timing"


def init_timing(app: Flask) -> None:
    if not app.config.get("SERVER_TIMING"):
        return
    # First of the before_request hooks, so the figure covers the session and the user too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_stamp)


def _start() -> None:
    g.server_timing_start = time.perf_counter()


def _stamp(response: Response) -> Response:
    start = g.pop("server_timing_start", None)
    if start is not None:
        elapsed = (time.perf_counter() - start) * 1000
        response.headers.add(HEADER, f"app;dur={elapsed:.2f}")
    return response


def server_time_ms(header: str | None) -> float | None:
    """The ``app`` duration (ms) of a ``Server-Timing`` header value, None when absent."""
    for metric in (header or "").split(","):
        name, _, rest = metric.strip().partition(";")
        if name.strip() != "app":
            continue
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "dur":
                try:
                    return float(value)
                except ValueError:
                    return None
    return None
