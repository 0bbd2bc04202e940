"""A page of results, as lists show them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Page", "page_bounds"]

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    items: list[dict]
    total: int
    number: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_bounds(number: int, per_page: int = PER_PAGE) -> tuple[int, int, int]:
    """(page number clamped to >= 1, skip, limit)."""
    number = max(1, number)
    return number, (number - 1) * per_page, per_page
