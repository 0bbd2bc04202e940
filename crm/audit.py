"""Who did what, when: recording and reading the audit trail.

An entry joins the write transaction of the use case that makes it (``crm.transactions``):
the change and its trace commit together. Refusals (``denied``) and entries made outside a
write transaction (consultations in a read use case, sign-ins) are written in a
transaction of their own, so they are kept whatever becomes of the request.

The readable text of an entry never names the person it is about: entries refer to records
by kind and uid, and pages resolve the current name when they show them, so anonymising a
person reaches the trail by design.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime

from crm.access import Actor, require_role
from crm.csvcell import safe_cell as _safe_cell
from crm.history import display_name
from crm.pagination import Page, page_bounds
from graph import audit as store
from graph import database

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
    event = {
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
    if action in _KEPT_WHATEVER_HAPPENS or not _joins_a_write():
        return database.write_apart(store.append_event, event)
    return store.append_event(event)


# Actions recorded even when the request they belong to is refused and rolled back.
_KEPT_WHATEVER_HAPPENS = frozenset({"denied", "login_failed"})


def _joins_a_write() -> bool:
    return database.in_transaction() and not database.in_read_transaction()


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
    rows, total = database.read(
        store.search_events,
        action,
        actor_email or None,
        since,
        until,
        target_uid or None,
        skip,
        limit,
    )
    return Page(with_target_names(rows), total, number, limit)


# What the trail calls a record whose name it cannot show (deleted, or another kind).
_KIND_NOUNS = {
    "person": "Personne",
    "organisation": "Organisation",
    "interaction": "Interaction",
    "event": "Événement",
    "report": "Rapport de suivi",
    "snapshot": "Instantané du réseau",
    "network": "Réseau",
    "follow_up": "Suivi",
    "affiliation": "Fonction",
    "partnership": "Partenariat",
    "user": "Compte",
    "setting": "Réglage",
    "commune": "Commune",
    "audit": "Journal",
    "import": "Import de fichier",
}


def with_target_names(events: list[dict]) -> list[dict]:
    """The events with ``target_name`` (the target record's current name, resolved now: the
    stored text never names a person, or the kind's noun when it has none to show) and
    ``actor_name`` (the account's display name; its e-mail stays in ``actor_email``), every
    name read in one round trip."""
    uids = {e[key] for e in events for key in ("target_uid", "actor_uid") if e.get(key)}
    # Communes are named by their HCP code (pilot communes' history).
    codes = {e["target_uid"] for e in events if e.get("target_kind") == "commune"}
    found = database.read(store.names_of, sorted(uids), sorted(codes)) if uids else {}
    names = {key: display_name(row) for key, row in found.items()}
    return [
        {
            **e,
            "target_name": names.get(e.get("target_uid") or "")
            or _KIND_NOUNS.get(e.get("target_kind", ""), e.get("target_kind", "")),
            "actor_name": names.get(e.get("actor_uid") or "") or e.get("actor_email", ""),
        }
        for e in events
    ]


def export_csv(actor: Actor, **filters) -> str:
    """The filtered trail as CSV (administrators and managers); the export is itself recorded."""
    require_role(actor, "admin", "manager")
    page = search(actor, page=1, per_page=10_000, **filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["date", "action", "par", "type de cible", "cible", "identifiant", "résumé", "adresse"]
    )
    for e in page.items:
        # Every cell: even an e-mail typed at the sign-in form is somebody's text.
        writer.writerow(
            _safe_cell(str(value))
            for value in (
                e["at"].iso_format() if e.get("at") else "",
                ACTIONS.get(e["action"], e["action"]),
                e.get("actor_email", ""),
                _KIND_NOUNS.get(e.get("target_kind", ""), e.get("target_kind", "")),
                e.get("target_name", ""),
                e.get("target_uid", ""),
                e.get("summary", ""),
                e.get("address", ""),
            )
        )
    record(
        actor,
        "export",
        target_kind="audit",
        summary=f"Export du journal ({len(page.items)} événements)",
        details={"filters": {k: v for k, v in filters.items() if v}, "count": len(page.items)},
    )
    return out.getvalue()


def _without_secrets(value):
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _SECRET_KEYS}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value
