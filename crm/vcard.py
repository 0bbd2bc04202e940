"""vCard 3.0 export of people, so an officer can put contacts in a phone."""

from __future__ import annotations

import vobject

from crm import audit
from crm.access import Actor, require_role
from crm.errors import NotFound
from crm.exports import EXPORT_ROLES
from graph import contacts
from graph.vocabulary import ORGANISATION_KINDS

__all__ = ["people_vcards", "person_vcard"]


def person_vcard(actor: Actor, uid: str) -> str:
    """One person as a vCard (opposed and anonymised people are not exported)."""
    require_role(actor, *EXPORT_ROLES)
    rows = contacts.export_people(actor.scope.as_params(), uids=[uid])
    if not rows:
        audit.record(actor, "denied", target_kind="person", target_uid=uid)
        raise NotFound(uid)
    _audit(actor, rows, uid)
    return _card(rows[0]).serialize()


def people_vcards(actor: Actor) -> str:
    """Every person the actor may see and export, as one .vcf file."""
    require_role(actor, *EXPORT_ROLES)
    rows = contacts.export_people(actor.scope.as_params())
    _audit(actor, rows)
    return "".join(_card(row).serialize() for row in rows)


def _card(row: dict) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=row["last_name"], given=row["first_name"])
    card.add("fn").value = f"{row['first_name']} {row['last_name']}"
    if row.get("first_name_ar") or row.get("last_name_ar"):
        # The Arabic name as a nickname: phone address books show and search it.
        arabic = " ".join(x for x in (row.get("first_name_ar"), row.get("last_name_ar")) if x)
        card.add("nickname").value = arabic
    for i, phone in enumerate(row.get("phones") or []):
        tel = card.add("tel")
        tel.value = phone
        tel.type_param = ["CELL", "pref"] if i == 0 else ["CELL"]
    for email in row.get("emails") or []:
        item = card.add("email")
        item.value = email
        item.type_param = "INTERNET"
    if row.get("organisations"):
        first = row["organisations"][0]
        card.add("org").value = [first["name"]]
        if first.get("role"):
            card.add("title").value = first["role"]
        kinds = {ORGANISATION_KINDS.get(o["kind"], "") for o in row["organisations"]} - {""}
        if kinds:
            card.add("categories").value = sorted(kinds)
    if row.get("commune"):
        card.add("adr").value = vobject.vcard.Address(city=row["commune"], country="Maroc")
    card.add("uid").value = f"urn:uuid:{row['uid']}"
    return card


def _audit(actor: Actor, rows: list[dict], uid: str = "") -> None:
    audit.record(
        actor,
        "export",
        target_kind="person",
        target_uid=uid,
        summary=f"Export vCard ({len(rows)} fiche{'s' if len(rows) > 1 else ''})",
        details={"format": "vcard", "count": len(rows)},
    )
