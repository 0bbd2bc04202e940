"""What changed in a record, in the form the audit trail keeps it."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["changes"]

# Derived or technical fields never shown as changes.
_IGNORED = frozenset({"search_key", "version", "updated_at", "created_at", "uid", "_lock"})


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
