"""The personal calendar feed (ICS): its secret's hash on the account, and what it lists."""

from __future__ import annotations

from datetime import date

from graph.database import run
from graph.scope import events_in_scope

__all__ = ["calendar_events", "calendar_follow_ups", "find_user_by_calendar", "set_calendar"]


def set_calendar(uid: str, token_hash: str | None) -> bool:
    """Store the SHA-256 of the account's calendar secret (None: the feed is switched off)."""
    rows = run(
        "MATCH (u:User {uid: $uid}) SET u.calendar_token_hash = $hash RETURN u.uid AS uid",
        uid=uid,
        hash=token_hash,
    )
    return bool(rows)


def find_user_by_calendar(token_hash: str) -> dict | None:
    """The account whose calendar secret hashes to ``token_hash``, with its territory's
    communes (as ``graph.users.find_user_by_session``), or None."""
    rows = run(
        """
        MATCH (u:User {calendar_token_hash: $hash})
        OPTIONAL MATCH (u)-[:COVERS]->(t)
        OPTIONAL MATCH (c:Commune)-[:IN*0..2]->(t)
        WITH u, count(t) > 0 AS territory_set, collect(DISTINCT c.code) AS communes
        RETURN u.uid AS uid, u.email AS email, u.display_name AS display_name, u.role AS role,
               u.active AS active, u.session_token AS session_token, territory_set, communes
        """,
        hash=token_hash,
    )
    return rows[0] if rows else None


def calendar_events(scope: dict, since: date, limit: int) -> list[dict]:
    """The events of the scope starting on or after ``since``, soonest first."""
    return run(
        events_in_scope("e", national=bool(scope["scope_national"]))
        + """
        WITH e WHERE e.start_date >= $since
        MATCH (e)-[:HELD_IN]->(c:Commune)
        WITH e, c ORDER BY e.start_date, e.starts_at LIMIT $limit
        RETURN e.uid AS uid, e.title AS title, e.kind AS kind, e.starts_at AS starts_at,
               e.ends_at AS ends_at, e.venue AS venue, e.cancelled_at IS NOT NULL AS cancelled,
               e.updated_at AS updated_at, e.version AS version, c.name_fr AS commune_name
        """,
        since=since,
        limit=limit,
        **scope,
    )


def calendar_follow_ups(user_uid: str, limit: int) -> list[dict]:
    """The open follow-ups assigned to the account, soonest due first."""
    return run(
        """
        MATCH (f:FollowUp)-[:ASSIGNED_TO]->(:User {uid: $uid})
        WHERE f.done_at IS NULL
        WITH f ORDER BY f.due LIMIT $limit
        RETURN f.uid AS uid, f.what AS what, f.due AS due, f.created_at AS created_at
        """,
        uid=user_uid,
        limit=limit,
    )
