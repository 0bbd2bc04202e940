"""The personal calendar: an ICS feed of the events in the user's scope and of their open
follow-ups, read by calendar software through a secret URL.

The secret is made when the user asks for it, shown to them once and never stored: the
account keeps its SHA-256 (``User.calendar_token_hash``). The feed works without a session
cookie (calendar software has none) and shows exactly what the account may see now: its
role and territory are read at every request, so a change of territory is reflected at the
next refresh, and the feed stops answering (404, traced) when the secret is rotated or
switched off, or the account deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event, vText

from crm import audit, clock
from crm.access import Actor
from crm.errors import NotFound
from crm.transactions import reads, writes
from crm.users import actor_from_account
from graph import calendar as store
from graph.vocabulary import EVENT_KINDS

__all__ = ["feed", "rotate", "switch_off"]

PAST_DAYS = 90  # events shown from this many days ago
MAX_EVENTS = 2000
MAX_FOLLOW_UPS = 500
_MIN_SECRET = 20


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@writes
def rotate(actor: Actor) -> str:
    """Give the actor a new calendar secret (the old URL stops working) and return it."""
    secret = secrets.token_urlsafe(32)
    store.set_calendar(actor.uid, _hash(secret))
    audit.record(
        actor,
        "update",
        target_kind="user",
        target_uid=actor.uid,
        summary="Nouvelle adresse d'abonnement au calendrier",
    )
    return secret


@writes
def switch_off(actor: Actor) -> None:
    """Switch the actor's calendar feed off (its URL answers 404 from now on)."""
    store.set_calendar(actor.uid, None)
    audit.record(
        actor,
        "update",
        target_kind="user",
        target_uid=actor.uid,
        summary="Abonnement au calendrier désactivé",
    )


@reads
def feed(secret: str, page_url: str = "", today: date | None = None) -> bytes:
    """The ICS calendar of the account holding ``secret``; NotFound (traced, without the
    secret) when no active account does. ``page_url``: the site's root, for the links."""
    row = store.find_user_by_calendar(_hash(secret)) if len(secret) >= _MIN_SECRET else None
    if row is None or not row["active"]:
        audit.record(None, "denied", target_kind="calendar", summary="Calendrier : lien inconnu")
        raise NotFound("calendar")
    actor = actor_from_account(row)
    today = today or clock.today()
    calendar = Calendar()
    calendar.add("prodid", "-//Tansiq//Calendrier//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Tansiq · {actor.display_name}")
    calendar.add("x-wr-timezone", clock.zone().key if hasattr(clock.zone(), "key") else "UTC")
    stamp = clock.now()
    since = today - timedelta(days=PAST_DAYS)
    for row in store.calendar_events(actor.scope.as_params(), since, MAX_EVENTS):
        calendar.add_component(_event(row, stamp, page_url))
    for row in store.calendar_follow_ups(actor.uid, MAX_FOLLOW_UPS):
        calendar.add_component(_follow_up(row, stamp, page_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(row: dict, stamp: datetime, page_url: str) -> Event:
    event = Event()
    event.add("uid", f"event-{row['uid']}@tansiq")
    event.add("dtstamp", stamp)
    start, end = _moment(row["starts_at"]), _moment(row["ends_at"])
    event.add("dtstart", start)
    if isinstance(start, datetime):
        event.add("dtend", end if isinstance(end, datetime) and end > start else start)
    else:  # whole days: DTEND is the day after the last one
        last = end.date() if isinstance(end, datetime) else end
        event.add("dtend", max(last, start) + timedelta(days=1))
    event.add("summary", row["title"] + (" (annulé)" if row["cancelled"] else ""))
    event.add("status", "CANCELLED" if row["cancelled"] else "CONFIRMED")
    event.add("sequence", max(0, int(row.get("version") or 1) - 1))
    event["location"] = vText(", ".join(x for x in (row.get("venue"), row["commune_name"]) if x))
    event.add("categories", [EVENT_KINDS.get(row["kind"], row["kind"])])
    if page_url:
        event.add("url", f"{page_url.rstrip('/')}/evenements/{row['uid']}")
    return event


def _follow_up(row: dict, stamp: datetime, page_url: str) -> Event:
    event = Event()
    due = row["due"].to_native() if hasattr(row["due"], "to_native") else row["due"]
    event.add("uid", f"follow-up-{row['uid']}@tansiq")
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", "Suivi : " + (row["what"] or ""))
    event.add("categories", ["Suivi"])
    event.add("transp", "TRANSPARENT")
    if page_url:
        event.add("url", f"{page_url.rstrip('/')}/suivis")
    return event


def _moment(stamp: str) -> datetime | date:
    """A stored "2026-03-10T09:30" as an aware datetime in the programme's zone, or a date."""
    day, _, at = (stamp or "").partition("T")
    found = date.fromisoformat(day)
    if not at:
        return found
    hours, minutes = (int(x) for x in at.split(":")[:2])
    return datetime.combine(found, time(hours, minutes), clock.zone())
