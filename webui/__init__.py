"""Tansiq's web interface: the Flask application factory."""

from __future__ import annotations

from flask import Flask

from webui.config import load_config

__all__ = ["create_app"]


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(load_config())
    if test_config:
        app.config.update(test_config)
    register_timing(app)  # first: its after_request hook then runs last
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_templating(app)
    register_security(app)
    register_commands(app)
    return app


def register_timing(app: Flask) -> None:
    from webui.timing import init_timing

    init_timing(app)


def register_extensions(app: Flask) -> None:
    from webui.auth.session import init_login
    from webui.extensions import csrf, login_manager, neo4j

    neo4j.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_login(app)


def register_blueprints(app: Flask) -> None:
    from webui.admin.routes import bp as admin
    from webui.auth.routes import bp as auth
    from webui.calendar.routes import bp as calendar
    from webui.contacts.routes import bp as contacts
    from webui.dashboard.routes import bp as dashboard
    from webui.dedupe.routes import bp as dedupe
    from webui.events.routes import bp as events
    from webui.exports.routes import bp as exports
    from webui.imports.routes import bp as imports
    from webui.interactions.routes import bp as interactions
    from webui.main.routes import bp as main
    from webui.network import map_routes  # noqa: F401 (adds the map to the network blueprint)
    from webui.network.routes import bp as network
    from webui.organisations.routes import bp as organisations
    from webui.partnerships.routes import bp as partnerships
    from webui.privacy.routes import bp as privacy
    from webui.reports.routes import bp as reports
    from webui.territory.routes import bp as territory

    for blueprint in (
        main,
        auth,
        contacts,
        privacy,
        organisations,
        partnerships,
        territory,
        interactions,
        events,
        reports,
        network,
        exports,
        imports,
        dashboard,
        calendar,
        dedupe,
        admin,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from webui.errors import init_errors

    init_errors(app)


def register_templating(app: Flask) -> None:
    from webui.templating import init_templating

    init_templating(app)


def register_security(app: Flask) -> None:
    from webui.security import init_security

    init_security(app)


def register_commands(app: Flask) -> None:
    from webui.commands import crm_cli, graph_cli, privacy_cli, seeds_cli, users_cli

    for group in (graph_cli, seeds_cli, users_cli, privacy_cli, crm_cli):
        app.cli.add_command(group)
