"""Who did what, when: recording and reading the audit trail."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime

from crm.access import Actor, require_role
from crm.pagination import Page, page_bounds
from graph import audit as store

__all__ = ["ACTIONS", "RequestContext", "export_csv", "record", "search"]

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


def export_csv(actor: Actor, **filters) -> str:
    """The filtered trail as CSV (administrators and managers); the export is itself recorded."""
    require_role(actor, "admin", "manager")
    page = search(actor, page=1, per_page=10_000, **filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "action", "par", "cible", "identifiant", "résumé", "adresse"])
    for e in page.items:
        writer.writerow(
            [
                e["at"].iso_format() if e.get("at") else "",
                ACTIONS.get(e["action"], e["action"]),
                e.get("actor_email", ""),
                e.get("target_kind", ""),
                e.get("target_uid", ""),
                _safe_cell(e.get("summary", "")),
                e.get("address", ""),
            ]
        )
    record(
        actor,
        "export",
        target_kind="audit",
        summary=f"Export du journal ({len(page.items)} événements)",
        details={"filters": {k: v for k, v in filters.items() if v}, "count": len(page.items)},
    )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _without_secrets(value):
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _SECRET_KEYS}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value
