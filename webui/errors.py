"""Domain errors, mapped in one place, and database outages: French pages, never tracebacks.

- ``NotFound`` → 404, ``Forbidden`` → 403 with its reason.
- ``Invalid`` and ``Conflict`` raised by an action without a form of its own (mark done,
  reassign, deactivate…): the messages are flashed and the browser goes back to the page it
  came from (a local address only), or to the home page. On a GET they answer 400.
  Form pages show them next to the fields instead (``webui.forms.refusals_shown_on``).
"""

from __future__ import annotations

import logging

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from crm.errors import Conflict, Forbidden, Invalid, NotFound
from graph.database import UNAVAILABLE_ERRORS, DatabaseUnavailable

__all__ = ["init_errors"]

log = logging.getLogger(__name__)

_TITLES = {
    400: "Requête invalide",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    413: "Fichier trop volumineux",
    500: "Erreur interne",
    503: "Service momentanément indisponible",
}


# Statuses whose page keeps the normal navigation for a signed-in user. A 500 or 503 page
# stays bare: loading the user needs the database that may just have failed.
_WITH_NAVIGATION = frozenset({400, 403, 404, 405, 413})


def _page(status: int, message: str | None = None):
    signed_in = status in _WITH_NAVIGATION and _signed_in()
    return (
        render_template(
            "errors/error.html",
            bare=not signed_in,
            status=status,
            title=_TITLES.get(status, "Erreur"),
            message=message,
            # A record outside the territory answers 404 like one that does not exist; say so
            # to those whose scope is not national.
            territorial=signed_in and status == 404 and not current_user.actor.scope.national,
        ),
        status,
    )


def _signed_in() -> bool:
    """Whether a user is signed in, False when that cannot be known (database down)."""
    try:
        return bool(current_user.is_authenticated)
    except (*UNAVAILABLE_ERRORS, DatabaseUnavailable):
        return False


def _refused(messages: list[str]):
    from webui.forms import safe_next

    if request.method == "GET":
        return _page(400, " ".join(messages))
    for message in messages:
        flash(message, "error")
    back = safe_next(_local_referrer()) or url_for("main.home")
    return redirect(back)


def _local_referrer() -> str | None:
    """The page the request came from, as a path, when it is on this site."""
    referrer = request.referrer or ""
    root = request.host_url
    return "/" + referrer[len(root) :] if referrer.startswith(root) else None


def init_errors(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(exc):
        return _page(404)

    @app.errorhandler(Forbidden)
    def forbidden(exc):
        return _page(403, str(exc))

    @app.errorhandler(Invalid)
    def invalid(exc: Invalid):
        return _refused(list(exc.errors.values()))

    @app.errorhandler(Conflict)
    def conflict(exc: Conflict):
        return _refused([exc.message])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _page(exc.code or 500)

    def unavailable(exc):
        log.warning("Neo4j unavailable during %s %s: %s", request.method, request.path, exc)
        return _page(
            503,
            "La base de données ne répond pas pour le moment. Réessayez dans quelques instants ; "
            "si le problème persiste, prévenez l'administrateur.",
        )

    for error in (*UNAVAILABLE_ERRORS, DatabaseUnavailable):
        app.register_error_handler(error, unavailable)

    @app.errorhandler(Exception)
    def internal_error(exc):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _page(500)
