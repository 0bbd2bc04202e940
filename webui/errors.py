"""Error pages: domain errors and database outages become French pages, never tracebacks."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from crm.errors import Forbidden, NotFound
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


def _page(status: int, message: str | None = None):
    return (
        render_template(
            "errors/error.html",
            bare=True,
            status=status,
            title=_TITLES.get(status, "Erreur"),
            message=message,
        ),
        status,
    )


def init_errors(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(exc):
        return _page(404)

    @app.errorhandler(Forbidden)
    def forbidden(exc):
        return _page(403, str(exc))

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
