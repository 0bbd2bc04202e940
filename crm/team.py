"""Administration of the team: who has which role, on which territory.

A territory is a set of units (regions, provinces or prefectures, communes) chosen by name;
units are shown with a label that says what they are ("Oriental (région)", "Oujda-Angad
(préfecture)", "Oujda (commune, Oujda-Angad)"), never by their HCP code alone. An officer
(role ``officer``) must have a territory: their scope is made of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from crm import audit, users
from crm.access import Actor, require_role
from crm.errors import Invalid, NotFound
from crm.text import search_key
from crm.transactions import reads, writes
from graph import team as store
from graph import territory as geography
from graph.vocabulary import USER_ROLES

__all__ = [
    "create_user",
    "deactivate_user",
    "find_units",
    "get_user",
    "list_users",
    "set_role",
    "set_territory",
    "territory_picker",
    "unit_label",
]

# Roles whose scope is their territory: an account with one of them cannot do without one.
_NEEDS_TERRITORY = {"officer"}
_TERRITORY_REQUIRED = (
    "Un(e) chargé(e) territorial(e) doit avoir un territoire : choisissez au moins une "
    "région, une province ou une commune."
)
_PROVINCE_TYPES = {"prefecture": "préfecture", "province": "province"}
# Groups of the picker's suggestions, in the order they are shown.
UNIT_GROUPS = {"Region": "Régions", "Province": "Provinces et préfectures", "Commune": "Communes"}


def unit_label(unit: dict) -> str:
    """How a territory unit is written for people: its name and what it is."""
    if unit["kind"] == "Region":
        return f"{unit['name_fr']} (région)"
    if unit["kind"] == "Province":
        return f"{unit['name_fr']} ({_PROVINCE_TYPES.get(unit.get('type'), 'province')})"
    province = unit.get("province")
    where = f"commune, {province}" if province else "commune"
    return f"{unit['name_fr']} ({where})"


def _labelled(units: list[dict]) -> list[dict]:
    return [{**unit, "label": unit_label(unit)} for unit in units]


def _account(row: dict) -> dict:
    return {**row, "territory": _labelled(row["territory"])}


@reads
def list_users(actor: Actor) -> list[dict]:
    require_role(actor, "admin")
    return [_account(row) for row in store.list_users()]


@reads
def get_user(actor: Actor, user_uid: str) -> dict:
    require_role(actor, "admin")
    for account in store.list_users():
        if account["uid"] == user_uid:
            return _account(account)
    raise NotFound(user_uid)


def _territory(codes: Sequence[str], role: str | None) -> tuple[list[str], list[dict], dict]:
    """The codes cleaned, the units they name, and the refusals (field ``territory``)."""
    codes = sorted({c.strip() for c in codes if c and c.strip()})
    units = store.territory_units(codes) if codes else []
    unknown = sorted(set(codes) - {u["code"] for u in units})
    if unknown:
        return codes, units, {"territory": "Codes inconnus : " + ", ".join(unknown)}
    if not codes and role in _NEEDS_TERRITORY:
        return codes, units, {"territory": _TERRITORY_REQUIRED}
    return codes, units, {}


def _names(units: list[dict]) -> str:
    return ", ".join(unit_label(u) for u in units) or "aucun"


@writes
def set_territory(actor: Actor, user_uid: str, codes: Sequence[str]) -> list[dict]:
    """Give a user a territory: HCP codes of regions, provinces and/or communes.

    Refused (``Invalid`` on ``territory``) for unknown codes, and for an empty territory when
    the account is an officer's. Returns the units, labelled.
    """
    require_role(actor, "admin")
    role = store.role_of(user_uid)
    if role is None:
        raise NotFound(user_uid)
    codes, units, problems = _territory(codes, role)
    if problems:
        raise Invalid(problems)
    before = store.territory_of(user_uid)
    store.set_territory(user_uid, codes)
    audit.record(
        actor,
        "permission",
        target_kind="user",
        target_uid=user_uid,
        summary="Territoire : " + _names(units),
        details={"before": [u["code"] for u in before], "after": codes},
    )
    return _labelled(units)


@writes
def set_role(actor: Actor, user_uid: str, role: str) -> None:
    require_role(actor, "admin")
    if role not in USER_ROLES:
        raise Invalid({"role": "Rôle inconnu."})
    if user_uid == actor.uid and role != "admin":
        raise Invalid({"role": "Vous ne pouvez pas retirer votre propre rôle d'administrateur."})
    if role in _NEEDS_TERRITORY and not store.territory_of(user_uid):
        raise Invalid(
            {
                "role": "Donnez d'abord un territoire à ce compte : un(e) chargé(e) "
                "territorial(e) doit en avoir un."
            }
        )
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


@writes
def create_user(
    actor: Actor,
    email: str,
    display_name: str,
    password: str,
    role: str,
    territory: Sequence[str] = (),
) -> str:
    """An administrator opens an account with its role and territory, in one unit of work.

    Refused (``Invalid``, by field) for the account's own reasons (e-mail, name, password,
    role) and the territory's (unknown codes; none for an officer). The territory is checked
    first and nothing is written when it is refused.
    """
    require_role(actor, "admin")
    codes, units, problems = _territory(territory, role)
    if not role:
        problems["role"] = "Choisissez un rôle."
    if problems:
        # Before the account is written: graph.users saves it through neomodel, outside this
        # unit of work, so a refusal raised after it would not roll it back.
        raise Invalid(problems)
    uid = users.create_user(email, display_name, password, role)
    store.set_territory(uid, codes)
    audit.record(
        actor,
        "permission",
        target_kind="user",
        target_uid=uid,
        summary=f"Compte créé : {email.strip().lower()} ({USER_ROLES.get(role, role)}) ; "
        f"territoire : {_names(units)}",
        details={"territory": codes},
    )
    return uid


@writes
def deactivate_user(actor: Actor, user_uid: str, *, confirmed: bool) -> None:
    """Deactivate an account once the administrator has confirmed it (``Invalid`` on
    ``confirm`` otherwise). One's own account is refused by ``crm.users`` whatever the box
    says, so that refusal is the one reported."""
    require_role(actor, "admin")
    if not confirmed and user_uid != actor.uid:
        raise Invalid(
            {"confirm": "Cochez « Je confirme la désactivation » pour désactiver ce compte."}
        )
    users.deactivate_user(actor, user_uid)


@reads
def find_units(actor: Actor, text: str, limit: int = 20) -> list[dict]:
    """Regions, provinces and communes whose name matches ``text``, labelled, in the order
    of the picker: regions (the programme's first), provinces, then communes (``limit``).

    Each unit carries ``group``, the French heading it is listed under.
    """
    require_role(actor, "admin")
    key = search_key(text)
    if len(key) < 2:
        return []
    found = []
    provinces = []
    for region in store.territory_tree():
        if key in search_key(region["name_fr"]):
            found.append(region)
        provinces += [p for p in region["provinces"] if key in search_key(p["name_fr"])]
    communes = [{**c, "kind": "Commune"} for c in geography.find_communes(key, limit)]
    return [
        {
            "code": unit["code"],
            "kind": unit["kind"],
            "label": unit_label(unit),
            "group": UNIT_GROUPS[unit["kind"]],
        }
        for unit in found + provinces + communes
    ]


@reads
def territory_picker(actor: Actor, chosen: Sequence[str], query: str | None = None) -> dict:
    """What the territory picker shows: every region with its provinces (``regions``), the
    units ``chosen`` (labelled; unknown codes left out) and, for a ``query``, the communes
    found (``found``) — the way to pick a commune without JavaScript."""
    require_role(actor, "admin")
    codes = sorted({c for c in chosen if c})
    return {
        "regions": [
            {
                **region,
                "label": unit_label(region),
                "provinces": _labelled(region["provinces"]),
            }
            for region in store.territory_tree()
        ],
        "chosen": _labelled(store.territory_units(codes)) if codes else [],
        "found": [u for u in find_units(actor, query or "") if u["kind"] == "Commune"],
        "query": (query or "").strip(),
    }
