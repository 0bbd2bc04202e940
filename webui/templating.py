"""Jinja filters for display (formatting only, never markup)."""

from __future__ import annotations

from datetime import tzinfo

import phonenumbers
from flask import Flask, current_app

from crm import clock, labels
from graph.audit import AUDIT_ACTIONS
from graph.vocabulary import (
    AGE_BANDS,
    GENDERS,
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


def datetime_fr(value, seconds: bool = False) -> str:
    """A stored instant (UTC) as users read it: local time of the programme, dd/mm/yyyy hh:mm."""
    if not value:
        return ""
    if hasattr(value, "to_native"):  # neo4j.time.DateTime
        value = value.to_native()
    local = value.astimezone(_local_zone())
    return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def _local_zone() -> tzinfo:
    return clock.zone(current_app.config.get("TIMEZONE"))


def chart_row(row: dict, label: str, value: str) -> dict:
    """``{"label", "value"}`` of a row, for the charts of ``_charts.html``."""
    return {"label": row[label], "value": row[value]}


def vocab(code: str, vocabulary: dict[str, str]) -> str:
    """The French label of a code of a closed list."""
    return vocabulary.get(code, code)


def person_name(record) -> str:
    """A person (any mapping with ``first_name`` and ``last_name``) written the one way
    Tansiq writes people, in headers and lists alike: "Prénom NOM"."""
    if not record:
        return ""
    return labels.person_name(record.get("first_name"), record.get("last_name"))


def yes_no(value) -> str:
    return labels.yes_no(value)


def init_templating(app: Flask) -> None:
    app.add_template_filter(phone_display, "phone")
    app.add_template_filter(vocab, "vocab")
    app.add_template_filter(datetime_fr, "datetime_fr")
    app.add_template_filter(person_name, "person_name")
    app.add_template_filter(yes_no, "yes_no")
    app.add_template_filter(chart_row, "chart_row")
    app.jinja_env.globals.update(
        legal_bases=LEGAL_BASES,
        organisation_kinds=ORGANISATION_KINDS,
        roles=USER_ROLES,
        age_bands=AGE_BANDS,
        genders=GENDERS,
        languages=LANGUAGES,
        themes=THEMES,
        actions=AUDIT_ACTIONS,
    )
