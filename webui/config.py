"""Settings read from the environment (12-factor); nothing here touches the network.

A refused setting raises ``SettingError``: one French sentence naming the variable, what is
wrong with its value and what to do, shown by ``flask --app webui …`` (hence ``make run``)
without a traceback.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import click

__all__ = [
    "NEO4J_SCHEMES",
    "PROJECT_ROOT",
    "SettingError",
    "load_config",
    "neo4j_settings",
    "var_dir",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The driver's URI schemes: bolt talks to one server, neo4j routes (reads to followers, writes
# to the leader); +s encrypts with a verified certificate, +ssc accepts a self-signed one.
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_AURA_DOMAIN = ".databases.neo4j.io"
# Neo4j's rules for database names; names starting with "system" or "_" are reserved.
_DATABASE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{2,62}")

# Driver settings a cluster may need tuned, and their defaults (the local engine's too).
DEFAULT_RETRY_TIME = 5.0  # seconds of retries of a transient error before giving up
DEFAULT_POOL_SIZE = 100  # connections per server (the driver's default)
DEFAULT_CONNECTION_TIMEOUT = 5.0  # seconds to open a connection


class SettingError(click.ClickException, ValueError):
    """A setting from the environment is refused.

    A ``ClickException``, so the ``flask`` command prints the message alone and exits 1.
    """

    def __init__(self, variable: str, why: str, remedy: str) -> None:
        self.variable = variable
        super().__init__(f"{variable} refusée : {why} {remedy}")


def var_dir() -> Path:
    """Where local state lives (Neo4j data, generated secrets); git-ignored."""
    return Path(os.environ.get("TANSIQ_VAR_DIR", PROJECT_ROOT / "var"))


def load_config() -> dict:
    https = os.environ.get("TANSIQ_HTTPS", "") == "1"
    return {
        "SECRET_KEY": os.environ.get("TANSIQ_SECRET_KEY") or _local_secret_key(),
        "NEO4J": neo4j_settings(os.environ),
        # Reverse proxies in front of the app (nginx…): their X-Forwarded-For/-Proto are
        # trusted, so audit and login throttling see the real client address.
        "TRUSTED_PROXIES": _whole_number(os.environ, "TANSIQ_TRUSTED_PROXIES", 0, 0, 10),
        "TIMEZONE": os.environ.get("TANSIQ_TIMEZONE", "Africa/Casablanca"),
        "SERVER_TIMING": os.environ.get("TANSIQ_SERVER_TIMING", "") == "1",
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
        "IMPORT_MAX_BYTES": _whole_number(
            os.environ, "TANSIQ_IMPORT_MAX_BYTES", 5 * 1024 * 1024, 1, 1024**3
        ),
        "IMPORT_MAX_ROWS": _whole_number(os.environ, "TANSIQ_IMPORT_MAX_ROWS", 50_000, 1, 10**7),
        "IMPORT_MAX_COLUMNS": _whole_number(os.environ, "TANSIQ_IMPORT_MAX_COLUMNS", 60, 1, 1000),
        "IMPORT_MAX_UNCOMPRESSED": _whole_number(
            os.environ, "TANSIQ_IMPORT_MAX_UNCOMPRESSED", 80 * 1024 * 1024, 1, 8 * 1024**3
        ),
        "IMPORT_MAX_RATIO": _whole_number(os.environ, "TANSIQ_IMPORT_MAX_RATIO", 150, 1, 10_000),
        "WTF_I18N_ENABLED": False,  # TansiqForm.Meta picks WTForms' French messages
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }


def neo4j_settings(environ: Mapping[str, str]) -> dict:
    """The connection to Neo4j (the fields of ``graph.database.ConnectionSettings``).

    ``NEO4J_URI`` names a server, a cluster or Aura; without it, the local engine that
    ``make run`` starts. Raises ``SettingError`` for a value the driver could not use.
    """
    tuning = {
        "max_transaction_retry_time": _seconds(
            environ, "NEO4J_MAX_TRANSACTION_RETRY_TIME", DEFAULT_RETRY_TIME, 0, 300
        ),
        "max_connection_pool_size": _whole_number(
            environ, "NEO4J_MAX_CONNECTION_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 10_000
        ),
        "connection_timeout": _seconds(
            environ, "NEO4J_CONNECTION_TIMEOUT", DEFAULT_CONNECTION_TIMEOUT, 0.1, 300
        ),
    }
    raw_uri = environ.get("NEO4J_URI", "").strip()
    if raw_uri:
        return {
            "uri": _neo4j_uri(raw_uri),
            "user": environ.get("NEO4J_USER") or "neo4j",
            "password": environ.get("NEO4J_PASSWORD", ""),
            "database": _database_name(environ.get("NEO4J_DATABASE", "").strip()),
            **tuning,
        }
    # The local engine started by `make run` (graph/local_neo4j.py).
    port = environ.get("TANSIQ_NEO4J_BOLT_PORT", "7687")
    password_file = var_dir() / "neo4j" / ".tansiq-neo4j-password"
    password = password_file.read_text().strip() if password_file.exists() else ""
    return {
        "uri": f"bolt://127.0.0.1:{port}",
        "user": "neo4j",
        "password": password,
        "database": None,
        **tuning,
    }


_URI_REMEDY = (
    "Corrigez NEO4J_URI (par exemple bolt://127.0.0.1:7687 pour un serveur, "
    "neo4j://hôte:7687 pour un cluster, neo4j+s://xxxxxxxx.databases.neo4j.io pour Aura), "
    "ou retirez-la pour utiliser le Neo4j local."
)


def _neo4j_uri(uri: str) -> str:
    shown = re.sub(r"//[^/?#]*@", "//…@", uri)  # never echo a password

    def refused(why: str, remedy: str = _URI_REMEDY) -> SettingError:
        return SettingError("NEO4J_URI", f"« {shown} » {why}", remedy)

    if any(char.isspace() for char in uri):
        raise refused("contient une espace.")
    scheme, separator, _rest = uri.partition("://")
    if not separator:
        raise refused("n'a pas la forme schéma://hôte:port.")
    if scheme.lower() not in NEO4J_SCHEMES:
        browser = (
            " (http:// est l'adresse de Neo4j Browser ; l'application parle Bolt, port 7687 "
            "par défaut)"
            if scheme.lower() in ("http", "https")
            else ""
        )
        raise refused(
            f"commence par {scheme}://, qui n'est pas un schéma de Neo4j{browser} : les "
            "schémas acceptés sont bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// et "
            "neo4j+ssc://."
        )
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        raise refused("a un port ou un hôte invalide (port : un nombre de 1 à 65535).") from None
    if parts.username or parts.password:
        raise refused(
            "contient un identifiant ou un mot de passe.",
            "Retirez-les de l'adresse et mettez-les dans NEO4J_USER et NEO4J_PASSWORD.",
        )
    if not parts.hostname:
        raise refused("n'indique pas l'hôte du serveur.")
    if port == 0:
        raise refused("a un port invalide (port : un nombre de 1 à 65535).")
    if parts.path not in ("", "/"):
        raise refused(
            f"contient un chemin ({parts.path}).",
            "La base se choisit avec NEO4J_DATABASE ; retirez le chemin de NEO4J_URI.",
        )
    if parts.fragment:
        raise refused(f"se termine par #{parts.fragment}.")
    if parts.query:
        if not parts.scheme.startswith("neo4j"):
            raise refused(
                "a des paramètres (?…) : seules les adresses neo4j:// en acceptent "
                "(contexte de routage d'un cluster)."
            )
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        keys = [key for key, _value in pairs]
        if not pairs or any(not value for _key, value in pairs) or len(set(keys)) < len(keys):
            raise refused(
                f"a des paramètres de routage mal formés (?{parts.query}) : "
                "clé=valeur, chaque clé une fois."
            )
    if parts.hostname.endswith(_AURA_DOMAIN) and parts.scheme != "neo4j+s":
        raise refused(
            "désigne une base Aura, qui n'accepte que les connexions chiffrées et routées.",
            f"Utilisez neo4j+s://{parts.netloc}.",
        )
    return uri


def _database_name(name: str) -> str | None:
    if not name:
        return None  # the server's default (home) database
    remedy = (
        "Corrigez NEO4J_DATABASE (sur Aura, la base s'appelle neo4j), ou retirez-la pour "
        "utiliser la base par défaut du serveur."
    )
    if name.lower().startswith("system"):
        raise SettingError(
            "NEO4J_DATABASE",
            f"« {name} » est réservée à l'administration de Neo4j, pas aux données.",
            remedy,
        )
    if not _DATABASE_NAME.fullmatch(name):
        raise SettingError(
            "NEO4J_DATABASE",
            f"« {name} » n'est pas un nom de base Neo4j (3 à 63 caractères : lettres sans "
            "accent, chiffres, points et tirets, en commençant par une lettre).",
            remedy,
        )
    return name


def _seconds(
    environ: Mapping[str, str], name: str, default: float, least: float, most: float
) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))  # 2,5 as well as 2.5
    except ValueError:
        value = math.nan
    if not least <= value <= most:  # NaN fails too
        raise SettingError(
            name,
            f"« {raw} » n'est pas une durée en secondes de {_french(least)} à {_french(most)}.",
            f"Corrigez {name}, ou retirez-la pour garder {_french(default)} s.",
        )
    return value


def _french(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def _whole_number(
    environ: Mapping[str, str], name: str, default: int, least: int, most: int
) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and least <= int(raw) <= most):
        raise SettingError(
            name,
            f"« {raw} » n'est pas un nombre entier de {least} à {most}.",
            f"Corrigez {name}, ou retirez-la pour garder {default}.",
        )
    return int(raw)


def _local_secret_key() -> str:
    path = var_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
