"""Jinja filters for display (formatting only, never markup)."""

from __future__ import annotations

import phonenumbers
from flask import Flask

from graph.vocabulary import (
    AGE_BANDS,
    LANGUAGES,
    LEGAL_BASES,
    ORGANISATION_KINDS,
    THEMES,
    USER_ROLES,
)

__all__ = ["init_templating"]


def phone_display(e164: str | None) -> str:
    """ "+212661234567" -> "+212 6 61 23 45 67" (international format, readable)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def vocab(code: str, vocabulary: dict[str, str]) -> str:
    """The French label of a code of a closed list."""
    return vocabulary.get(code, code)


def init_templating(app: Flask) -> None:
    app.add_template_filter(phone_display, "phone")
    app.add_template_filter(vocab, "vocab")
    app.jinja_env.globals.update(
        legal_bases=LEGAL_BASES,
        organisation_kinds=ORGANISATION_KINDS,
        roles=USER_ROLES,
        age_bands=AGE_BANDS,
        languages=LANGUAGES,
        themes=THEMES,
    )
