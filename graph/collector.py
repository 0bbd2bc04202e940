"""Pausing Python's cyclic garbage collector while a computation builds many objects.

An import keeps every row's plan and every record of the scope alive until it is written; a
network analysis decodes the rows of its projections, builds two graphs and a row of
metrics per node. The collector's full passes walk all of them again and again (a third of
an import's commit at 20,000 rows; about a second of a programme-scale analysis's four,
measured) and find almost nothing: rows, plans and metrics hold no reference cycles.
Reference counting still frees everything as usual; only the search for cycles waits, and
runs again as soon as the last paused block running in the process is done.

What the blocks built and kept (a cached analysis and its graphs: millions of objects at
national scale) then goes straight to the oldest generation: the collector's next pass would
otherwise walk it all as young objects (7 s after a national analysis, measured), then again
as middle-aged ones, before it ever reaches the oldest generation, which the collector only
walks when it has grown by a quarter. Cycles among those objects are found there, as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]

_lock = threading.Lock()
_running = 0  # paused blocks of this process running now
_was_enabled = False  # the collector's state before the first of them started


@contextmanager
def collection_paused() -> Iterator[None]:
    """The block runs with the cyclic collector paused; nested or concurrent blocks (two
    imports in two threads) keep it paused until the last one ends, which restores the
    state found by the first (an import and an analysis in two threads alike)."""
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                # Every tracked object to the oldest generation, without walking them.
                gc.freeze()
                gc.unfreeze()
                gc.enable()
