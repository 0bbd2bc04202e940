"""HTTP hardening applied to every response, and downloads that are safe to name and keep."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

__all__ = ["CONTENT_SECURITY_POLICY", "STRICT_TRANSPORT_SECURITY", "attachment", "init_security"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# One year; no includeSubDomains, since other sites may live under the same parent domain.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"

_NOT_FILENAME_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


def init_security(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # TANSIQ_HTTPS=1 (webui/config.py) is what makes the cookies Secure: served over HTTPS only.
    https = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if https:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        if request.endpoint != "static":
            # Pages, JSON and downloads (CSV, vCard…) carry personal data: never keep them
            # in shared or browser caches. Only the app's own CSS/JS/images may be cached.
            response.headers["Cache-Control"] = "no-store"
        return response


def attachment(
    body: str | bytes, mimetype: str, filename: str, fallback: str = "export"
) -> Response:
    """A download saved as ``filename``: an ASCII name for every client (``fallback`` plus the
    extension when nothing of the name is ASCII), and the UTF-8 name (Arabic, accents) as
    RFC 5987 ``filename*`` for the clients that read it."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    options = {"filename": _ascii(stem, fallback) + dot + _ascii(extension, "")}
    if options["filename"] != filename:
        options["filename*"] = "UTF-8''" + quote(filename, safe="")
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", **options)
    return response


def _ascii(text: str, fallback: str) -> str:
    """``text`` without accents, other letters and punctuation; ``fallback`` if nothing is left."""
    simple = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub("-{2,}", "-", _NOT_FILENAME_SAFE.sub("-", simple)).strip("-") or fallback
