"""Saved network analyses (``Snapshot`` nodes): written once, read many times, never changed."""

from __future__ import annotations

from datetime import date

from neo4j.exceptions import ConstraintError

from graph.database import run

__all__ = ["NameTaken", "create_snapshot", "get_snapshots", "list_snapshots"]


class NameTaken(Exception):
    """Another snapshot already bears this name."""


def create_snapshot(
    uid: str,
    name: str,
    taken_on: date,
    created_by: str,
    scope_json: str,
    communes: list[str],
    summary_json: str,
) -> None:
    """Store a snapshot; ``NameTaken`` when the name is used (the uniqueness constraint on
    ``Snapshot.name`` decides, so two simultaneous saves cannot both take it)."""
    if run("MATCH (s:Snapshot {name: $name}) RETURN s.uid AS uid", name=name):
        raise NameTaken(name)
    try:
        run(
            """
            CREATE (s:Snapshot {uid: $uid, name: $name, taken_on: $taken_on,
                                created_at: datetime(), created_by: $created_by,
                                scope: $scope, communes: $communes, summary: $summary})
            """,
            uid=uid,
            name=name,
            taken_on=taken_on,
            created_by=created_by,
            scope=scope_json,
            communes=communes,
            summary=summary_json,
        )
    except ConstraintError:
        raise NameTaken(name) from None


def list_snapshots(scope: dict) -> list[dict]:
    """The snapshots whose every commune is in the scope (all of them for a national scope),
    newest first, without their summary."""
    return run(
        """
        MATCH (s:Snapshot)
        WHERE $scope_national OR all(code IN s.communes WHERE code IN $scope_communes)
        OPTIONAL MATCH (u:User {uid: s.created_by})
        RETURN s.uid AS uid, s.name AS name, s.taken_on AS taken_on, s.created_at AS created_at,
               s.scope AS scope, size(s.communes) AS communes, u.display_name AS created_by
        ORDER BY s.taken_on DESC, s.created_at DESC
        """,
        **scope,
    )


def get_snapshots(uids: list[str], scope: dict) -> list[dict]:
    """The snapshots ``uids`` that the scope may read, with their summary."""
    return run(
        """
        MATCH (s:Snapshot) WHERE s.uid IN $uids
          AND ($scope_national OR all(code IN s.communes WHERE code IN $scope_communes))
        RETURN s.uid AS uid, s.name AS name, s.taken_on AS taken_on, s.scope AS scope,
               s.communes AS communes, s.summary AS summary
        """,
        uids=uids,
        **scope,
    )
