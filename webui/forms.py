"""Helpers shared by the blueprints' forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from crm.errors import Invalid

__all__ = [
    "MultiCheckboxField",
    "TansiqForm",
    "vocabulary_choices",
    "apply_errors",
    "form_data",
    "safe_next",
    "submitted_version",
]


class MultiCheckboxField(SelectMultipleField):
    """Several codes of a closed list, as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def vocabulary_choices(vocabulary: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in vocabulary.items()]


class TansiqForm(FlaskForm):
    """Base form: WTForms' own messages in French (with WTF_I18N_ENABLED off)."""

    class Meta:
        locales = ("fr_FR", "fr")

    def submit_ok(self) -> bool:
        """Validated, and this form (by its prefix) is the one that was posted."""
        posted = any(key.startswith(self._prefix) for key in request.form) if self._prefix else True
        return posted and self.validate_on_submit()


def form_data(form: FlaskForm) -> dict:
    """The submitted values as plain data for a use case (no CSRF token, no buttons)."""
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


def apply_errors(form: FlaskForm, exc: Invalid) -> None:
    """Show a use case's refusals next to the fields they concern."""
    for name, message in exc.errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def safe_next(target: str | None) -> str | None:
    """A `next` target only if it is a path on this site (no scheme, host or `//`)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def submitted_version(form: FlaskForm) -> int:
    """The record version the edit form was loaded with (-1 if tampered with)."""
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1
