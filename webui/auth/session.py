"""Who is signed in: flask-login glue around ``crm.users``, and the rules of a session.

Session rules
    * Signing in starts a new session (nothing carried over: no fixation) stamped with the time
      of sign-in and the time of the last request, moved at most once a minute
      (``SEEN_AT_STEP``). The session lives in a cookie: a request that changes it sends the
      whole cookie back, so a lookup made while a form is being sent would otherwise write
      back the session it started with over the form's (its "Personne enregistrée." message
      lost). Requests within a minute of the last stamp leave the cookie alone.
    * ``SESSION_IDLE_TIMEOUT`` (30 minutes) without a request, or ``SESSION_ABSOLUTE_TIMEOUT``
      (12 hours) after signing in however active, signs the browser out completely, its
      remember-me cookie included, with the message "Votre session a expiré…".
    * Remember-me ("Rester connecté(e)"): when the browser comes back without a session (it
      was closed), the cookie starts a *new* session with a fresh sign-in time, but only while
      the cookie is younger than ``REMEMBER_COOKIE_DURATION`` (14 days). The server checks that
      age itself, from the sign-in time carried in the flask-login id, not only the browser's
      cookie expiry; a restored session keeps that time, so nothing outlives 14 days after the
      password was typed, and a session that timed out is never brought back by the cookie.
    * The flask-login id is ``<session token>.<sign-in time>``: signing out (``crm.users.sign_out``)
      and deactivation rotate the account's token, which ends every session and every
      remember-me cookie of that user on every device.

Tests move the clock with ``app.config["CLOCK"]``, a callable returning an aware datetime.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, flash, redirect, request, session
from flask_login import (
    UserMixin,
    current_user,
    login_url,
    login_user,
    logout_user,
    user_loaded_from_cookie,
)

from crm import users
from crm.access import Actor
from crm.audit import RequestContext
from webui.extensions import login_manager

__all__ = [
    "SignedInUser",
    "actor",
    "end_session",
    "init_login",
    "now",
    "request_context",
    "start_session",
]

# Requests that need no user and do not count as activity (no database round trip).
UNTRACKED_ENDPOINTS = frozenset({"static", "main.health"})
# Endpoints reachable without signing in (the calendar feed's secret is its own credential).
PUBLIC_ENDPOINTS = frozenset({"auth.login", "calendar.feed"}) | UNTRACKED_ENDPOINTS

SESSION_EXPIRED = "Votre session a expiré : reconnectez-vous pour continuer."
_SIGNED_IN_AT = "signed_in_at"  # POSIX seconds, in the (signed) session cookie
_SEEN_AT = "seen_at"
SEEN_AT_STEP = 60  # seconds: the idle timeout is counted to the minute
_ID_SEPARATOR = "."  # never in a token_urlsafe token


class SignedInUser(UserMixin):
    """The flask-login view of an ``Actor``.

    Its id is ``<session token>.<sign-in time>``: rotating the account's token ends every
    session, remember-me cookies included, and the time lets the server refuse old cookies.
    """

    def __init__(self, actor: Actor, signed_in_at: int | None = None) -> None:
        self.actor = actor
        self.signed_in_at = _timestamp() if signed_in_at is None else signed_in_at

    def get_id(self) -> str:
        return f"{self.actor.session_token}{_ID_SEPARATOR}{self.signed_in_at}"

    @property
    def display_name(self) -> str:
        return self.actor.display_name

    @property
    def can_write(self) -> bool:
        return self.actor.can_write

    @property
    def national(self) -> bool:
        return self.actor.scope.national

    @property
    def role(self) -> str:
        return self.actor.role


def actor() -> Actor:
    """The acting user of the current request (pages behind login only)."""
    return current_user.actor


def now() -> datetime:
    """The current time (UTC), from ``app.config["CLOCK"]`` when a test sets one."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock is not None else datetime.now(UTC)


def request_context() -> RequestContext:
    """Where the current request comes from, for the audit trail and login throttling."""
    return RequestContext(request.remote_addr or "", request.user_agent.string)


def start_session(found: Actor, remember: bool) -> None:
    """Sign ``found`` in on this browser, in a brand-new session."""
    session.clear()
    signed_in_at = _timestamp()
    login_user(SignedInUser(found, signed_in_at), remember=remember)
    session[_SIGNED_IN_AT] = session[_SEEN_AT] = signed_in_at


def end_session() -> None:
    """Sign this browser out: forget its session and delete its remember-me cookie."""
    session.clear()
    logout_user()  # after clear(): it leaves the order to delete the remember-me cookie


def init_login(app: Flask) -> None:
    login_manager.user_loader(_load_user)
    user_loaded_from_cookie.connect(_resume_from_cookie, app)
    app.before_request(_enforce_session_rules)


def _load_user(user_id: str) -> SignedInUser | None:
    token, _, signed_in_at = user_id.rpartition(_ID_SEPARATOR)
    if not token or not signed_in_at.isdigit():
        return None
    max_age = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    if _timestamp() - int(signed_in_at) > max_age:
        return None
    found = users.load_session(token, request.remote_addr or "")
    return SignedInUser(found, int(signed_in_at)) if found else None


def _resume_from_cookie(app: Flask, user: SignedInUser, **_: object) -> None:
    """A remember-me cookie signed the browser in again: start a new session."""
    # login_user stamps the session as this browser's (flask-login's "strong" protection
    # would otherwise drop it at the next request); not fresh: no password was typed.
    login_user(user, fresh=False)
    session[_SIGNED_IN_AT] = session[_SEEN_AT] = _timestamp()
    users.record_remembered_login(user.actor, request_context())


def _enforce_session_rules():
    if request.endpoint is None or request.endpoint in UNTRACKED_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        if not _expired():
            current = _timestamp()
            if current - session[_SEEN_AT] >= SEEN_AT_STEP:
                session[_SEEN_AT] = current
            return None
        end_session()
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None  # e.g. signing in again: carry on, signed out
        flash(SESSION_EXPIRED, "info")
        return redirect(login_url("auth.login", next_url=request.url))
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return login_manager.unauthorized()


def _expired() -> bool:
    signed_in_at, seen_at = session.get(_SIGNED_IN_AT), session.get(_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return True  # a session without its stamps cannot prove its age
    config, current = current_app.config, _timestamp()
    return (
        current - seen_at > config["SESSION_IDLE_TIMEOUT"].total_seconds()
        or current - signed_in_at > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    )


def _timestamp() -> int:
    return int(now().timestamp())
