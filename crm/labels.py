"""How stored fields and codes read on a page: French field labels, values through their
vocabularies, and people's names written one way everywhere.

The database and the audit trail keep codes, uids and ISO dates; pages and exports show what
this module makes of them, so that no template or export has to know a code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from graph.interactions import INTERACTION_KINDS, INTERACTION_STATUSES
from graph.vocabulary import (
    AGE_BANDS,
    ATTENDANCE_ROLES,
    EVENT_KINDS,
    GENDERS,
    LANGUAGES,
    LEGAL_BASES,
    ORGANISATION_KINDS,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    THEMES,
    TRAINING_MODULES,
)

__all__ = [
    "FIELD_LABELS",
    "NAMED_FIELDS",
    "field_label",
    "person_name",
    "value_text",
    "yes_no",
]

# field -> French label, for every field a record's history or data sheet may show.
FIELD_LABELS: dict[str, str] = {
    # people
    "first_name": "Prénom",
    "last_name": "Nom",
    "first_name_ar": "Prénom en arabe",
    "last_name_ar": "Nom en arabe",
    "gender": "Genre",
    "age_band": "Tranche d'âge",
    "languages": "Langues",
    "emails": "E-mails",
    "phones": "Téléphones",
    "themes": "Thématiques",
    "notes": "Notes",
    "legal_basis": "Base légale",
    "purpose": "Finalité",
    "source": "Source",
    "retain_until": "Conservation jusqu'au",
    "privacy_incomplete": "Fiche à compléter (loi 09-08)",
    "opposition": "Opposition",
    "anonymised": "Anonymisée",
    "commune": "Commune",
    "merged_uids": "Fiches fusionnées",
    # organisations
    "name": "Nom",
    "name_ar": "Nom en arabe",
    "acronym": "Sigle",
    "kind": "Type",
    "email": "E-mail",
    "phone": "Téléphone",
    "website": "Site web",
    "social": "Réseau social",
    "shared": "Institution nationale partagée",
    # functions (affiliations)
    "role": "Fonction",
    "since": "Depuis",
    "until": "Jusqu'au",
    "focal_point": "Point focal",
    "organisation": "Organisation",
    # partnerships
    "title": "Intitulé",
    # interactions and follow-ups
    "status": "Statut",
    "date": "Date",
    "start_time": "Heure",
    "venue": "Lieu",
    "summary": "Résumé",
    "people": "Personnes",
    "organisations": "Organisations",
    "what": "Action",
    "due": "Échéance",
    "done": "Fait",
    "assignee": "Confié à",
    # events and attendance ("title" is shared with partnerships)
    "starts_at": "Début",
    "ends_at": "Fin",
    "start_date": "Date de début",
    "module": "Module de formation",
    "description": "Description",
    "organisers": "Organisateurs",
    "cancelled": "Annulé",
    "cancel_reason": "Motif de l'annulation",
    "participant": "Participant(e)",
    "attendance_role": "Rôle",
    # communes
    "pilot": "Commune pilote",
    "pilot_since": "Pilote depuis",
    # record keeping
    "created_at": "Créée le",
    "updated_at": "Modifiée le",
    "version": "Version",
}

# Fields whose values are codes of a closed list, whatever the record.
_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "gender": GENDERS,
    "age_band": AGE_BANDS,
    "languages": LANGUAGES,
    "themes": THEMES,
    "legal_basis": LEGAL_BASES,
}
# Fields whose vocabulary depends on the kind of record.
_KIND_VOCABULARIES: dict[str, dict[str, Mapping[str, str]]] = {
    "organisation": {"kind": ORGANISATION_KINDS},
    "interaction": {"kind": INTERACTION_KINDS, "status": INTERACTION_STATUSES},
    "event": {
        "kind": EVENT_KINDS,
        "module": TRAINING_MODULES,
        "attendance_role": ATTENDANCE_ROLES,
    },
    "partnership": {"kind": PARTNERSHIP_KINDS, "status": PARTNERSHIP_STATUSES},
    # Cadence settings: one field per kind of record followed.
    "setting": {},
}
_DATE_FIELDS = frozenset(
    {"since", "until", "retain_until", "date", "due", "pilot_since", "start_date", "starts_at",
     "ends_at"}
)  # fmt: skip
# Fields holding uids of records or accounts (or commune codes), shown by their current name.
NAMED_FIELDS = frozenset(
    {
        "people",
        "organisations",
        "organisation",
        "assignee",
        "commune",
        "merged_uids",
        "organisers",
        "participant",
    }
)
_MISSING = "fiche supprimée"


def field_label(field: str, kind: str = "") -> str:
    """The French label of a stored field (``kind``: the record kind, for its own fields).

    >>> field_label("age_band")
    "Tranche d'âge"
    """
    if kind == "setting":  # cadence settings are named after the kind of record followed
        return _setting_label(field)
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def value_text(
    field: str, value: object, kind: str = "", names: Mapping[str, str] | None = None
) -> str:
    """A stored value as a page shows it: labels for codes, dd/mm/yyyy for dates, oui/non,
    lists joined, records named (``names``: uid or code -> current name); "" when empty.

    >>> value_text("languages", ["ar", "ary"])
    'Arabe, Darija'
    >>> value_text("retain_until", "2027-01-31")
    '31/01/2027'
    """
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if field in NAMED_FIELDS:
        items = value if isinstance(value, list) else [value]
        return ", ".join((names or {}).get(str(item), _MISSING) for item in items)
    vocabulary = _KIND_VOCABULARIES.get(kind, {}).get(field) or _VOCABULARIES.get(field)
    if isinstance(value, list):
        return ", ".join(_one(field, item, vocabulary) for item in value)
    return _one(field, value, vocabulary)


def yes_no(value: object) -> str:
    return "oui" if value else "non"


def person_name(first_name: str | None, last_name: str | None) -> str:
    """How Tansiq writes a person's name, in headers and lists alike: "Prénom NOM".

    >>> person_name("Fatima Zahra", "Alaoui")
    'Fatima Zahra ALAOUI'
    """
    return " ".join(x for x in ((first_name or "").strip(), (last_name or "").strip().upper()) if x)


def _one(field: str, value: object, vocabulary: Mapping[str, str] | None) -> str:
    if vocabulary is not None:
        return vocabulary.get(str(value), str(value))
    if hasattr(value, "to_native"):  # neo4j.time values
        value = value.to_native()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if field in _DATE_FIELDS and isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
        time = value[11:16] if value[10:11] == "T" else ""  # an event's "2026-03-10T09:30"
        return f"{day}, {time}" if time else day
    return str(value)


def _setting_label(field: str) -> str:
    if field == "person":
        return "Cadence : personnes"
    return "Cadence : " + ORGANISATION_KINDS.get(field, field)
