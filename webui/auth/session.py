"""Who is signed in: flask-login glue around ``crm.users``."""

from __future__ import annotations

from flask import Flask, request
from flask_login import UserMixin, current_user

from crm import users
from crm.access import Actor
from webui.extensions import login_manager

__all__ = ["SignedInUser", "actor", "init_login"]

# Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "main.health"})


class SignedInUser(UserMixin):
    """The flask-login view of an ``Actor``. Its id is the session token, so rotating the
    token on the account ends every session, remember-me cookies included."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def get_id(self) -> str:
        return self.actor.session_token

    @property
    def display_name(self) -> str:
        return self.actor.display_name

    @property
    def can_write(self) -> bool:
        return self.actor.can_write


def actor() -> Actor:
    """The acting user of the current request (pages behind login only)."""
    return current_user.actor


def init_login(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(session_token: str) -> SignedInUser | None:
        found = users.load_session(session_token, request.remote_addr or "")
        return SignedInUser(found) if found else None

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None
