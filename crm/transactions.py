"""Use cases as units of work: ``@writes`` and ``@reads``.

A use case decorated ``@writes`` runs in one write transaction: every graph write it makes
and its audit entry commit together, or nothing does (a domain error, a crash or a lost
connection rolls everything back). ``@reads`` runs it in a read transaction, which a cluster
routes to a follower. Both are retried from the start on transient errors, so a use case
has no effect outside the database before it returns.

A use case called from another joins the caller's transaction. The audit trail records
refusals (``denied``) and consultations in a transaction of their own (``crm.audit``), so a
refused request leaves its trace although its own transaction is rolled back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from graph import database, versions

__all__ = ["reads", "writes"]

P = ParamSpec("P")
T = TypeVar("T")


def writes(use_case: Callable[P, T]) -> Callable[P, T]:
    """Run the decorated use case in one write transaction, which also raises the data's
    version (``graph.versions``: what caches of computed results are keyed by)."""

    @functools.wraps(use_case)
    def in_write_transaction(*args: P.args, **kwargs: P.kwargs) -> T:
        if database.in_transaction():  # joins its caller's, which raises the version
            return database.write(use_case, *args, **kwargs)

        def unit_of_work() -> T:
            result = use_case(*args, **kwargs)
            versions.bump()
            return result

        return database.write(unit_of_work)

    return in_write_transaction


def reads(use_case: Callable[P, T]) -> Callable[P, T]:
    """Run the decorated use case in a read transaction (it writes nothing but its audit)."""

    @functools.wraps(use_case)
    def in_read_transaction(*args: P.args, **kwargs: P.kwargs) -> T:
        return database.read(use_case, *args, **kwargs)

    return in_read_transaction
