"""What changed in a record: in the form the audit trail keeps it (``changes``), and as a
record's history shows it (``record_history``: readable rows, labels and names only)."""

from __future__ import annotations

import json
from datetime import date, datetime

from crm import labels
from graph import audit as audit_store

__all__ = ["RECORD_ACTIONS", "changes", "readable", "record_history"]

# Derived or technical fields never shown as changes.
_IGNORED = frozenset(
    {"search_key", "name_key", "scope_key", "version", "updated_at", "created_at", "uid", "_lock"}
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
    and what changed, newest first, as ``readable`` rows. The caller has checked the actor
    may see the record."""
    events = audit_store.events_about(uids, list(RECORD_ACTIONS), limit)
    return readable([{**e, "details": json.loads(e.get("details") or "{}")} for e in events])


def readable(events: list[dict]) -> list[dict]:
    """Events of the trail (``details`` decoded) as a history shows them: ``actor_name`` (the
    account's display name now; its e-mail stays in ``actor_email``) and ``changes``, a list
    of ``{"field", "old", "new"}`` in words: field labels, values through their vocabularies,
    records and accounts by their current name. One round trip resolves every name."""
    # Accounts already named (``events_about`` reads them with the events) need no look-up.
    uids: set[str] = {
        e["actor_uid"] for e in events if e.get("actor_uid") and not e.get("actor_name")
    }
    communes: set[str] = set()
    for event in events:
        for field, values in _changes(event).items():
            if field in labels.NAMED_FIELDS:
                for value in values:
                    items = value if isinstance(value, list) else [value]
                    (communes if field == "commune" else uids).update(str(v) for v in items if v)
    found = audit_store.names_of(sorted(uids), sorted(communes)) if uids or communes else {}
    names = {key: display_name(row) for key, row in found.items()}
    # Outside their own record, people under opposition or anonymised are not named: an
    # event's history lists its participants (``graph.privacy.PERSON_NAMED``).
    unnamed = {key: UNNAMED for key, row in found.items() if row.get("named") is False}
    rows = []
    for event in events:
        kind = event.get("target_kind", "")
        shown = {**names, **unnamed} if kind in _NAMES_OTHERS else names
        rows.append(
            {
                **event,
                "actor_name": event.get("actor_name")
                or names.get(event.get("actor_uid") or "")
                or event.get("actor_email")
                or "—",
                "changes": [
                    {
                        "field": labels.field_label(field, kind),
                        "old": labels.value_text(field, old, kind, shown),
                        "new": labels.value_text(field, new, kind, shown),
                    }
                    for field, (old, new) in _changes(event).items()
                ],
            }
        )
    return rows


UNNAMED = "personne non nommée"
# Kinds of records whose history lists people other than themselves.
_NAMES_OTHERS = frozenset({"event"})


def display_name(row: dict) -> str:
    """The name of a row of ``graph.audit.names_of``: people as "Prénom NOM"."""
    if row.get("kind") == "person":
        return labels.person_name(row.get("first_name"), row.get("last_name"))
    return row.get("name") or ""


def _changes(event: dict) -> dict:
    changed = (event.get("details") or {}).get("changes") or {}
    return changed if isinstance(changed, dict) else {}
