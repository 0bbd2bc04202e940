"""Administration of the team: who has which role, on which territory."""

from __future__ import annotations

from crm import audit, users
from crm.access import Actor, require_role
from crm.errors import Invalid, NotFound
from crm.transactions import reads, writes
from graph import team as store
from graph.vocabulary import USER_ROLES

__all__ = ["create_user", "get_user", "list_users", "set_role", "set_territory"]


@reads
def list_users(actor: Actor) -> list[dict]:
    require_role(actor, "admin")
    return store.list_users()


@writes
def set_territory(actor: Actor, user_uid: str, codes: list[str]) -> list[dict]:
    """Give a user a territory: HCP codes of regions, provinces and/or communes."""
    require_role(actor, "admin")
    codes = sorted({c.strip() for c in codes if c and c.strip()})
    units = store.territory_units(codes)
    unknown = sorted(set(codes) - {u["code"] for u in units})
    if unknown:
        raise Invalid({"codes": "Codes inconnus : " + ", ".join(unknown)})
    before = store.territory_of(user_uid)
    if not store.set_territory(user_uid, codes):
        raise NotFound(user_uid)
    audit.record(
        actor,
        "permission",
        target_kind="user",
        target_uid=user_uid,
        summary="Territoire : " + (", ".join(u["name_fr"] for u in units) or "aucun"),
        details={"before": [u["code"] for u in before], "after": codes},
    )
    return units


@writes
def set_role(actor: Actor, user_uid: str, role: str) -> None:
    require_role(actor, "admin")
    if role not in USER_ROLES:
        raise Invalid({"role": "Rôle inconnu."})
    if user_uid == actor.uid and role != "admin":
        raise Invalid({"role": "Vous ne pouvez pas retirer votre propre rôle d'administrateur."})
    previous = store.set_role(user_uid, role)
    if previous is None:
        raise NotFound(user_uid)
    audit.record(
        actor,
        "permission",
        target_kind="user",
        target_uid=user_uid,
        summary=f"Rôle : {USER_ROLES.get(previous, previous)} → {USER_ROLES[role]}",
        details={"before": previous, "after": role},
    )


@reads
def get_user(actor: Actor, user_uid: str) -> dict:
    require_role(actor, "admin")
    for account in store.list_users():
        if account["uid"] == user_uid:
            return account
    raise NotFound(user_uid)


@writes
def create_user(actor: Actor, email: str, display_name: str, password: str, role: str) -> str:
    """An administrator opens an account (the territory is set afterwards)."""
    require_role(actor, "admin")
    uid = users.create_user(email, display_name, password, role)
    audit.record(
        actor,
        "permission",
        target_kind="user",
        target_uid=uid,
        summary=f"Compte créé : {email.strip().lower()} ({USER_ROLES.get(role, role)})",
    )
    return uid
