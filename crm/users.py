"""Application accounts: creation, password checks, sign-in."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm.access import Actor
from crm.errors import Conflict, Invalid
from crm.text import clean_text
from crm.validation import Errors, normalise_email
from graph import users as store
from graph.vocabulary import USER_ROLES

__all__ = [
    "AuthenticationFailed",
    "authenticate",
    "create_user",
    "ensure_admin",
    "load_session",
]

# argon2id with the RFC 9106 "low memory" profile (argon2-cffi's defaults).
_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 12
# A short deny-list of the passwords attackers try first; length does the rest.
_COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "motdepasse123",
        "password1234",
        "azertyuiop12",
        "qwertyuiop12",
        "000000000000",
        "111111111111",
        "123123123123",
        "adminadmin12",
        "administrator",
        "maroc2026maroc",
        "tansiqtansiq",
        "passwordpassword",
        "azertyazerty",
        "bienvenue123",
    }
)


class AuthenticationFailed(Exception):
    """Unknown account, wrong password or deactivated account (never told apart)."""


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."
    if password.lower() in _COMMON_PASSWORDS or len(set(password)) < 4:
        return "Ce mot de passe est trop courant : choisissez-en un autre."
    return None


def create_user(email: str, display_name: str, password: str, role: str) -> str:
    errors = Errors()
    email = normalise_email(errors, "email", email)
    errors.check("email", bool(email), "L'adresse e-mail est obligatoire.")
    display_name = clean_text(display_name)
    errors.check("display_name", bool(display_name), "Le nom est obligatoire.")
    errors.check("role", role in USER_ROLES, "Rôle inconnu.")
    problem = password_problem(password)
    errors.check("password", problem is None, problem or "")
    errors.raise_if_any()
    if store.find_user_by_email(email):
        raise Conflict("Un compte existe déjà avec cette adresse e-mail.")
    return store.create_user(
        {
            "email": email,
            "display_name": display_name,
            "password_hash": _hasher.hash(password),
            "role": role,
            "session_token": secrets.token_urlsafe(32),
        }
    )


def authenticate(email: str, password: str) -> Actor:
    """Check credentials; raise AuthenticationFailed without saying which part was wrong."""
    row = store.find_user_by_email(clean_text(email).lower())
    if row is None:
        # Spend the same time as a real check so response times do not reveal accounts.
        _hasher.hash(password)
        raise AuthenticationFailed()
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationFailed() from None
    if not row["active"]:
        raise AuthenticationFailed()
    new_hash = _hasher.hash(password) if _hasher.check_needs_rehash(row["password_hash"]) else None
    store.touch_login(row["uid"], new_hash)
    return _actor(row)


def load_session(session_token: str, address: str = "") -> Actor | None:
    """The active user holding this session token (with their territory), or None."""
    row = store.find_user_by_session(session_token)
    if row is None or not row["active"]:
        return None
    return _actor(row, address)


def ensure_admin(email: str | None, password: str | None) -> tuple[str, str | None] | None:
    """Create the first administrator when there is none.

    Returns ``(email, generated_password_or_None)`` when an account was created, else None.
    """
    if store.count_users("admin"):
        return None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(15)
    email = email or "admin@tansiq.ma"
    try:
        create_user(email, "Administrateur", password, "admin")
    except Invalid as exc:
        raise Invalid({f"admin_{k}": v for k, v in exc.errors.items()}) from exc
    return email, generated


def _actor(row: dict, address: str = "") -> Actor:
    return Actor(
        uid=row["uid"],
        email=row["email"],
        display_name=row["display_name"],
        role=row["role"],
        session_token=row["session_token"],
        communes=frozenset(row.get("communes") or ()),
        territory_set=bool(row.get("territory_set")),
        address=address,
    )
