"""Tie kinds and the weight of a tie: a count of records, discounted by their age.

The weight of a tie between two nodes is the sum, over the records it rests on (a
partnership, an event, an interaction, a shared member or organisation), of

    0.5 ** (age_days / half_life_days),   age_days = max(0, (as_of - date).days)

so a record of the day counts 1.0, one a half-life old 0.5, one two half-lives old 0.25; a
record dated after ``as_of`` counts 1.0 (its age is clamped at zero) and a record without a
date counts 1.0 (nothing says it is old). A tie of ``n`` records of the day weighs ``n``: the
weight reads as "so many recent records". ``HALF_LIFE_DAYS`` (a year) is the default.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

__all__ = ["HALF_LIFE_DAYS", "TIE_KINDS", "record_weight", "tie_weight"]

# The kinds of ties each level of projection knows (an allowlist: filters are checked here).
TIE_KINDS: dict[str, tuple[str, ...]] = {
    "organisation": ("partnership", "shared_member", "co_attendance", "interaction"),
    "person": ("co_attendance", "interaction", "shared_affiliation"),
}

HALF_LIFE_DAYS = 365


def tie_weight(
    dates: Iterable[date | None], as_of: date, half_life_days: int = HALF_LIFE_DAYS
) -> float:
    """The weight of a tie resting on records of these ``dates``, seen from ``as_of``.

    Parameters
    ----------
    dates : iterable of datetime.date or None
        One entry per record the tie rests on; ``None`` for a record without a date.
    as_of : datetime.date
        The day recency is measured from.
    half_life_days : int
        The age, in days, at which a record counts half (> 0).

    Returns
    -------
    float
        ``sum(0.5 ** (max(0, (as_of - d).days) / half_life_days))``, an undated record
        counting 1.0; 0.0 for no records.

    Raises
    ------
    ValueError
        If ``half_life_days`` is not positive.

    Examples
    --------
    >>> from datetime import date
    >>> tie_weight([date(2026, 1, 1), date(2025, 1, 1), None], date(2026, 1, 1))
    2.5
    """
    if half_life_days <= 0:
        raise ValueError(f"half_life_days must be positive, not {half_life_days!r}")
    total = 0.0
    for day in dates:
        total += record_weight(day, as_of, half_life_days)
    return total


def record_weight(day: date | None, as_of: date, half_life_days: int = HALF_LIFE_DAYS) -> float:
    """What one record of ``day`` adds to a tie's weight (``tie_weight`` of ``[day]``).

    Examples
    --------
    >>> from datetime import date
    >>> record_weight(date(2025, 1, 1), date(2026, 1, 1))
    0.5
    >>> record_weight(None, date(2026, 1, 1))
    1.0
    """
    if day is None:
        return 1.0
    return 0.5 ** (max(0, (as_of - day).days) / half_life_days)
