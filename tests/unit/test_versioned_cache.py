"""``crm.versioned_cache``: one computation per key and data version, even when many requests
ask for it at once; a failed computation is not shared."""

from __future__ import annotations

import threading
import types

import pytest

from crm import versioned_cache

WAITERS = 7


@pytest.fixture
def cache(monkeypatch):
    """The cache at data version "v1", its waits counted (``waiting`` is released once per
    request that waits for another's computation)."""
    waiting = threading.Semaphore(0)

    class CountedEvent(threading.Event):
        def wait(self, timeout=None):
            waiting.release()
            return super().wait(timeout)

    monkeypatch.setattr(versioned_cache.versions, "current", lambda: "v1")
    monkeypatch.setattr(
        versioned_cache, "threading", types.SimpleNamespace(Event=CountedEvent, Lock=threading.Lock)
    )
    versioned_cache.clear()
    yield waiting
    versioned_cache.clear()


def _ask_together(compute, waiting) -> list:
    """One request starts computing; WAITERS more ask while it runs; then it finishes."""
    results, errors = [], []

    def ask():
        try:
            results.append(versioned_cache.cached("test", "key", compute))
        except RuntimeError as exc:
            errors.append(exc)

    first = threading.Thread(target=ask)
    first.start()
    compute.started.wait(5)
    others = [threading.Thread(target=ask) for _ in range(WAITERS)]
    for thread in others:
        thread.start()
    for _ in range(WAITERS):
        assert waiting.acquire(timeout=5), "a request did not wait for the first one"
    compute.release.set()
    for thread in [first, *others]:
        thread.join(5)
    return results + errors


class Slow:
    """A computation that blocks until released; ``fail_first`` makes its first call fail."""

    def __init__(self, fail_first: bool = False) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.calls, self.fail_first = 0, fail_first

    def __call__(self):
        self.calls += 1
        call = self.calls
        self.started.set()
        self.release.wait(5)
        if self.fail_first and call == 1:
            raise RuntimeError("the database went away")
        return {"computed by call": call}


def test_requests_at_once_share_one_computation(cache):
    compute = Slow()
    results = _ask_together(compute, cache)
    assert compute.calls == 1
    assert len(results) == WAITERS + 1 and all(r is results[0] for r in results)
    assert versioned_cache.cached("test", "key", compute) is results[0]  # kept
    assert compute.calls == 1


def test_a_failed_computation_is_not_shared(cache):
    compute = Slow(fail_first=True)
    results = _ask_together(compute, cache)
    assert compute.calls == 1 + WAITERS  # each waiting request computed its own
    assert sum(isinstance(r, RuntimeError) for r in results) == 1
    assert sum(isinstance(r, dict) for r in results) == WAITERS


def test_without_a_data_version_nothing_is_kept(monkeypatch):
    monkeypatch.setattr(versioned_cache.versions, "current", lambda: None)
    calls = []
    for _ in range(2):
        versioned_cache.cached("test", "key", lambda: calls.append(1))
    assert len(calls) == 2


def test_clearing_one_namespace_keeps_the_others(monkeypatch):
    monkeypatch.setattr(versioned_cache.versions, "current", lambda: "v1")
    versioned_cache.clear()
    calls = []

    def compute(name):
        calls.append(name)
        return name

    for name in ("maps", "network.analyses"):
        versioned_cache.cached(name, "key", lambda n=name: compute(n))
    versioned_cache.clear("maps")
    for name in ("maps", "network.analyses"):
        versioned_cache.cached(name, "key", lambda n=name: compute(n))
    assert calls == ["maps", "network.analyses", "maps"]
    versioned_cache.clear()
