"""Versioned writes shared by every user-edited record (optimistic locking)."""

from __future__ import annotations

from graph.database import run

__all__ = ["EDITABLE_LABELS", "StaleVersion", "update_versioned"]

EDITABLE_LABELS = ("Person", "Organisation", "User", "Interaction", "Event")


class StaleVersion(Exception):
    """The record changed since the caller read it."""

    def __init__(self, current: dict) -> None:
        super().__init__("stale version")
        self.current = current


def _queries(label: str) -> tuple[str, str]:
    # The label comes from EDITABLE_LABELS only; values always travel as parameters.
    lock = (
        "MATCH (n:" + label + " {uid: $uid}) "
        "SET n._lock = true REMOVE n._lock "  # take the write lock before reading the version
        "RETURN n.version AS version, properties(n) AS props"
    )
    write = (
        "MATCH (n:" + label + " {uid: $uid}) "
        "SET n += $props, n.version = n.version + 1, n.updated_at = datetime() "
        "RETURN n.version AS version"
    )
    return lock, write


_QUERIES = {label: _queries(label) for label in EDITABLE_LABELS}


def update_versioned(
    label: str, uid: str, expected_version: int, props: dict
) -> tuple[int, dict] | None:
    """Set ``props`` on the record if its version is still ``expected_version``.

    Must run inside a transaction. Returns ``(new_version, properties_before)``, ``None`` if
    there is no such record, or raises ``StaleVersion`` carrying the record as it is now.
    """
    lock, write = _QUERIES[label]
    rows = run(lock, uid=uid)
    if not rows:
        return None
    if rows[0]["version"] != expected_version:
        raise StaleVersion(rows[0]["props"])
    return run(write, uid=uid, props=props)[0]["version"], rows[0]["props"]
