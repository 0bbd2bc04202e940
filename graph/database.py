"""Connection to Neo4j and the transactions every query runs in.

One driver per process (``connect``), shared with neomodel for the schema. Queries go through
``run``, which joins the transaction of the current unit of work:

- ``read(work)`` runs ``work()`` in a *read* transaction: against a cluster or Aura it is
  routed to a follower, and a write inside it is refused by the server.
- ``write(work)`` runs ``work()`` in a *write* transaction: every ``run`` inside it commits
  together or not at all.

Both are the driver's managed transactions: a transient error (leader switch, deadlock) runs
``work`` again from the start, so ``work`` must not have effects outside the database. A
nested ``read`` or ``write`` joins the transaction already open (a write inside a read one is
a programming error). ``run`` outside any unit of work commits on its own, in a write
transaction with the same retries (CLI, seeds, tests).

Sessions share the driver's bookmark manager, so a read that follows a write in this process
sees it even when it is served by a follower. Between processes (gunicorn workers, several
machines), ``follow`` carries one user's bookmarks from request to request: the web layer keeps
them in the user's signed session, so the page after a form sees what the form wrote whichever
process serves it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired
from neomodel import db, get_config

__all__ = [
    "Causal",
    "ConnectionSettings",
    "DatabaseUnavailable",
    "RoundTrips",
    "atomic",
    "connect",
    "causal",
    "clean_bookmarks",
    "count_round_trips",
    "follow",
    "stop_following",
    "stream",
    "disconnect",
    "in_read_transaction",
    "in_transaction",
    "ping",
    "read",
    "run",
    "write",
    "write_apart",
]

T = TypeVar("T")

# Errors that mean "the database cannot be reached right now", as opposed to a bad query.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    ServiceUnavailable,
    SessionExpired,
    AuthError,
    ConnectionError,
)


class DatabaseUnavailable(RuntimeError):
    """Neo4j cannot be reached (server down, wrong address or credentials)."""


@dataclass(frozen=True)
class ConnectionSettings:
    """Where the server is and how the driver treats it (``webui.config`` reads them)."""

    uri: str
    user: str
    password: str
    database: str | None = None  # None: the server's default (home) database
    # How long a unit of work hit by transient errors (leader switch, deadlock) is retried.
    max_transaction_retry_time: float = 5.0
    max_connection_pool_size: int = 100  # per server: workers x threads must fit in it
    connection_timeout: float = 5.0

    def describe(self) -> str:
        """The address without credentials, safe to show in messages."""
        return self.uri


def connect(settings: ConnectionSettings) -> None:
    """Point the process (and neomodel) at the server; no network traffic until the first query.

    ``neo4j://`` routing URIs (``neo4j+s://`` for Aura) are passed through untouched, so the
    driver routes read transactions to followers and write transactions to the leader;
    ``bolt://`` talks to a single server, which serves both.
    """
    driver = neo4j.GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password),
        connection_timeout=settings.connection_timeout,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=settings.max_transaction_retry_time,
        max_connection_pool_size=settings.max_connection_pool_size,
        user_agent="tansiq",
        # "property key does not exist" on a fresh database is expected, not worth a log line.
        notifications_disabled_classifications=[
            neo4j.NotificationDisabledClassification.UNRECOGNIZED
        ],
    )
    disconnect()
    config = get_config()
    config.database_name = settings.database
    # neomodel adopts the driver on its first query (schema installation only).
    config.driver = driver
    _state["driver"] = driver
    _state["database"] = settings.database


def disconnect() -> None:
    """Close the driver we created, if any."""
    driver = _state.pop("driver", None)
    _state.pop("database", None)
    if driver is not None:
        db.close_connection()
        get_config().driver = None
        driver.close()


def ping() -> None:
    """Raise DatabaseUnavailable unless the server answers a trivial query."""
    try:
        read(run, "RETURN 1 AS ok")
    except UNAVAILABLE_ERRORS as exc:
        raise DatabaseUnavailable(str(exc)) from exc


# --- units of work ---------------------------------------------------------------------------


@dataclass
class _Open:
    tx: Any  # neo4j.ManagedTransaction or neo4j.Transaction
    writes: bool


_current: ContextVar[_Open | None] = ContextVar("tansiq_transaction", default=None)


def read(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``work(*args, **kwargs)`` in a read transaction (retried on transient errors)."""
    return _managed(False, work, args, kwargs)


def write(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``work(*args, **kwargs)`` in one write transaction (retried on transient errors)."""
    return _managed(True, work, args, kwargs)


def in_transaction() -> bool:
    """True inside a unit of work (``read``, ``write`` or ``atomic``)."""
    return _current.get() is not None


def in_read_transaction() -> bool:
    """True inside a read unit of work, where writes are refused."""
    current = _current.get()
    return current is not None and not current.writes


def write_apart(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``work`` in a write transaction of its own, even inside another unit of work.

    It commits whatever becomes of the enclosing one: for the trace of a refusal, which must
    survive the rollback of the request it refuses, or the audit of a consultation made in a
    read transaction.
    """
    token = _current.set(None)
    try:
        return write(work, *args, **kwargs)
    finally:
        _current.reset(token)


@contextmanager
def atomic() -> Iterator[None]:
    """A block of writes that commit together: joins the open write transaction, or opens one.

    For multi-statement writes of ``graph`` modules that may also be called outside a use case
    (seeds, CLI). Unlike ``write`` the block cannot be retried, so use cases prefer ``write``.
    """
    current = _current.get()
    if current is not None:
        if not current.writes:
            raise RuntimeError("a write block cannot run inside a read transaction")
        yield
        return
    session = _session(True)
    try:
        tx = session.begin_transaction()
    except ClientError as exc:
        session.close()
        if not _forget_unknown_bookmarks(exc):
            raise
        session = _session(True)
        tx = _begin(session)
    except BaseException:
        session.close()
        raise
    with session:
        with tx:
            token = _current.set(_Open(tx, True))
            try:
                yield
                tx.commit()
            finally:
                _current.reset(token)
        _written(session)


def run(query: str, **params: object) -> list[dict]:
    """Run one parameterised Cypher statement and return its rows as dicts.

    Joins the transaction of the current unit of work; outside one, commits on its own.
    Values keep the driver's types (``neo4j.time.Date``…, nodes as ``neo4j.graph.Node``).
    """
    current = _current.get()
    if current is None:
        return write(run, query, **params)
    _counted(query, params, current.writes)
    result = current.tx.run(query, params)
    return [dict(record.items()) for record in result]


def stream(query: str, **params: object) -> Iterator[dict]:
    """Run one parameterised Cypher statement in the current unit of work and yield its rows
    as dicts as the driver fetches them (memory bounded, for dumps of the whole graph)."""
    current = _current.get()
    if current is None:
        raise RuntimeError("stream() needs a unit of work (read, write or atomic)")
    _counted(query, params, current.writes)
    for record in current.tx.run(query, params):
        yield dict(record.items())


def _managed(writes: bool, work: Callable[..., T], args: tuple, kwargs: dict) -> T:
    current = _current.get()
    if current is not None:
        if writes and not current.writes:
            raise RuntimeError("a write unit of work cannot run inside a read transaction")
        return work(*args, **kwargs)

    def in_tx(tx) -> T:
        token = _current.set(_Open(tx, writes))
        try:
            return work(*args, **kwargs)
        finally:
            _current.reset(token)

    try:
        return _run_managed(writes, in_tx)
    except ClientError as exc:
        if not _forget_unknown_bookmarks(exc):
            raise
        return _run_managed(writes, in_tx)


def _run_managed(writes: bool, in_tx: Callable[[Any], T]) -> T:
    with _session(writes) as session:
        if not writes:
            return session.execute_read(in_tx)
        result = session.execute_write(in_tx)
        _written(session)
        return result


def _session(writes: bool) -> neo4j.Session:
    driver = _state.get("driver")
    if driver is None:
        raise DatabaseUnavailable("no database connection: call graph.database.connect first")
    following = _causal.get()
    return driver.session(
        database=_state.get("database"),
        default_access_mode=neo4j.WRITE_ACCESS if writes else neo4j.READ_ACCESS,
        bookmark_manager=driver.execute_query_bookmark_manager,
        # The user's own bookmarks (from other processes), on top of this process's.
        bookmarks=(
            neo4j.Bookmarks.from_raw_values(following.bookmarks)
            if following is not None and following.bookmarks
            else None
        ),
    )


# --- one user's writes across processes ------------------------------------------------------

# At most this many bookmarks are carried (a cluster gives one per database written to) and
# each at most this long: they travel in a cookie.
MAX_BOOKMARKS = 4
MAX_BOOKMARK_LENGTH = 512
INVALID_BOOKMARK_ERRORS = frozenset(
    {
        "Neo.ClientError.Transaction.InvalidBookmark",
        "Neo.ClientError.Transaction.InvalidBookmarkMixture",
    }
)


@dataclass
class Causal:
    """The bookmarks one user's requests carry: every unit of work of the request starts after
    them (a follower serving it first applies the writes they name), and each write the
    request commits replaces them. ``changed`` says they must be handed back to the client."""

    bookmarks: tuple[str, ...] = ()
    changed: bool = False


_causal: ContextVar[Causal | None] = ContextVar("tansiq_causal", default=None)


def clean_bookmarks(values: object) -> tuple[str, ...]:
    """The bookmarks worth carrying from what a client sent back: strings of a sane length,
    without repeats, the last ``MAX_BOOKMARKS`` of them; anything else is dropped."""
    if not isinstance(values, (list, tuple)):
        return ()
    kept = [
        value
        for value in values
        if isinstance(value, str) and 0 < len(value) <= MAX_BOOKMARK_LENGTH
    ]
    return tuple(dict.fromkeys(kept))[-MAX_BOOKMARKS:]


def follow(bookmarks: Iterable[str] | object) -> Any:
    """Start following one user's bookmarks in this context (a request); returns the token
    for ``stop_following``."""
    return _causal.set(Causal(clean_bookmarks(bookmarks)))


def stop_following(token: Any) -> None:
    """End what ``follow`` started."""
    _causal.reset(token)


def causal() -> Causal | None:
    """The bookmarks followed in this context, if any (the web layer saves them back)."""
    return _causal.get()


def _begin(session: neo4j.Session) -> Any:
    """A transaction of ``session``, which is closed if none can be begun."""
    try:
        return session.begin_transaction()
    except BaseException:
        session.close()
        raise


def _forget_unknown_bookmarks(exc: ClientError) -> bool:
    """A bookmark the server does not know (a restored or replaced database, another
    database's bookmark) refused the transaction: forget the user's bookmarks so that the
    work runs once more without them. False when ``exc`` is another error."""
    following = _causal.get()
    if exc.code not in INVALID_BOOKMARK_ERRORS or following is None or not following.bookmarks:
        return False
    following.bookmarks = ()
    following.changed = True
    return True


def _written(session: neo4j.Session) -> None:
    """A write committed in ``session``: the user now follows its bookmark."""
    following = _causal.get()
    if following is None:
        return
    bookmarks = clean_bookmarks(list(session.last_bookmarks().raw_values))
    if bookmarks and bookmarks != following.bookmarks:
        following.bookmarks = bookmarks
        following.changed = True


# --- round trips -----------------------------------------------------------------------------


@dataclass
class RoundTrips:
    """How many statements were sent to the server while the counter was open, and, when
    opened with ``record=True``, each of them as ``(query, params, writes)`` (for the
    benchmark, which replays a page's statements on the raw driver)."""

    count: int = 0
    statements: list[tuple[str, dict, bool]] | None = None


_counters: list[RoundTrips] = []


def _counted(query: str, params: dict, writes: bool) -> None:
    for counter in _counters:
        counter.count += 1
        if counter.statements is not None:
            counter.statements.append((query, dict(params), writes))


@contextmanager
def count_round_trips(record: bool = False) -> Iterator[RoundTrips]:
    """Count the statements sent in the block (for tests and benchmarks); with ``record``,
    keep them too. Counters are process-wide: open one where a single thread sends."""
    counter = RoundTrips(statements=[] if record else None)
    _counters.append(counter)
    try:
        yield counter
    finally:
        _counters.remove(counter)


_state: dict[str, Any] = {}
