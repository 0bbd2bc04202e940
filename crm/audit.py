"""Who did what, when: recording and reading the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from crm.access import Actor, require_role
from crm.pagination import Page, page_bounds
from graph import audit as store

__all__ = ["ACTIONS", "RequestContext", "record", "search"]

ACTIONS = store.AUDIT_ACTIONS
# Keys never written to the trail, whatever a caller passes.
_SECRET_KEYS = frozenset({"password", "password_hash", "session_token", "csrf_token", "token"})


@dataclass(frozen=True)
class RequestContext:
    """Where a request came from, for the trail (set by the web layer)."""

    address: str = ""
    user_agent: str = ""


def record(
    actor: Actor | None,
    action: str,
    *,
    target_kind: str = "",
    target_uid: str = "",
    summary: str = "",
    details: dict | None = None,
    actor_email: str = "",
    context: RequestContext | None = None,
) -> str:
    """Append one event. ``details`` must be JSON-serialisable; secrets are dropped."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    context = context or RequestContext()
    return store.append_event(
        {
            "action": action,
            "actor_uid": actor.uid if actor else "",
            "actor_email": actor.email if actor else actor_email,
            "target_kind": target_kind,
            "target_uid": target_uid,
            "summary": summary,
            "details": json.dumps(_without_secrets(details or {}), default=str, ensure_ascii=False),
            "address": context.address,
            "user_agent": context.user_agent[:200],
        }
    )


def search(
    actor: Actor,
    action: str | None = None,
    actor_email: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    target_uid: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Events, newest first. Administrators and managers only."""
    require_role(actor, "admin", "manager")
    if action not in ACTIONS:
        action = None
    number, skip, limit = page_bounds(page, per_page)
    rows, total = store.search_events(
        action, actor_email or None, since, until, target_uid or None, skip, limit
    )
    return Page(rows, total, number, limit)


def _without_secrets(value):
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _SECRET_KEYS}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value
