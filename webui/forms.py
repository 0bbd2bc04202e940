"""Helpers shared by the blueprints' forms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from crm.errors import Conflict, Invalid

__all__ = [
    "ListField",
    "Refusal",
    "refusals_shown_on",
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


class RecordsField(SelectMultipleField):
    """The records chosen in a picker: every value posted under the field's name (checkboxes
    without JavaScript, the chips' hidden inputs with it), uids or labels. Rendered by the
    ``record_picker`` macro, which needs the chosen records' names (``crm.pickers``)."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, choices=[], validate_choice=False, **kwargs)

    def process_data(self, value) -> None:
        self.data = [str(v) for v in value or []]


class ListField(StringField):
    """Several free values (phones, e-mails) in one text input, separated by commas.

    Shows a stored list as ``a, b`` and reads back a list of the non-empty items, split on
    commas, semicolons or new lines, so an edit form saved unchanged gives the list it showed.
    """

    SEPARATORS = re.compile(r"[,;\n]+")

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            items = (item.strip() for item in self.SEPARATORS.split(valuelist[0]))
            self.data = [item for item in items if item]

    def _value(self) -> str:
        if self.raw_data:  # a refused submission shows what was typed
            return self.raw_data[0]
        if isinstance(self.data, str):
            return self.data
        return ", ".join(self.data or [])


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


@dataclass
class Refusal:
    """What ``refusals_shown_on`` caught: ``refused`` and, after a stale edit, ``current``
    (the record as it is now, for the form to show next to what the user typed)."""

    refused: bool = False
    current: dict | None = field(default=None)


@contextmanager
def refusals_shown_on(
    form: FlaskForm, apply: Callable[[FlaskForm, Invalid], None] | None = None
) -> Iterator[Refusal]:
    """The one place a form page turns a use case's refusal into messages on the form.

    ``Invalid`` puts each message next to its field (or atop the form); ``Conflict`` (a stale
    edit, a collision) atop the form, keeping the record as it is now. The block is left at
    the refusal and the view renders the form again with what the user typed::

        with refusals_shown_on(form) as refusal:
            if form.validate_on_submit():
                people.update_person(...)
                return redirect(...)
        return render_template(..., form=form, current=refusal.current)

    ``apply`` places ``Invalid``'s messages (default ``apply_errors``; forms with lists of
    sub-forms have their own). Refusals of actions without a form reach the application's
    handler (``webui.errors``).
    """
    refusal = Refusal()
    try:
        yield refusal
    except Invalid as exc:
        refusal.refused = True
        (apply or apply_errors)(form, exc)
    except Conflict as exc:
        refusal.refused = True
        form.form_errors.append(exc.message)
        refusal.current = exc.current or None


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
