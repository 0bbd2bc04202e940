"""Flask extensions, created once and bound to the app in ``create_app``."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from graph.database import ConnectionSettings, connect

__all__ = ["csrf", "login_manager", "neo4j"]


class Neo4jConnection:
    """Binds the app to Neo4j: the driver is created here, the first query connects."""

    def init_app(self, app: Flask) -> None:
        settings = app.config["NEO4J"]
        connect(ConnectionSettings(**settings))
        app.extensions["neo4j"] = self
        self.uri = settings["uri"]


csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
neo4j = Neo4jConnection()
