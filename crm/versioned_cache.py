"""Results computed from the data, kept by this process until the next write.

A result is stored under its key *and* the data version (``graph.versions``), which every
write use case raises in its own transaction (``crm.transactions.writes``): after any write,
anywhere, the version differs and the result is computed again. Over-invalidation is
accepted (writes are rare next to page loads). Without a version (an empty database), nothing
is cached. Results are shared between callers: they must not change them.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from graph import versions

__all__ = ["cached", "clear", "scope_key"]

T = TypeVar("T")

SIZE = 64  # results kept per namespace, least recently used dropped first

_CACHES: dict[str, OrderedDict[tuple, object]] = {}
_RUNNING: dict[tuple, threading.Event] = {}  # results being computed, by namespace and key
_lock = threading.Lock()


def scope_key(scope: dict) -> str:
    """A hashable, order-independent form of an actor's scope parameters."""
    return json.dumps(scope, sort_keys=True, default=str)


def cached(namespace: str, key: Hashable, compute: Callable[[], T], size: int = SIZE) -> T:
    """``compute()``, or its result kept since no write happened (same ``key``); the
    namespace keeps its ``size`` results last used (fewer for heavy ones).

    Requests that ask at the same time for a result not kept yet wait for the first one to
    compute it (a page opened by many users after a write is computed once per process, not
    once per request); if that computation fails, each waiting request computes its own.
    """
    version = versions.current()
    if version is None:
        return compute()
    full = (key, version)
    while True:
        with _lock:  # requests of one process run in threads: the order is kept under a lock
            cache = _CACHES.setdefault(namespace, OrderedDict())
            if full in cache:
                cache.move_to_end(full)
                return cache[full]  # type: ignore[return-value]
            running = _RUNNING.get((namespace, full))
            if running is None:
                running = _RUNNING[(namespace, full)] = threading.Event()
                break
        running.wait()  # the first request computes it; then read it from the cache
        with _lock:
            if full in cache:
                continue
        return compute()  # the first request failed: compute this one's own
    try:
        result = compute()  # outside the lock: other keys and namespaces are not held up
        with _lock:
            cache[full] = result
            while len(cache) > size:
                cache.popitem(last=False)
        return result
    finally:
        with _lock:
            _RUNNING.pop((namespace, full), None)
        running.set()


def clear(*namespaces: str) -> None:
    """Forget the results kept in ``namespaces``, or every result (benchmarks time the work
    itself)."""
    with _lock:
        if not namespaces:
            _CACHES.clear()
        for namespace in namespaces:
            _CACHES.pop(namespace, None)
