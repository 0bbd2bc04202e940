"""Checking one row of an import: the records it describes, or the errors of each column.

The checks are those of the forms (``crm.validation``: names, phones through phonenumbers,
e-mails, dates; the vocabularies of ``graph.vocabulary``) and the props are written exactly
as ``crm.people`` and ``crm.organisations`` write them (search keys included). Communes are
read from a name (French or Arabic) or an HCP code, within the actor's territory, from a
table loaded once per import (``CommuneTable``) rather than one query per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from crm.search import organisation_keys, person_keys
from crm.text import clean_text, search_key
from crm.validation import (
    MAX_NAME,
    MAX_NOTES,
    Errors,
    normalise_email,
    normalise_emails,
    normalise_phone,
    normalise_phones,
    normalise_url,
)
from graph.vocabulary import AGE_BANDS, ATTENDANCE_ROLES, ORGANISATION_KINDS

__all__ = ["CommuneTable", "Options", "RowCheck", "check_row", "is_arabic"]

FORMULA = "Formule de tableur refusée : saisissez la valeur elle-même."
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_CODE_IN_TEXT = re.compile(r"\[(\d{2}\.\d{3}\.\d{2}\.\d{1,2})\]\s*$")
_CODE = re.compile(r"^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def is_arabic(text: str) -> bool:
    """Written in Arabic script only (no Latin letter)."""
    return bool(_ARABIC.search(text)) and not _LATIN.search(text)


@dataclass(frozen=True)
class Options:
    """What the upload form sets for the whole file."""

    default_commune: str | None = None  # HCP code
    organisation_kind: str = "osc"  # of the organisations created for a row
    legal_basis: str = ""
    purpose: str = ""
    source: str = ""  # "Import du fichier …", kept on every record created (law 09-08)


class CommuneTable:
    """The communes an import may name, read once: ``resolve`` a name or code to a code."""

    def __init__(self, communes: list[dict], national: bool, scope: frozenset[str]) -> None:
        self.national = national
        self.scope = scope
        self.by_code = {c["code"]: c for c in communes}
        self.by_name: dict[str, list[str]] = {}
        for c in communes:
            for name in (c.get("name_fr"), c.get("name_ar")):
                if name:
                    self.by_name.setdefault(search_key(name), []).append(c["code"])

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """``(code, None)``, ``(None, None)`` when empty, or ``(None, French message)``."""
        text = clean_text(text)
        if not text:
            return None, None
        match = _CODE_IN_TEXT.search(text)
        code = match.group(1) if match else (text if _CODE.match(text) else None)
        codes = (
            [code]
            if code in self.by_code
            else []
            if code
            else self.by_name.get(search_key(text), [])
        )
        if not codes:
            return None, "Commune inconnue (nom ou code HCP)."
        mine = [c for c in codes if self.national or c in self.scope]
        if not mine:
            return None, "Cette commune est hors de votre territoire."
        if len(mine) > 1:
            options = ", ".join(f"{self.by_code[c]['name_fr']} [{c}]" for c in mine[:4])
            return None, f"Plusieurs communes portent ce nom, indiquez le code : {options}."
        return mine[0], None


@dataclass
class RowCheck:
    """One data row checked: its records' props, or its errors (field code -> message)."""

    number: int
    cells: list[str]
    errors: dict[str, str] = field(default_factory=dict)
    person: dict | None = None
    person_commune: str | None = None
    organisation: dict | None = None
    organisation_commune: str | None = None
    link: dict = field(default_factory=dict)  # the function, or the attendance


def check_row(
    kind: str,
    number: int,
    cells: list[str],
    mapping: list[str],
    communes: CommuneTable,
    options: Options,
) -> RowCheck:
    """Check one row against ``mapping`` (a field code per column)."""
    row = RowCheck(number, cells)
    errors = Errors()
    values: dict[str, str] = {}
    for index, code in enumerate(mapping):
        if code and index < len(cells) and cells[index]:
            value = cells[index]
            if value.startswith("="):
                errors.check(code, False, FORMULA)
            else:
                values[code] = value
    extra = [c for c in cells[len(mapping) :] if c]
    if extra:
        errors.check(
            "", False, f"Ligne plus longue que l'en-tête : {len(extra)} valeur(s) sans colonne."
        )
    commune, problem = communes.resolve(values.get("commune", ""))
    errors.check("commune", problem is None, problem or "")
    if commune is None and problem is None:
        commune = options.default_commune
    if kind == "organisations":
        row.organisation = _organisation(errors, values, values.get("name", ""), options, "name")
        row.organisation_commune = _required_commune(errors, commune, communes)
    else:
        row.person = _person(errors, values, options)
        row.person_commune = _required_commune(errors, commune, communes)
        org_name = clean_text(values.get("organisation"))
        if kind == "affiliations":
            errors.check("organisation", bool(org_name), "L'organisation est obligatoire.")
            row.link = _function(errors, values)
        if kind == "attendance":
            role = _attendance_role(errors, values.get("attendance_role", ""))
            row.link = {"role": role}
        if org_name:
            row.organisation = _organisation(errors, {}, org_name, options, "organisation")
            row.organisation_commune = row.person_commune
    row.errors = dict(errors)
    return row


def _required_commune(errors: Errors, code: str | None, communes: CommuneTable) -> str | None:
    if not communes.national:
        errors.check(
            "commune",
            code is not None,
            "Indiquez la commune (colonne Commune, ou commune par défaut), dans votre territoire.",
        )
    return code


def _text(errors: Errors, values: dict, code: str, limit: int = MAX_NAME) -> str:
    value = clean_text(values.get(code))
    errors.check(code, len(value) <= limit, f"Ce champ ne doit pas dépasser {limit} caractères.")
    return value


def _person(errors: Errors, values: dict, options: Options) -> dict:
    """A person as ``crm.people`` writes one. A name written in Arabic script in the Latin
    name's column is the Arabic name; the record then also shows it as its name."""
    names = {code: _text(errors, values, code) for code in
             ("first_name", "last_name", "first_name_ar", "last_name_ar")}  # fmt: skip
    for latin in ("first_name", "last_name"):
        arabic = latin + "_ar"
        if names[latin] and is_arabic(names[latin]) and not names[arabic]:
            names[arabic] = names[latin]
        if not names[latin]:
            names[latin] = names[arabic]
    errors.check("first_name", bool(names["first_name"]), "Le prénom est obligatoire.")
    errors.check("last_name", bool(names["last_name"]), "Le nom est obligatoire.")
    props = {
        **names,
        "gender": _gender(errors, values.get("gender", "")),
        "age_band": _age_band(errors, values.get("age_band", "")),
        "languages": [],
        "emails": normalise_emails(errors, "email", values.get("email")),
        "phones": normalise_phones(errors, "phone", values.get("phone")),
        "themes": [],
        "notes": _text(errors, values, "notes", MAX_NOTES),
        "legal_basis": options.legal_basis,
        "purpose": options.purpose,
        "source": options.source,
        "retain_until": None,
    }
    props["privacy_incomplete"] = not (props["legal_basis"] and props["purpose"])
    props.update(person_keys(props))
    return props


def _organisation(errors: Errors, values: dict, name: str, options: Options, key: str) -> dict:
    name = clean_text(name)
    errors.check(key, bool(name), "Le nom de l'organisation est obligatoire.")
    errors.check(key, len(name) <= MAX_NAME, f"Le nom dépasse {MAX_NAME} caractères.")
    kind = _organisation_kind(errors, values.get("org_kind", "")) or options.organisation_kind
    props = {
        "name": name,
        "name_ar": _text(errors, values, "name_ar"),
        "acronym": _text(errors, values, "acronym", 30),
        "kind": kind,
        "email": normalise_email(errors, "email", values.get("email")),
        "phone": normalise_phone(errors, "phone", values.get("phone")),
        "website": normalise_url(errors, "website", values.get("website")),
        "social": "",
        "themes": [],
        "notes": _text(errors, values, "notes", MAX_NOTES),
        "shared": False,
    }
    props.update(organisation_keys(props))
    return props


def _function(errors: Errors, values: dict) -> dict:
    role = _text(errors, values, "role")
    errors.check("role", bool(role), "La fonction est obligatoire.")
    since = parse_day(errors, "since", values.get("since"))
    until = parse_day(errors, "until", values.get("until"))
    if since and until:
        errors.check("until", until >= since, "La date de fin précède la date de début.")
    return {"role": role, "since": since, "until": until, "focal_point": False}


_GENDERS = {
    "f": "f", "femme": "f", "feminin": "f", "female": "f", "woman": "f", "انثي": "f",
    "امراه": "f", "m": "m", "h": "m", "homme": "m", "masculin": "m", "male": "m", "man": "m",
    "ذكر": "m", "رجل": "m",
}  # fmt: skip


def _gender(errors: Errors, raw: str) -> str:
    key = search_key(raw)
    if not key:
        return ""
    errors.check("gender", key in _GENDERS, "Genre inconnu (F ou H, Femme ou Homme).")
    return _GENDERS.get(key, "")


def _age_band(errors: Errors, raw: str) -> str:
    text = clean_text(raw)
    if not text:
        return ""
    if text in AGE_BANDS:
        return text
    if text.isdigit():
        age = int(text)
        for code, low in (("60+", 60), ("45-59", 45), ("35-44", 35), ("25-34", 25), ("18-24", 18)):
            if age >= low:
                return code
    labels = {search_key(label): code for code, label in AGE_BANDS.items() if code}
    code = labels.get(search_key(text), "")
    errors.check("age_band", bool(code), "Tranche d'âge inconnue (ex. 25-34 ou un âge).")
    return code


def _organisation_kind(errors: Errors, raw: str) -> str:
    key = search_key(raw)
    if not key:
        return ""
    for code, label in ORGANISATION_KINDS.items():
        if key in (code, search_key(label)) or search_key(label).startswith(key):
            return code
    errors.check("org_kind", False, "Type d'organisation inconnu.")
    return ""


def _attendance_role(errors: Errors, raw: str) -> str:
    key = search_key(raw)
    if not key:
        return "participant"
    for code, label in ATTENDANCE_ROLES.items():
        if key == code or search_key(label).startswith(key[:6]):
            return code
    errors.check("attendance_role", False, "Rôle inconnu (participant, intervenant…).")
    return "participant"


def parse_day(errors: Errors, field_name: str, raw: object) -> date | None:
    """A date written 2024-03-15, 15/03/2024, 15-03-2024 or 15.03.2024."""
    text = clean_text(str(raw or ""))
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    errors.check(field_name, False, "Date invalide (ex. 15/03/2024 ou 2024-03-15).")
    return None
