"""Integration tests of the local Neo4j launcher against the real Neo4j 5.26 engine (no mocks).

Each engine start costs a few seconds, so the tests are few and each covers a whole scenario.
"""

from __future__ import annotations

import secrets
import socket
import stat
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from graph.local_neo4j import (
    PASSWORD_FILE_NAME,
    LocalNeo4j,
    Neo4jStartError,
    PortInUseError,
    free_port,
    port_in_use,
)

pytestmark = pytest.mark.integration


def _count_markers(neo: LocalNeo4j) -> int:
    with GraphDatabase.driver(neo.uri, auth=(neo.user, neo.password)) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n:LauncherTest {name: 'persisted'}) RETURN count(n) AS c"
        )
        return int(records[0]["c"])


def test_start_query_stop_restart_keeps_data_and_password(tmp_path: Path) -> None:
    data_dir = tmp_path / "neo4j"
    port = free_port()
    neo = LocalNeo4j(data_dir, bolt_port=port)

    # A generated password is stored privately for the next starts.
    password_file = data_dir / PASSWORD_FILE_NAME
    assert password_file.read_text().strip() == neo.password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600

    neo.start()
    try:
        assert neo.is_running()
        assert neo.uri == f"bolt://127.0.0.1:{port}"
        assert port_in_use(port)

        with GraphDatabase.driver(neo.uri, auth=(neo.user, neo.password)) as driver:
            records, _, _ = driver.execute_query(
                "CREATE (n:LauncherTest {name: 'persisted'}) RETURN n.name AS name"
            )
            assert records[0]["name"] == "persisted"

        # Authentication is really enabled: a wrong password is refused by Bolt.
        with GraphDatabase.driver(neo.uri, auth=(neo.user, "not-the-password")) as driver:
            with pytest.raises(AuthError):
                driver.verify_connectivity()

        # A second engine on the same data cannot start (store lock) and says why.
        other = LocalNeo4j(data_dir, bolt_port=free_port())
        with pytest.raises(Neo4jStartError, match="(?i)lock"):
            other.start(timeout=120)
        assert not other.is_running()
    finally:
        neo.stop()

    assert not neo.is_running()
    assert not port_in_use(port), "the Bolt port must be released after stop()"

    # Restart on the same data, without giving a password: the stored one is reused.
    with LocalNeo4j(data_dir, bolt_port=port) as again:
        assert again.password == neo.password
        assert _count_markers(again) == 1
    assert not port_in_use(port)


def test_start_on_busy_port_raises_port_in_use(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert port_in_use(port)

        neo = LocalNeo4j(tmp_path / "neo4j", bolt_port=port)
        with pytest.raises(PortInUseError) as info:
            neo.start()
        assert not neo.is_running()

    message = str(info.value)
    assert str(port) in message
    assert "TANSIQ_NEO4J_BOLT_PORT" in message


def test_password_that_looks_like_an_option_starts_and_authenticates(tmp_path: Path) -> None:
    # A leading '-' (1 generated password in 64 before the fix) and '@' (an argument file for
    # picocli) must reach Neo4j as a plain value, not be parsed as an option.
    password = "--help-@tansiq-" + secrets.token_urlsafe(9)
    with LocalNeo4j(tmp_path / "neo4j", bolt_port=free_port(), password=password) as neo:
        with GraphDatabase.driver(neo.uri, auth=(neo.user, password)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one")
            assert records[0]["one"] == 1
    assert not neo.is_running()


def test_generated_passwords_never_look_like_an_option(tmp_path: Path) -> None:
    passwords = {LocalNeo4j(tmp_path / str(i)).password for i in range(300)}
    assert len(passwords) == 300
    for password in passwords:
        assert password[0].isalnum(), password
        assert len(password) >= 32
