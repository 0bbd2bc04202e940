"""A page of results, as lists show them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_PAGE", "Page", "page_bounds"]

PER_PAGE = 25
# Far beyond any list of the programme (25 million people at 25 a page), and small enough
# that SKIP stays a 64-bit integer for Neo4j whatever number a URL carries.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    items: list[dict]
    total: int
    number: int
    per_page: int = PER_PAGE
    # Why the list is empty when its filters cannot be applied (an unknown commune…).
    problem: str | None = None

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
    """(page number clamped to 1..``MAX_PAGE``, skip, limit).

    >>> page_bounds(3)
    (3, 50, 25)
    >>> page_bounds(-7)[0], page_bounds(10**20)[0]
    (1, 1000000)
    """
    number = min(max(1, number), MAX_PAGE)
    return number, (number - 1) * per_page, per_page
