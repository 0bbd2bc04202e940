"""Settings read from the environment (12-factor); nothing here touches the network."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

__all__ = ["PROJECT_ROOT", "load_config", "var_dir"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """Where local state lives (Neo4j data, generated secrets); git-ignored."""
    return Path(os.environ.get("TANSIQ_VAR_DIR", PROJECT_ROOT / "var"))


def load_config() -> dict:
    https = os.environ.get("TANSIQ_HTTPS", "") == "1"
    return {
        "SECRET_KEY": os.environ.get("TANSIQ_SECRET_KEY") or _local_secret_key(),
        "NEO4J": _neo4j_settings(),
        # Reverse proxies in front of the app (nginx…): their X-Forwarded-For/-Proto are
        # trusted, so audit and login throttling see the real client address.
        "TRUSTED_PROXIES": _whole_number("TANSIQ_TRUSTED_PROXIES"),
        "TIMEZONE": os.environ.get("TANSIQ_TIMEZONE", "Africa/Casablanca"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        # Sessions (rules in webui/auth/session.py): signed out after 30 minutes without a
        # request and 12 hours after signing in; a remember-me cookie restores a new session
        # for 14 days after the password was typed, no longer.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # Flask also refuses a session cookie signed longer ago than this.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Spreadsheet imports (crm/imports/reading.py): the file, its rows and columns, and
        # for an XLSX its size once unzipped and the compression ratio of a large part.
        "IMPORT_MAX_BYTES": _whole_number("TANSIQ_IMPORT_MAX_BYTES") or 5 * 1024 * 1024,
        "IMPORT_MAX_ROWS": _whole_number("TANSIQ_IMPORT_MAX_ROWS") or 50_000,
        "IMPORT_MAX_COLUMNS": _whole_number("TANSIQ_IMPORT_MAX_COLUMNS") or 60,
        "IMPORT_MAX_UNCOMPRESSED": _whole_number("TANSIQ_IMPORT_MAX_UNCOMPRESSED")
        or 80 * 1024 * 1024,
        "IMPORT_MAX_RATIO": _whole_number("TANSIQ_IMPORT_MAX_RATIO") or 150,
        "WTF_I18N_ENABLED": False,  # TansiqForm.Meta picks WTForms' French messages
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }


def _whole_number(name: str) -> int:
    raw = os.environ.get(name, "0").strip() or "0"
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number (got {raw!r})")
    return int(raw)


def _neo4j_settings() -> dict:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return {
            "uri": uri,
            "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""),
            "database": os.environ.get("NEO4J_DATABASE") or None,
        }
    # The local engine started by `make run` (graph/local_neo4j.py).
    port = os.environ.get("TANSIQ_NEO4J_BOLT_PORT", "7687")
    password_file = var_dir() / "neo4j" / ".tansiq-neo4j-password"
    password = password_file.read_text().strip() if password_file.exists() else ""
    return {
        "uri": f"bolt://127.0.0.1:{port}",
        "user": "neo4j",
        "password": password,
        "database": None,
    }


def _local_secret_key() -> str:
    path = var_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
