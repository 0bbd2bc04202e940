"""vCard 3.0 export of people, so an officer can put contacts in a phone."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

import vobject

from crm import audit
from crm.access import Actor, require_role
from crm.errors import NotFound
from crm.exports import EXPORT_ROLES, list_filters, people_to_export
from crm.transactions import reads
from graph import contacts
from graph.vocabulary import ORGANISATION_KINDS

__all__ = ["VCardFile", "card_filename", "people_vcards", "person_vcard"]

_MAX_NAME = 120  # characters of a file name, before ".vcf"


class VCardFile(NamedTuple):
    """A vCard and the file name it is saved under (UTF-8: Arabic and accents kept)."""

    filename: str
    text: str


@reads
def person_vcard(actor: Actor, uid: str) -> VCardFile:
    """One person as a vCard (opposed and anonymised people are not exported)."""
    require_role(actor, *EXPORT_ROLES)
    rows = contacts.export_people(actor.scope.as_params(), uids=[uid])
    if not rows:
        audit.record(actor, "denied", target_kind="person", target_uid=uid)
        raise NotFound(uid)
    _audit(actor, rows, uid)
    return VCardFile(card_filename(rows[0]), _card(rows[0]).serialize())


@reads
def people_vcards(
    actor: Actor, text: str = "", sort: str = "", *, territory: str = "", theme: str = ""
) -> str:
    """The people of the list (search and filters as for ``crm.people.search_people``) that
    the actor may export, as one .vcf file."""
    rows = people_to_export(actor, text, sort, territory=territory, theme=theme)
    _audit(actor, rows, filters=list_filters(text, sort, territory, theme))
    return "".join(_card(row).serialize() for row in rows)


def card_filename(row: dict) -> str:
    """The person's name as a file name: given names, then the family name in capitals.

    Words are joined by hyphens; anything but letters, marks and digits separates words. The
    Arabic name is used when there is no Latin one; "contact.vcf" when there is no name.

    >>> card_filename({"first_name": "Fatima Zahra", "last_name": "Alaoui"})
    'Fatima-Zahra-ALAOUI.vcf'
    >>> card_filename({"first_name": "", "last_name": "", "first_name_ar": "محمد",
    ...                "last_name_ar": "العلمي"})
    'محمد-العلمي.vcf'
    """
    given, family = row.get("first_name") or "", row.get("last_name") or ""
    if not (given.strip() or family.strip()):
        given, family = row.get("first_name_ar") or "", row.get("last_name_ar") or ""
    words = _words(given) + _words(family.upper())
    stem = "-".join(words)[:_MAX_NAME].strip("-")
    return f"{stem or 'contact'}.vcf"


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    return "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text).split()


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


def _audit(actor: Actor, rows: list[dict], uid: str = "", filters: dict | None = None) -> None:
    details = {"format": "vcard", "count": len(rows)}
    if filters:
        details["filters"] = filters
    audit.record(
        actor,
        "export",
        target_kind="person",
        target_uid=uid,
        summary=f"Export vCard ({len(rows)} fiche{'s' if len(rows) > 1 else ''})",
        details=details,
    )
