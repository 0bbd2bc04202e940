"""The programme's clock: "now" as an instant, "today" as a date in the programme's time zone.

Every date a use case compares (interaction dates, follow-ups, cadence, retention, functions)
comes from ``today()`` and reaches Cypher as a parameter, never from the server's ``date()``:
at 00:30 in Casablanca the server in UTC still lives the day before.

The zone is ``TANSIQ_TIMEZONE`` (default Africa/Casablanca). Tests move time with ``frozen``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["DEFAULT_ZONE", "frozen", "now", "today", "zone"]

DEFAULT_ZONE = "Africa/Casablanca"

_source: list[Callable[[], datetime]] = []


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    current = _source[-1]() if _source else datetime.now(UTC)
    if current.tzinfo is None:
        raise ValueError("the clock must return an aware datetime")
    return current.astimezone(UTC)


def today(at: datetime | None = None) -> date:
    """The programme's date at instant ``at`` (default: now), in ``zone()``."""
    return (at or now()).astimezone(zone()).date()


def zone(name: str | None = None) -> tzinfo:
    """The programme's time zone: ``name``, else ``TANSIQ_TIMEZONE``, else Africa/Casablanca."""
    return _zone(name or os.environ.get("TANSIQ_TIMEZONE") or DEFAULT_ZONE)


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


@contextmanager
def frozen(source: datetime | Callable[[], datetime]) -> Iterator[None]:
    """Within the block, ``now()`` answers ``source`` (an aware datetime, or a callable)."""
    _source.append(source if callable(source) else (lambda: source))
    try:
        yield
    finally:
        _source.pop()
