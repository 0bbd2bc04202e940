"""Application users stored in the graph, and the counters that throttle failed sign-ins."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from graph.database import run

__all__ = [
    "clear_login_failures",
    "count_users",
    "create_user",
    "deactivate_user",
    "find_user_by_email",
    "find_user_by_session",
    "login_blocked_until",
    "purge_login_throttles",
    "record_login_failure",
    "rotate_session_token",
    "touch_login",
]

_PUBLIC = (
    "u.uid AS uid, u.email AS email, u.display_name AS display_name, u.role AS role, "
    "u.active AS active, u.session_token AS session_token, u.password_hash AS password_hash"
)


def create_user(props: dict) -> str:
    """A new account, in the current unit of work (so it commits with its audit entry)."""
    uid = uuid.uuid4().hex
    run(
        """
        CREATE (u:User)
        SET u = $props, u.uid = $uid, u.active = true, u.created_at = datetime(),
            u.updated_at = datetime(), u.version = 1
        """,
        props=props,
        uid=uid,
    )
    return uid


def find_user_by_email(email: str) -> dict | None:
    rows = run("MATCH (u:User {email: $email}) RETURN " + _PUBLIC, email=email)
    return rows[0] if rows else None


def find_user_by_session(session_token: str) -> dict | None:
    """The user holding this session token, with the commune codes their territory covers."""
    rows = run(
        """
        MATCH (u:User {session_token: $token})
        OPTIONAL MATCH (u)-[:COVERS]->(t)
        OPTIONAL MATCH (c:Commune)-[:IN*0..2]->(t)
        WITH u, count(t) > 0 AS territory_set, collect(DISTINCT c.code) AS communes
        RETURN """
        + _PUBLIC
        + ", territory_set, communes",
        token=session_token,
    )
    return rows[0] if rows else None


def touch_login(uid: str, password_hash: str | None = None) -> None:
    """Record a successful login (and a re-hashed password when parameters changed)."""
    run(
        """
        MATCH (u:User {uid: $uid})
        SET u.last_login_at = datetime(),
            u.password_hash = coalesce($password_hash, u.password_hash)
        """,
        uid=uid,
        password_hash=password_hash,
    )


def count_users(role: str | None = None) -> int:
    return run(
        "MATCH (u:User) WHERE $role IS NULL OR u.role = $role RETURN count(u) AS n", role=role
    )[0]["n"]


def rotate_session_token(uid: str, session_token: str) -> bool:
    """Give the user a new session token (every session and remember-me cookie ends)."""
    return bool(
        run(
            "MATCH (u:User {uid: $uid}) SET u.session_token = $token RETURN count(u) AS n",
            uid=uid,
            token=session_token,
        )[0]["n"]
    )


def deactivate_user(uid: str, session_token: str) -> bool:
    """Mark the account inactive and rotate its session token, in one statement."""
    return bool(
        run(
            """
            MATCH (u:User {uid: $uid})
            SET u.active = false, u.session_token = $token,
                u.updated_at = datetime(), u.version = u.version + 1
            RETURN count(u) AS n
            """,
            uid=uid,
            token=session_token,
        )[0]["n"]
    )


# --- login throttling ------------------------------------------------------------------------
# One (:LoginThrottle {key}) node per account or address that failed to sign in recently. Every
# web worker reads and writes the same nodes, so a lockout holds whichever process answers.


def login_blocked_until(keys: list[str], now: datetime) -> datetime | None:
    """The latest end of a block still running at ``now`` on any of ``keys``, or None."""
    until = run(
        """
        MATCH (t:LoginThrottle) WHERE t.key IN $keys AND t.blocked_until > $now
        RETURN max(t.blocked_until) AS until
        """,
        keys=keys,
        now=now,
    )[0]["until"]
    return until.to_native() if until is not None else None


def record_login_failure(
    key: str, now: datetime, window: timedelta, limit: int, block: timedelta
) -> datetime | None:
    """Count one failure on ``key``; block it for ``block`` once ``limit`` failures fall within
    one ``window``. Returns the end of a block running at ``now``, or None.

    One statement: the MERGE creates the counter once (uniqueness constraint on ``key``), and
    the first SET takes the node's write lock before the counter is read, so concurrent
    failures from several workers are all counted.
    """
    until = run(
        """
        MERGE (t:LoginThrottle {key: $key})
        ON CREATE SET t.failures = 0, t.window_start = $now
        SET t.updated_at = $now
        WITH t, t.window_start + $window <= $now AS expired
        WITH t, CASE WHEN expired THEN 1 ELSE t.failures + 1 END AS failures,
             CASE WHEN expired THEN $now ELSE t.window_start END AS window_start
        SET t.failures = failures, t.window_start = window_start,
            t.blocked_until = CASE WHEN failures >= $limit THEN $now + $block
                                   ELSE t.blocked_until END
        RETURN CASE WHEN t.blocked_until > $now THEN t.blocked_until END AS until
        """,
        key=key,
        now=now,
        window=window,
        limit=limit,
        block=block,
    )[0]["until"]
    return until.to_native() if until is not None else None


def clear_login_failures(key: str) -> None:
    run("MATCH (t:LoginThrottle {key: $key}) DELETE t", key=key)


def purge_login_throttles(idle_since: datetime) -> int:
    """Delete the counters not touched since ``idle_since`` (their windows and blocks are over)."""
    return run(
        """
        MATCH (t:LoginThrottle) WHERE t.updated_at < $idle_since
        DELETE t
        RETURN count(*) AS n
        """,
        idle_since=idle_since,
    )[0]["n"]
