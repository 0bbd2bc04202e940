"""What an import can fill, per kind, and the headers recognised for each field.

A *kind* is what one row of the file describes: a person, an organisation, a person's
function in an organisation (affiliation), or a participant of an event (attendance). A
*mapping* gives each column of the file a field code of its kind (or ``""``: ignored).
Headers are compared once folded (``crm.text.search_key``: case, accents, Arabic letter
variants), in French, English and Arabic.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.text import search_key

__all__ = ["FIELDS", "KINDS", "ImportKind", "guess_mapping", "header_key"]


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: str  # French, for the pages
    fields: tuple[str, ...]  # field codes a column may be mapped to
    help: str


PERSON_FIELDS = (
    "last_name", "first_name", "last_name_ar", "first_name_ar", "gender", "age_band",
    "phone", "email", "commune", "notes",
)  # fmt: skip

KINDS: dict[str, ImportKind] = {
    "people": ImportKind(
        "people",
        "Personnes",
        PERSON_FIELDS,
        "Une ligne par personne : nom et prénom (en lettres latines ou arabes), commune, "
        "téléphone, e-mail…",
    ),
    "organisations": ImportKind(
        "organisations",
        "Organisations",
        ("name", "name_ar", "acronym", "org_kind", "phone", "email", "website", "commune", "notes"),
        "Une ligne par organisation : nom, type, commune, sigle, téléphone…",
    ),  # fmt: skip
    "affiliations": ImportKind(
        "affiliations",
        "Fonctions (personne et organisation)",
        (*PERSON_FIELDS, "organisation", "role", "since", "until"),
        "Une ligne par fonction : la personne, l'organisation où elle l'exerce, la fonction "
        "et ses dates. Les personnes et organisations absentes sont créées.",
    ),
    "attendance": ImportKind(
        "attendance",
        "Feuille d'émargement d'un événement",
        (*PERSON_FIELDS, "organisation", "attendance_role"),
        "Une ligne par participant(e) de l'événement choisi : la personne, et au besoin "
        "l'organisation qu'elle représente et son rôle.",
    ),
}

# field code -> (French label, headers recognised besides the label).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "last_name": ("Nom", ("nom", "nom de famille", "last name", "lastname", "surname",
                          "family name", "الاسم العائلي", "الإسم العائلي", "النسب", "اللقب",
                          "الاسم العائلى")),
    "first_name": ("Prénom", ("prenom", "first name", "firstname", "given name",
                              "الاسم الشخصي", "الإسم الشخصي", "الاسم", "الإسم")),
    "last_name_ar": ("Nom (arabe)", ("nom arabe", "nom en arabe", "last name arabic",
                                     "nom ar")),
    "first_name_ar": ("Prénom (arabe)", ("prenom arabe", "prenom en arabe",
                                         "first name arabic", "prenom ar")),
    "gender": ("Genre", ("genre", "sexe", "gender", "sex", "الجنس", "النوع")),
    "age_band": ("Tranche d'âge", ("tranche d age", "age", "tranche age", "age band",
                                   "الفئة العمرية", "السن", "العمر")),
    "phone": ("Téléphone", ("telephone", "tel", "gsm", "portable", "mobile", "phone",
                            "phone number", "numero de telephone", "الهاتف", "رقم الهاتف",
                            "الهاتف المحمول")),
    "email": ("E-mail", ("email", "e mail", "mail", "courriel", "adresse e mail",
                         "adresse email", "البريد الإلكتروني", "البريد الالكتروني",
                         "البريد")),
    "commune": ("Commune", ("commune", "municipality", "ville", "الجماعة",
                            "الجماعة الترابية")),
    "notes": ("Notes", ("notes", "remarques", "observations", "commentaire", "comments",
                        "ملاحظات")),
    "name": ("Nom de l'organisation", ("nom", "name", "organisation", "organization",
                                       "association", "raison sociale", "الاسم", "الجمعية",
                                       "المؤسسة", "الهيئة", "المنظمة")),
    "name_ar": ("Nom (arabe)", ("nom arabe", "nom en arabe", "name arabic",
                                "الاسم بالعربية")),
    "acronym": ("Sigle", ("sigle", "acronyme", "acronym", "abreviation", "الاختصار")),
    "org_kind": ("Type d'organisation", ("type", "type d organisation", "categorie", "kind",
                                         "category", "الصنف", "نوع المؤسسة")),
    "website": ("Site web", ("site web", "site", "website", "url", "web", "الموقع")),
    "organisation": ("Organisation", ("organisation", "organization", "association",
                                      "structure", "institution", "organisme",
                                      "etablissement", "الجمعية", "المؤسسة", "الهيئة",
                                      "المنظمة")),
    "role": ("Fonction", ("fonction", "role", "poste", "position", "job title", "title",
                          "qualite", "الصفة", "المهمة", "الوظيفة")),
    "since": ("Depuis le", ("depuis", "date de debut", "debut", "since", "start date",
                            "from", "تاريخ البداية")),
    "until": ("Jusqu'au", ("jusqu au", "date de fin", "fin", "until", "end date", "to",
                           "تاريخ النهاية")),
    "attendance_role": ("Rôle à l'événement", ("role", "role a l evenement", "participation",
                                                "qualite", "الدور", "الصفة")),
}  # fmt: skip


def header_key(header: str) -> str:
    """A header as it is compared: folded, without punctuation."""
    return search_key(header)


def _aliases(kind: ImportKind) -> dict[str, str]:
    table: dict[str, str] = {}
    for field in kind.fields:
        label, aliases = FIELDS[field]
        for alias in (label, *aliases):
            table.setdefault(header_key(alias), field)
    return table


_ALIASES = {code: _aliases(kind) for code, kind in KINDS.items()}


def guess_mapping(kind: str, headers: list[str], saved: dict[str, str] | None = None) -> list[str]:
    """A field code (or ``""``) for each header: from a saved mapping (``{header key:
    field}``) first, else the recognised headers; a field is given to one column only."""
    table = _ALIASES[kind]
    used: set[str] = set()
    mapping: list[str] = []
    for header in headers:
        key = header_key(header)
        field = (saved or {}).get(key) or table.get(key, "")
        if field not in KINDS[kind].fields or field in used:
            field = ""
        used.add(field)
        mapping.append(field)
    return mapping


def field_label(field: str) -> str:
    return FIELDS[field][0] if field in FIELDS else ""
