"""The follow-ups of "Mes suivis": each user's lists (overdue, today, this week, later, done),
the planned interactions they logged, and the actions on a follow-up (done, reopened, given
to someone else). Follow-ups are created and deleted with their interaction
(``graph.interactions``), whose visibility rules apply to what is shown of it."""

from __future__ import annotations

from datetime import date, datetime

from graph.database import atomic, run
from graph.interactions import INTERACTION_MAP, PARTICIPANTS_CLAUSE, interaction_visible

__all__ = [
    "follow_up_access",
    "follow_ups_shown",
    "mark_follow_up_done",
    "planned_logged_by",
    "reassign_follow_up",
    "reopen_follow_up",
]


# Which list of "Mes suivis" a follow-up is in, from its due date (``$today``, ``$week_end``)
# or its done instant; the order of each list: done ones newest first, the others by due date.
_FOLLOW_UP_BUCKET = """
    CASE WHEN f.done_at IS NOT NULL THEN 'done'
         WHEN f.due < $today THEN 'overdue'
         WHEN f.due = $today THEN 'today'
         WHEN f.due <= $week_end THEN 'week'
         ELSE 'later' END
"""


def follow_ups_shown(
    user_uid: str, done_since: datetime, today: date, week_end: date, scope: dict,
    slices: dict[str, tuple[int, int]],
) -> dict[str, dict]:  # fmt: skip
    """The follow-ups assigned to the user, list by list (``overdue``, ``today``, ``week``,
    ``later``, and ``done`` since the instant ``done_since``): for each list its ``total``
    and the ``items`` of the slice ``(skip, limit)`` that ``slices`` asks for, as
    ``uid``, ``what``, ``due``, ``done_at``, the interaction (``interaction_uid``, ``kind``,
    ``date``, its ``summary`` only when ``visible`` under ``scope``, ``logged_by_name``) and
    its ``people`` and ``organisations`` that are visible. Interactions and participants are
    read for the items shown only: the page costs what it shows, not what the user has.
    """
    rows = run(
        """
        MATCH (f:FollowUp)-[:ASSIGNED_TO]->(:User {uid: $user_uid})
        WHERE f.done_at IS NULL OR f.done_at >= $done_since
        WITH f, """
        + _FOLLOW_UP_BUCKET
        + """ AS bucket
        ORDER BY CASE WHEN f.done_at IS NOT NULL THEN f.done_at END DESC, f.due, f.created_at
        WITH bucket, collect(f) AS follow_ups
        WITH bucket, size(follow_ups) AS total,
             follow_ups[$slices[bucket][0]..$slices[bucket][0] + $slices[bucket][1]] AS shown
        CALL (shown) {
            UNWIND range(0, size(shown) - 1) AS n
            WITH n, shown[n] AS f
            MATCH (f)-[:ABOUT]->(i:Interaction)
            """
        + PARTICIPANTS_CLAUSE
        + """
            WITH n, f, i, people, organisations, logger ORDER BY n
            RETURN collect({
                uid: f.uid, what: f.what, due: f.due, done_at: f.done_at,
                interaction_uid: i.uid, kind: i.kind, date: i.date,
                summary: CASE WHEN size(people) + size(organisations) > 0 THEN i.summary END,
                visible: size(people) + size(organisations) > 0,
                logged_by_name: logger.display_name, people: people,
                organisations: organisations}) AS items
        }
        RETURN bucket, total, items
        """,
        user_uid=user_uid,
        done_since=done_since,
        today=today,
        week_end=week_end,
        slices={name: [skip, limit] for name, (skip, limit) in slices.items()},
        **scope,
    )
    return {row["bucket"]: {"total": row["total"], "items": row["items"]} for row in rows}


def follow_up_access(uid: str, scope: dict) -> dict | None:
    """Who a follow-up concerns, whether it is done, and whether its interaction is visible."""
    rows = run(
        """
        MATCH (f:FollowUp {uid: $uid})-[:ABOUT]->(i:Interaction)
        OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(a:User)
        OPTIONAL MATCH (i)<-[:LOGGED]-(l:User)
        RETURN f.what AS what, f.done_at IS NOT NULL AS done, a.uid AS assignee_uid,
               a.display_name AS assignee_name, l.uid AS logged_by_uid,
               """
        + interaction_visible("i")
        + " AS visible",
        uid=uid,
        **scope,
    )
    return rows[0] if rows else None


def mark_follow_up_done(uid: str) -> bool:
    """Mark an open follow-up done; False if it was already done (or is gone)."""
    rows = run(
        """
        MATCH (f:FollowUp {uid: $uid}) WHERE f.done_at IS NULL
        SET f.done_at = datetime(), f.updated_at = datetime()
        RETURN f.uid AS uid
        """,
        uid=uid,
    )
    return bool(rows)


def reopen_follow_up(uid: str) -> bool:
    """Undo "done" on a follow-up; False if it is open already (or gone)."""
    rows = run(
        """
        MATCH (f:FollowUp {uid: $uid}) WHERE f.done_at IS NOT NULL
        REMOVE f.done_at
        SET f.updated_at = datetime()
        RETURN f.uid AS uid
        """,
        uid=uid,
    )
    return bool(rows)


def planned_logged_by(
    user_uid: str, scope: dict, skip: int = 0, limit: int = 10**9
) -> tuple[list[dict], int]:
    """The planned interactions the user logged and can still see, soonest first (those
    whose date has passed, still to be marked held or cancelled, come first; then by uid, so
    that two pages never overlap), found by the index of (``logger_uid``, status): the slice
    ``skip``, ``limit`` of them, read with their participants, and how many there are."""
    rows = run(
        """
        MATCH (i:Interaction {logger_uid: $user_uid, status: 'planned'})
        USING INDEX i:Interaction(logger_uid, status)
        WHERE """
        + interaction_visible("i")
        + """
        WITH i ORDER BY i.date, i.start_time, i.uid
        WITH collect(i) AS planned
        CALL (planned) {
            UNWIND range($skip, size(planned) - 1) AS n
            WITH n, planned[n] AS i LIMIT $limit
            """
        + PARTICIPANTS_CLAUSE
        + """
            WITH n, i, people, organisations, logger, place ORDER BY n
            RETURN collect("""
        + INTERACTION_MAP
        + """) AS items
        }
        RETURN size(planned) AS total, items
        """,
        user_uid=user_uid,
        skip=skip,
        limit=limit,
        **scope,
    )
    return rows[0]["items"], rows[0]["total"]


def reassign_follow_up(uid: str, assignee_uid: str) -> bool:
    """Give an open follow-up to another active user; False if either is gone or it is done."""
    with atomic():
        rows = run(
            """
            MATCH (f:FollowUp {uid: $uid}) WHERE f.done_at IS NULL
            MATCH (a:User {uid: $assignee_uid}) WHERE a.active
            OPTIONAL MATCH (f)-[old:ASSIGNED_TO]->(:User)
            DELETE old
            WITH DISTINCT f, a
            CREATE (f)-[:ASSIGNED_TO]->(a)
            SET f.updated_at = datetime()
            RETURN f.uid AS uid
            """,
            uid=uid,
            assignee_uid=assignee_uid,
        )
        return bool(rows)
