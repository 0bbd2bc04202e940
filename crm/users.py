"""Application accounts: creation, password rules, signing in and out, login throttling.

Sign-in rules
    * Unknown account, wrong password and deactivated account get the same refusal
      (``AuthenticationFailed``) and cost the same argon2 work.
    * Failed sign-ins are counted per account (``account:<email>``, known or not, so a lockout
      reveals nothing) and per client address (``address:<ip>``) in ``LoginThrottle`` nodes that
      every web worker shares. ``ACCOUNT_FAILURE_LIMIT`` failures for one account, or
      ``ADDRESS_FAILURE_LIMIT`` from one address, within ``FAILURE_WINDOW`` block that key for
      ``BLOCK_DURATION``: every attempt then gets ``TooManyAttempts``, even with the right
      password. A successful sign-in resets the account's counter, never the address's.
    * Each good sign-in, refusal and sign-out is written to the audit trail, never a password.

Sessions
    The account's ``session_token`` identifies its sessions (and remember-me cookies); rotating
    it (``end_all_sessions``, ``sign_out``, ``deactivate_user``) ends every one on every device.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import SPECIAL_USE_DOMAIN_NAMES

from crm import audit
from crm.access import Actor, require_role
from crm.audit import RequestContext
from crm.errors import Invalid, NotFound
from crm.text import clean_text, search_key
from crm.transactions import reads, writes
from crm.validation import Errors, normalise_email
from graph import users as store
from graph.vocabulary import USER_ROLES

__all__ = [
    "actor_from_account",
    "DEFAULT_ADMIN_EMAIL",
    "AuthenticationFailed",
    "TooManyAttempts",
    "authenticate",
    "create_user",
    "deactivate_user",
    "end_all_sessions",
    "ensure_admin",
    "load_session",
    "password_problem",
    "record_remembered_login",
    "sign_out",
]

# argon2id with the RFC 9106 "low memory" profile (argon2-cffi's defaults); hashes made with
# older parameters are replaced at the next successful sign-in.
_hasher = PasswordHasher()

DEFAULT_ADMIN_EMAIL = "admin@tansiq.ma"  # the first administrator's login when none is given
ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
FAILURE_WINDOW = timedelta(minutes=15)
BLOCK_DURATION = timedelta(minutes=15)
_MAX_EMAIL_LENGTH = 254  # RFC 5321; also bounds the throttle keys and audit entries

MIN_PASSWORD_LENGTH = 12
# How many entries of zxcvbn's frequency-ranked list of leaked passwords are refused.
COMMON_PASSWORD_COUNT = 10_000
# French and local favourites that an English-speaking leak list misses.
_LOCAL_COMMON_PASSWORDS = frozenset(
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
        "bienvenue",
        "maroc",
        "marrakech",
        "casablanca",
        "tansiq",
    }
)
# Runs typed along a keyboard row or the alphabet ("azertyuiop", "123456…").
_SEQUENCES = (
    "01234567890123456789",
    "98765432109876543210",
    "abcdefghijklmnopqrstuvwxyz",
    "azertyuiopqsdfghjklmwxcvbn",
    "qwertyuiopasdfghjklzxcvbnm",
)
# Digits, punctuation and spaces around a word ("Soleil2024!" -> "soleil").
_EDGE_NOISE = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_MAX_EDGE_NOISE = 6  # a common word with more random characters around it is not refused
_REPEATED = re.compile(r"(.+?)\1+", re.DOTALL)
_MIN_PERSONAL_FRAGMENT = 4  # shorter name or e-mail fragments are too common to refuse


class AuthenticationFailed(Exception):
    """Unknown account, wrong password or deactivated account (never told apart)."""


class TooManyAttempts(AuthenticationFailed):
    """Too many failed sign-ins for this account or from this address; ``until`` says when
    attempts are accepted again."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"blocked until {until.isoformat()}")
        self.until = until


def password_problem(password: str, email: str = "", display_name: str = "") -> str | None:
    """Why ``password`` is refused (a French message), or None.

    Length over complexity: at least ``MIN_PASSWORD_LENGTH`` characters, no composition rules.
    Refused: fewer than 4 distinct characters; one of the ``COMMON_PASSWORD_COUNT`` most common
    leaked passwords or a local favourite, also when repeated ("azertyazerty") or wrapped in a
    few digits and symbols ("Soleil2024!"); a keyboard or alphabet run; the account's e-mail
    name or the person's name (or a part of it of 4 letters or more) anywhere inside.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."
    if len(set(password)) < 4 or _is_guessable(password):
        return "Ce mot de passe est trop courant : choisissez-en un autre."
    folded = _fold(password)
    if any(fragment in folded for fragment in _personal_fragments(email, display_name)):
        return "Le mot de passe ne doit contenir ni votre nom ni votre adresse e-mail."
    return None


@writes
def create_user(email: str, display_name: str, password: str, role: str) -> str:
    errors = Errors()
    email = normalise_email(errors, "email", email)
    errors.check("email", bool(email), "L'adresse e-mail est obligatoire.")
    display_name = clean_text(display_name)
    errors.check("display_name", bool(display_name), "Le nom est obligatoire.")
    errors.check("role", role in USER_ROLES, "Rôle inconnu.")
    problem = password_problem(password, email or "", display_name)
    errors.check("password", problem is None, problem or "")
    errors.raise_if_any()
    if store.find_user_by_email(email):
        raise Invalid({"email": "Un compte existe déjà avec cette adresse e-mail."})
    return store.create_user(
        {
            "email": email,
            "display_name": display_name,
            "password_hash": _hasher.hash(password),
            "role": role,
            "session_token": _new_token(),
        }
    )


def authenticate(
    email: str,
    password: str,
    context: RequestContext | None = None,
    *,
    now: datetime | None = None,
) -> Actor:
    """Check credentials; raise AuthenticationFailed without saying which part was wrong.

    Raises TooManyAttempts (a subclass) while the account or ``context.address`` is blocked,
    and on the failure that starts a block. ``now`` (timezone-aware) defaults to the clock.
    """
    now = _aware(now)
    context = context or RequestContext()
    email = clean_text(email).lower()[:_MAX_EMAIL_LENGTH]
    account_key = f"account:{email}"
    keys = {account_key: ACCOUNT_FAILURE_LIMIT}
    if context.address:
        keys[f"address:{context.address}"] = ADDRESS_FAILURE_LIMIT
    blocked_until = store.login_blocked_until(list(keys), now)
    if blocked_until is not None:
        _record_refusal(email, context, "throttled")
        raise TooManyAttempts(blocked_until)
    row = store.find_user_by_email(email)
    refusal = _check_password(row, password)
    if refusal:
        _record_refusal(email, context, refusal)
        ends = [
            store.record_login_failure(key, now, FAILURE_WINDOW, limit, BLOCK_DURATION)
            for key, limit in keys.items()
        ]
        ends = [end for end in ends if end is not None]
        if ends:
            raise TooManyAttempts(max(ends))
        raise AuthenticationFailed()
    store.clear_login_failures(account_key)
    store.purge_login_throttles(now - max(FAILURE_WINDOW, BLOCK_DURATION))
    new_hash = _hasher.hash(password) if _hasher.check_needs_rehash(row["password_hash"]) else None
    store.touch_login(row["uid"], new_hash)
    actor = _actor(row, context.address)
    audit.record(actor, "login", context=context)
    return actor


def record_remembered_login(actor: Actor, context: RequestContext | None = None) -> None:
    """Audit a session restored from a remember-me cookie (a sign-in without the password)."""
    audit.record(actor, "login", details={"method": "remember_me"}, context=context)


@writes
def sign_out(actor: Actor, context: RequestContext | None = None) -> None:
    """Sign out everywhere: the token rotates, so every session and cookie of the user ends."""
    end_all_sessions(actor.uid)
    audit.record(actor, "logout", context=context)


def end_all_sessions(uid: str) -> None:
    """End every session of the account on every device, remember-me cookies included."""
    if not store.rotate_session_token(uid, _new_token()):
        raise NotFound("Compte introuvable.")


@writes
def deactivate_user(actor: Actor, uid: str) -> None:
    """Deactivate an account: it can no longer sign in and every one of its sessions ends.

    Administrators only (Forbidden otherwise); their own account is refused (Invalid) so that
    an administrator cannot lock everyone out by mistake.
    """
    require_role(actor, "admin")
    if uid == actor.uid:
        raise Invalid({"": "Vous ne pouvez pas désactiver votre propre compte."})
    if not store.deactivate_user(uid, _new_token()):
        raise NotFound("Compte introuvable.")
    audit.record(
        actor, "permission", target_kind="user", target_uid=uid, summary="Compte désactivé"
    )


@reads
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
    email = email or DEFAULT_ADMIN_EMAIL
    problem = _email_problem(email)
    if problem:
        refusal = f"« {email} » n'est pas une adresse e-mail valide : {problem}"
        raise Invalid({"admin_email": refusal})
    try:
        create_user(email, "Administrateur", password, "admin")
    except Invalid as exc:
        raise Invalid({f"admin_{k}": v for k, v in exc.errors.items()}) from exc
    return email, generated


def _email_problem(email: str) -> str | None:
    """Why the e-mail validator refuses ``email``, in French words an operator can act on;
    None when it is accepted."""
    errors = Errors()
    if normalise_email(errors, "email", email) or not errors:
        return None
    local, at, domain = clean_text(email).rpartition("@")
    domain = domain.lower().rstrip(".")
    reserved = next(
        (n for n in SPECIAL_USE_DOMAIN_NAMES if domain == n or domain.endswith("." + n)), None
    )
    if not at:
        return "il manque le signe @ (la forme attendue est nom@domaine.ma)."
    if not local:
        return "rien n'est écrit avant le signe @."
    if "@" in local:
        return "elle contient plusieurs signes @."
    if any(ch.isspace() for ch in email.strip()):
        return "elle contient une espace."
    if not domain:
        return "rien n'est écrit après le signe @."
    if reserved:
        return (
            f"le domaine « {domain} » est réservé (.{reserved}) et ne reçoit jamais de courrier ; "
            "utilisez le domaine réel de l'organisation (par exemple admin@programme.ma)."
        )
    if "." not in domain:
        return (
            f"le domaine « {domain} » n'a pas de point ; une adresse complète est attendue "
            "(par exemple admin@programme.ma)."
        )
    return (
        "un caractère n'y est pas autorisé ou le domaine est mal écrit ; la forme attendue "
        "est nom@domaine.ma, sans accent ni espace dans le domaine."
    )


# --- helpers ---------------------------------------------------------------------------------


def _check_password(row: dict | None, password: str) -> str | None:
    """Why the credentials are refused (for the audit trail only), or None."""
    if row is None:
        # Spend the same time as a real check so response times do not reveal accounts.
        _hasher.hash(password)
        return "unknown_account"
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return "wrong_password"
    if not row["active"]:
        return "inactive"
    return None


def _record_refusal(email: str, context: RequestContext, reason: str) -> None:
    audit.record(
        None, "login_failed", actor_email=email, details={"reason": reason}, context=context
    )


def _is_guessable(password: str) -> bool:
    lowered = password.casefold()
    forms = {lowered, lowered.replace(" ", "")}
    core = _EDGE_NOISE.sub("", lowered)
    if len(lowered) - len(core) <= _MAX_EDGE_NOISE:
        forms.add(core)
    for form in list(forms):
        repeated = _REPEATED.fullmatch(form)
        if repeated:
            forms.add(repeated.group(1))
    forms.discard("")
    common = _common_passwords()
    return any(
        form in common or (len(form) >= 6 and any(form in run for run in _SEQUENCES))
        for form in forms
    )


@cache
def _common_passwords() -> frozenset[str]:
    """The most common leaked passwords, lower-case: the head of zxcvbn's frequency-ranked list
    (from Mark Burnett's 10-million-password corpus) and the local favourites."""
    # Imported here: the list weighs a few megabytes and only password changes need it.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    leaked = FREQUENCY_LISTS["passwords"][:COMMON_PASSWORD_COUNT]
    return frozenset(leaked) | _LOCAL_COMMON_PASSWORDS


def _personal_fragments(email: str, display_name: str) -> set[str]:
    """The e-mail name, the person's name and their parts, folded like ``_fold``."""
    local = _fold(email.partition("@")[0])
    name = search_key(display_name)
    fragments = {local, name.replace(" ", ""), *re.split(r"[\W_]+", local), *name.split()}
    return {f for f in fragments if len(f) >= _MIN_PERSONAL_FRAGMENT}


def _fold(text: str) -> str:
    """Lower-case, accent-free text ("Hélène" -> "helene")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def actor_from_account(row: dict, address: str = "") -> Actor:
    """The ``Actor`` of an account row (``graph.users.find_user_by_session``'s shape), for
    requests authenticated otherwise than by a session (the calendar feed's secret)."""
    return _actor(row, address)


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
