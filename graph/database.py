"""Connection to Neo4j: one driver per process, handed to neomodel."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired
from neomodel import db, get_config

__all__ = [
    "ConnectionSettings",
    "DatabaseUnavailable",
    "connect",
    "disconnect",
    "ping",
    "run",
]

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
    uri: str
    user: str
    password: str
    database: str | None = None

    def describe(self) -> str:
        """The address without credentials, safe to show in messages."""
        return self.uri


def connect(settings: ConnectionSettings) -> None:
    """Point neomodel at the server; no network traffic until the first query.

    ``neo4j://`` routing URIs are passed through untouched, so reads can reach cluster
    followers; ``bolt://`` talks to a single server.
    """
    driver = neo4j.GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password),
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=5.0,
        user_agent="tansiq",
        # "property key does not exist" on a fresh database is expected, not worth a log line.
        notifications_disabled_classifications=[
            neo4j.NotificationDisabledClassification.UNRECOGNIZED
        ],
    )
    disconnect()
    config = get_config()
    config.database_name = settings.database
    # neomodel adopts the driver on its first query, so nothing here waits for the server.
    config.driver = driver
    _state["driver"] = driver


def disconnect() -> None:
    """Close the driver we created, if any."""
    driver = _state.pop("driver", None)
    if driver is not None:
        db.close_connection()
        get_config().driver = None
        driver.close()


def ping() -> None:
    """Raise DatabaseUnavailable unless the server answers a trivial query."""
    try:
        run("RETURN 1 AS ok")
    except UNAVAILABLE_ERRORS as exc:
        raise DatabaseUnavailable(str(exc)) from exc


def run(query: str, **params: object) -> list[dict]:
    """Run one parameterised Cypher statement and return its rows as dicts.

    It joins the current neomodel transaction when one is open.
    """
    rows, columns = db.cypher_query(query, params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


_state: dict[str, neo4j.Driver] = {}
