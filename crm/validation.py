"""Checks and normalisation of field values shared by the use cases (French messages)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from crm.errors import Invalid
from crm.text import clean_text

__all__ = [
    "Errors",
    "choices",
    "moroccan_e164",
    "normalise_email",
    "normalise_emails",
    "normalise_phone",
    "normalise_phones",
    "normalise_url",
    "parse_date",
]

MAX_NAME = 200
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")  # "mailto:", "javascript:", "https:"
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+$")
MAX_NOTES = 5000


class Errors(dict):
    """Field -> message, filled while checking a whole form so every problem is reported."""

    def check(self, field: str, ok: bool, message: str) -> None:
        if not ok and field not in self:
            self[field] = message

    def raise_if_any(self) -> None:
        if self:
            raise Invalid(dict(self))


def required_text(errors: Errors, data: dict, field: str, label: str, limit: int = MAX_NAME) -> str:
    value = clean_text(data.get(field))
    errors.check(field, bool(value), f"{label} est obligatoire.")
    errors.check(field, len(value) <= limit, f"{label} ne doit pas dépasser {limit} caractères.")
    return value


def optional_text(errors: Errors, data: dict, field: str, limit: int = MAX_NAME) -> str:
    value = clean_text(data.get(field))
    errors.check(field, len(value) <= limit, f"Ce champ ne doit pas dépasser {limit} caractères.")
    return value


# The shapes most Moroccan numbers are typed in: 0X XX XX XX XX, +212 X…, 00212 X… (spaces,
# dots or dashes between the digits), X one of 5-8 (fixed, mobile, VoIP).
_PHONE_SEPARATORS = str.maketrans("", "", " .-")
_MOROCCAN_NUMBER = re.compile(r"(?:\+212|00212|0)([5-8]\d{8})")


def moroccan_e164(raw: str) -> str | None:
    """E.164 of a valid number typed in one of the common Moroccan shapes, without running
    phonenumbers' parser (an import checks thousands); None for any other text, which
    ``normalise_phone`` then parses. The number is the very one the parser reads from
    these shapes (country code 212, the nine digits after the trunk prefix), checked
    with phonenumbers' own validity rules (``_valid_moroccan``)."""
    found = _MOROCCAN_NUMBER.fullmatch(raw.translate(_PHONE_SEPARATORS))
    if found is None:
        return None
    national = found.group(1)
    return "+212" + national if _valid_moroccan(national) else None


def _validity_patterns() -> list[tuple[re.Pattern, re.Pattern]]:
    """Per region of country code 212 (Morocco, Western Sahara), phonenumbers' own rules for
    a nine-digit national number: its general pattern, and the union of the patterns of
    every number type whose possible lengths allow nine digits. A number is valid, as
    ``phonenumbers.is_valid_number`` says, when it matches both for one of the regions."""
    kinds = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
             "uan", "voicemail", "fixed_line", "mobile")  # fmt: skip
    patterns = []
    for region in phonenumbers.region_codes_for_country_code(212):
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        general = meta.general_desc
        if 9 not in (general.possible_length or (9,)):
            continue
        types = [
            desc.national_number_pattern
            for desc in (getattr(meta, kind) for kind in kinds)
            if desc is not None
            and desc.national_number_pattern
            and 9 in (desc.possible_length or (9,))
        ]
        if types:
            patterns.append((
                re.compile(general.national_number_pattern),
                re.compile("(?:" + ")|(?:".join(types) + ")"),
            ))  # fmt: skip
    return patterns


_VALIDITY = _validity_patterns()


def _valid_moroccan(national: str) -> bool:
    """``phonenumbers.is_valid_number`` for +212 and a nine-digit ``national``, from its
    metadata compiled once (``_validity_patterns``): two regular expressions per region."""
    return any(
        general.fullmatch(national) is not None and types.fullmatch(national) is not None
        for general, types in _VALIDITY
    )


def normalise_phone(errors: Errors, field: str, raw: str | None) -> str:
    """A phone number as typed (Moroccan formats accepted) -> E.164, or '' when empty."""
    raw = clean_text(raw)
    if not raw:
        return ""
    fast = moroccan_e164(raw)
    if fast:
        return fast
    try:
        number = phonenumbers.parse(raw, "MA")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        errors.check(field, False, "Numéro de téléphone invalide (ex. 0661 23 45 67 ou +212 5…).")
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(errors: Errors, field: str, raw: str | None) -> str:
    raw = clean_text(raw)
    if not raw:
        return ""
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors.check(field, False, "Adresse e-mail invalide.")
        return ""


def normalise_url(errors: Errors, field: str, raw: str | None) -> str:
    """Only http(s) links are kept, so a stored link can never run script when clicked."""
    raw = clean_text(raw)
    if not raw:
        return ""
    if not _SCHEME.match(raw):
        raw = "https://" + raw
    parts = urlsplit(raw)
    ok = (
        parts.scheme in ("http", "https")
        and bool(_HOST.match(parts.hostname or ""))
        and not any(ch.isspace() for ch in raw)
    )
    errors.check(field, ok, "Adresse web invalide (http:// ou https://).")
    return raw if ok else ""


def parse_date(errors: Errors, field: str, raw: object) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors.check(field, False, "Date invalide (format AAAA-MM-JJ).")
        return None


_SEPARATORS = re.compile(r"[,;\n]+")


def split_values(raw: object) -> list[str]:
    """Several values typed in one field (commas, semicolons or new lines), or a list."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else _SEPARATORS.split(str(raw))
    return [clean_text(item) for item in items if clean_text(item)]


def normalise_phones(errors: Errors, field: str, raw: object) -> list[str]:
    """Each number -> E.164, duplicates dropped, order kept (the first is the main one)."""
    numbers = [normalise_phone(errors, field, item) for item in split_values(raw)]
    return list(dict.fromkeys(n for n in numbers if n))


def normalise_emails(errors: Errors, field: str, raw: object) -> list[str]:
    emails = [normalise_email(errors, field, item) for item in split_values(raw)]
    return list(dict.fromkeys(e for e in emails if e))


def choices(errors: Errors, field: str, raw: object, vocabulary: dict[str, str]) -> list[str]:
    """Codes picked from a closed list; an unknown code is refused."""
    values = [v for v in (raw or []) if v] if isinstance(raw, list | tuple) else split_values(raw)
    errors.check(field, all(v in vocabulary for v in values), "Valeur inconnue.")
    return [v for v in vocabulary if v in values]
