"""Flask extensions, created once and bound to the app in ``create_app``."""

from __future__ import annotations

from flask import Flask, Response, g, session
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from graph.database import ConnectionSettings, causal, connect, follow, stop_following

__all__ = ["BOOKMARKS_KEY", "csrf", "login_manager", "neo4j"]

# Where a user's bookmarks travel between requests: the signed session cookie.
BOOKMARKS_KEY = "neo4j_bookmarks"


class Neo4jConnection:
    """Binds the app to Neo4j: the driver is created here, the first query connects."""

    def init_app(self, app: Flask) -> None:
        settings = app.config["NEO4J"]
        connect(ConnectionSettings(**settings))
        app.extensions["neo4j"] = self
        self.uri = settings["uri"]
        app.before_request(_follow_the_user)
        app.after_request(_hand_back_bookmarks)
        app.teardown_request(_stop_following)


# Read your own writes whichever process serves the next request: each request starts after
# the user's last write (its bookmark came back in the session cookie), and a request that
# writes hands the new bookmark back. Within one process the driver's bookmark manager
# already does this; a cluster's followers wait until they have applied the write.


def _follow_the_user() -> None:
    g.neo4j_causal = follow(session.get(BOOKMARKS_KEY, ()))


def _hand_back_bookmarks(response: Response) -> Response:
    following = causal()
    if following is not None and following.changed:
        if following.bookmarks:
            session[BOOKMARKS_KEY] = list(following.bookmarks)
        else:
            session.pop(BOOKMARKS_KEY, None)
    return response


def _stop_following(_exc: BaseException | None) -> None:
    token = g.pop("neo4j_causal", None)
    if token is not None:
        stop_following(token)


csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
neo4j = Neo4jConnection()
