"""Shared fixtures.

Integration and browser tests run against one real Neo4j per test run: a throwaway engine
started on a free port in a temporary directory, or the server named by ``NEO4J_URI``. Between
tests every record is wiped except the administrative geography, which is loaded once.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.database import ConnectionSettings, connect, disconnect, run


class _ServerNotifications(logging.Handler):
    """Collects the warnings Neo4j attaches to queries (deprecations, bad hints)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_notifications = _ServerNotifications()
logging.getLogger("neo4j.notifications").addHandler(_notifications)


@pytest.fixture(autouse=True)
def no_server_warnings() -> Iterator[None]:
    """Like filterwarnings=error, for Neo4j: a deprecated Cypher construct fails the test."""
    _notifications.messages.clear()
    yield
    assert not _notifications.messages, _notifications.messages[0][:500]


# A node that marks a database as belonging to the test suite, so it may be wiped.
_TEST_MARKER = "TansiqTestDatabase"


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConnectionSettings]:
    if os.environ.get("NEO4J_URI"):
        settings = ConnectionSettings(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
        connect(settings)
        _refuse_foreign_data()
        yield settings
        disconnect()
        return

    from graph.local_neo4j import LocalNeo4j, free_port

    data_dir = Path(tempfile.mkdtemp(prefix="tansiq-neo4j-", dir=tmp_path_factory.getbasetemp()))
    server = LocalNeo4j(data_dir, bolt_port=free_port(), heap="768m", pagecache="128m")
    server.start()
    _local_server.append(server)
    try:
        settings = ConnectionSettings(uri=server.uri, user=server.user, password=server.password)
        connect(settings)
        run("MERGE (:" + _TEST_MARKER + ")")
        yield settings
        disconnect()
    finally:
        _local_server.clear()
        server.stop()


_local_server: list = []  # the LocalNeo4j started by ``neo4j_settings``, if any


@pytest.fixture
def neo4j_server(clean_db: ConnectionSettings) -> Iterator:
    """The test run's own Neo4j (``graph.local_neo4j.LocalNeo4j``), for a test that stops and
    starts it again on the same data (an outage in the middle of a write). Afterwards it is
    running again and the process is connected to it, whatever the test did. Skipped when
    the tests run against a server named by ``NEO4J_URI``."""
    if not _local_server:
        pytest.skip("needs the test run's own Neo4j (NEO4J_URI is set)")
    server = _local_server[0]
    yield server
    if not server.is_running():
        server.start()
    connect(clean_db)


@pytest.fixture(scope="session")
def graph_db(neo4j_settings: ConnectionSettings) -> ConnectionSettings:
    """The schema installed and the geography loaded, once per run."""
    from graph.schema import install_schema
    from seeds import geography

    install_schema()
    geography.load()
    return neo4j_settings


@pytest.fixture
def clean_db(graph_db: ConnectionSettings) -> Iterator[ConnectionSettings]:
    """A database holding only the reference geography, before and after the test.

    A test may point the process-wide driver elsewhere (an app built on another URI), so the
    connection to the test database is restored before wiping.
    """
    connect(graph_db)
    _wipe_working_data()
    yield graph_db
    connect(graph_db)
    stale, unfindable = _stale_last_contacts(), _scope_keys_missing()
    loggers = _loggers_out_of_date()
    _wipe_working_data()
    # Every write of interactions keeps the records' last contact (graph.last_contact), every
    # write of a commune or a function the people's scope keys (graph.scope_keys): a test
    # that leaves one out of date found a write path that does not.
    assert not stale, f"last_contact out of date after the test: {stale[:3]}"
    assert not unfindable, f"scope_key lacks a word after the test: {unfindable[:3]}"
    assert not loggers, f"logger_uid out of date after the test: {loggers[:3]}"


def _stale_last_contacts() -> list[dict]:
    from graph import last_contact

    try:
        return last_contact.out_of_date()
    except Exception:  # noqa: BLE001 - a test that stopped the server: nothing to check
        return []


def _loggers_out_of_date() -> list[dict]:
    from graph import interactions

    try:
        return interactions.loggers_out_of_date()
    except Exception:  # noqa: BLE001 - a test that stopped the server: nothing to check
        return []


def _scope_keys_missing() -> list[dict]:
    from graph import scope_keys

    try:
        return scope_keys.missing()
    except Exception:  # noqa: BLE001 - a test that stopped the server: nothing to check
        return []


def _wipe_working_data() -> None:
    run(
        """
        MATCH (n) WHERE NOT (n:Region OR n:Province OR n:Commune OR n:"""
        + _TEST_MARKER
        + """)
        DETACH DELETE n
        """
    )
    # Pilot communes are the one thing users change on the geography.
    run("MATCH (c:Commune {pilot: true}) SET c.pilot = false REMOVE c.pilot_since")


def _refuse_foreign_data() -> None:
    """Never wipe a server that holds data unless a previous test run marked it as ours."""
    marked = run("MATCH (m:" + _TEST_MARKER + ") RETURN count(m) AS n")[0]["n"]
    if marked:
        return
    if run("MATCH (n) RETURN count(n) AS n")[0]["n"]:
        pytest.exit(
            f"NEO4J_URI={os.environ['NEO4J_URI']} holds data that the test suite did not create; "
            "the tests wipe their database, so point NEO4J_URI at an empty, disposable server.",
            returncode=3,
        )
    run("MERGE (:" + _TEST_MARKER + ")")
