"""One page of a list and the list's size, in one round trip, from one copy of the query."""

from __future__ import annotations

from graph.database import run

__all__ = ["page"]


def page(
    match: str, order_by: str, row: str, skip: int, limit: int, **params: object
) -> tuple[list[dict], int]:
    """``(rows, total)`` for the records ``match`` binds.

    ``match``: the clauses that bind the records (``MATCH … WHERE …``, no RETURN), written
    once; ``order_by``: the sort expression(s) over its variables; ``row``: a Cypher map of
    what each row holds (``{uid: p.uid, …}``). All three are fixed text from code (sort keys
    from allowlists); values travel as ``params``.

    >>> page("MATCH (c:Commune) WHERE c.code STARTS WITH $prefix", "c.name_fr",
    ...      "{code: c.code}", 0, 20, prefix="02.")  # doctest: +SKIP
    ([{'code': '02.411.01.01'}, …], 120)
    """
    query = (
        "CALL () { " + match + " RETURN count(*) AS total } "
        "CALL () { " + match + " WITH * ORDER BY " + order_by + " SKIP $skip LIMIT $limit "
        "RETURN collect(" + row + ") AS rows } "
        "RETURN total, rows"
    )
    found = run(query, skip=skip, limit=limit, **params)[0]
    return found["rows"], found["total"]
