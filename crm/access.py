"""Who is acting, and what their role lets them do."""

from __future__ import annotations

from dataclasses import dataclass

from crm.errors import Forbidden

__all__ = ["Actor", "require_role", "require_write"]

WRITER_ROLES = frozenset({"admin", "manager", "officer"})


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a use case runs."""

    uid: str
    email: str
    display_name: str
    role: str
    session_token: str

    @property
    def can_write(self) -> bool:
        return self.role in WRITER_ROLES


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise Forbidden("Votre rôle ne permet pas de modifier les données.")


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden("Votre rôle ne permet pas cette action.")
