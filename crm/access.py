"""Who is acting, and what their role and territory let them see and do.

Roles
    admin    — users, roles, territories, data-protection requests; reads everything.
    manager  — reads and writes everything, in every region.
    officer  — reads and writes in their territory (regions, provinces or communes), and reads
               the shared national institutions.
    analyst  — reads (and exports) everything, or only their territory when one is set; no writes.
    viewer   — reads their territory (everything when none is set); no writes.

Every use case that reads or writes records passes ``actor.scope`` to ``graph`` queries, which
filter with the same Cypher predicates (``graph.scope``): lists, search, detail pages, maps,
exports and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.errors import Forbidden

__all__ = ["Actor", "Scope", "require_role", "require_write"]

WRITER_ROLES = frozenset({"admin", "manager", "officer"})
NATIONAL_ROLES = frozenset({"admin", "manager"})


@dataclass(frozen=True)
class Scope:
    """What part of the country an actor works on: everything, or a set of communes."""

    national: bool
    communes: frozenset[str] = frozenset()

    def as_params(self) -> dict:
        """Query parameters understood by the predicates of ``graph.scope``."""
        return {"scope_national": self.national, "scope_communes": sorted(self.communes)}

    def covers(self, commune_code: str | None) -> bool:
        return self.national or (commune_code is not None and commune_code in self.communes)


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a use case runs."""

    uid: str
    email: str
    display_name: str
    role: str
    session_token: str
    communes: frozenset[str] = field(default=frozenset(), repr=False)
    territory_set: bool = False
    address: str = ""  # where the request came from, for the audit trail

    @property
    def can_write(self) -> bool:
        return self.role in WRITER_ROLES

    @property
    def scope(self) -> Scope:
        if self.role in NATIONAL_ROLES:
            return Scope(national=True)
        if self.role in ("analyst", "viewer") and not self.territory_set:
            return Scope(national=True)
        return Scope(national=False, communes=self.communes)


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise Forbidden("Votre rôle ne permet pas de modifier les données.")


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden("Votre rôle ne permet pas cette action.")
