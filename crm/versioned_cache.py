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
_lock = threading.Lock()


def scope_key(scope: dict) -> str:
    """A hashable, order-independent form of an actor's scope parameters."""
    return json.dumps(scope, sort_keys=True, default=str)


def cached(namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its result kept since no write happened (same ``key``)."""
    version = versions.current()
    if version is None:
        return compute()
    full = (key, version)
    with _lock:  # requests of one process run in threads: the order is kept under a lock
        cache = _CACHES.setdefault(namespace, OrderedDict())
        if full in cache:
            cache.move_to_end(full)
            return cache[full]  # type: ignore[return-value]
    result = compute()  # outside the lock: two threads may compute the same result once each
    with _lock:
        cache[full] = result
        while len(cache) > SIZE:
            cache.popitem(last=False)
    return result


def clear() -> None:
    """Forget every kept result (benchmarks time the work itself)."""
    with _lock:
        _CACHES.clear()
