"""Application users stored in the graph."""

from __future__ import annotations

from graph.database import run
from graph.models import User

__all__ = [
    "count_users",
    "create_user",
    "find_user_by_email",
    "find_user_by_session",
    "touch_login",
]

_PUBLIC = (
    "u.uid AS uid, u.email AS email, u.display_name AS display_name, u.role AS role, "
    "u.active AS active, u.session_token AS session_token, u.password_hash AS password_hash"
)


def create_user(props: dict) -> str:
    return User(**props).save().uid


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
