"""What changed in a record, in the form the audit trail keeps it."""

from __future__ import annotations

import json
from datetime import date, datetime

from graph import audit as audit_store

__all__ = ["RECORD_ACTIONS", "changes", "record_history"]

# Derived or technical fields never shown as changes.
_IGNORED = frozenset(
    {"search_key", "name_key", "version", "updated_at", "created_at", "uid", "_lock"}
)


def changes(before: dict, after: dict) -> dict[str, list]:
    """``{field: [old, new]}`` for every field of ``after`` whose value differs from ``before``."""
    diff = {}
    for key, new in after.items():
        if key in _IGNORED:
            continue
        old = before.get(key)
        if _plain(old) != _plain(new):
            diff[key] = [_plain(old), _plain(new)]
    return diff


def _plain(value):
    if value in (None, ""):
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


# Actions that change a record, as its history shows them.
RECORD_ACTIONS = ("create", "update", "merge", "privacy")


def record_history(uids: list[str], limit: int = 200) -> list[dict]:
    """Who created and changed the records ``uids`` (a record and the ones merged into it),
    and what changed, newest first. The caller has checked the actor may see the record."""
    events = audit_store.events_about(uids, list(RECORD_ACTIONS), limit)
    return [{**e, "details": json.loads(e.get("details") or "{}")} for e in events]
