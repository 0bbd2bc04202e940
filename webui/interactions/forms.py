from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from crm.cadence import CADENCE_KINDS, MAX_DAYS, MIN_DAYS
from crm.errors import Invalid
from crm.interactions import INTERACTION_KINDS
from webui.forms import TansiqForm, vocabulary_choices

PEOPLE_FIELDS = 4
ORGANISATION_FIELDS = 3
FOLLOW_UP_ROWS = 2


class FollowUpEntry(Form):
    """One optional follow-up row of the interaction form (the parent form holds the CSRF)."""

    class Meta:
        locales = ("fr_FR", "fr")

    what = StringField("Action à mener", render_kw={"autocomplete": "off"})
    assignee = SelectField("Confiée à", validate_choice=False)
    due = DateField("Échéance", validators=[Optional()])


class InteractionForm(TansiqForm):
    kind = SelectField(
        "Type d'interaction",
        choices=[SelectChoice("", "— Choisir —"), *vocabulary_choices(INTERACTION_KINDS)],
        validate_choice=False,
        render_kw={"required": True},
    )
    date = DateField("Date", validators=[Optional()], render_kw={"required": True})
    people = FieldList(
        StringField(
            "Personne",
            render_kw={
                "list": "person-options",
                "autocomplete": "off",
                "data-suggest": "/personnes/suggestions.json",
            },
        ),
        min_entries=PEOPLE_FIELDS,
        max_entries=PEOPLE_FIELDS,
    )
    organisations = FieldList(
        StringField(
            "Organisation",
            render_kw={
                "list": "organisation-options",
                "autocomplete": "off",
                "data-suggest": "/organisations/suggestions.json",
            },
        ),
        min_entries=ORGANISATION_FIELDS,
        max_entries=ORGANISATION_FIELDS,
    )
    summary = TextAreaField(
        "Résumé",
        render_kw={"required": True},
        description="Ce qui a été dit, décidé ou demandé.",
    )
    follow_ups = FieldList(
        FormField(FollowUpEntry), min_entries=FOLLOW_UP_ROWS, max_entries=FOLLOW_UP_ROWS
    )

    def __init__(self, *args, assignees: list[tuple[str, str]], me: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for number, entry in enumerate(self.people, start=1):
            entry.label.text = f"Personne {number}"
        for number, entry in enumerate(self.organisations, start=1):
            entry.label.text = f"Organisation {number}"
        for entry in self.follow_ups:
            entry.form.assignee.choices = [SelectChoice(uid, name) for uid, name in assignees]
            if not entry.form.assignee.data:
                entry.form.assignee.data = me


class ReassignForm(TansiqForm):
    assignee = SelectField("Confier à", validate_choice=False)


def _cadence_form() -> type[TansiqForm]:
    attributes = {
        kind: StringField(
            label,
            render_kw={
                "type": "number",
                "min": MIN_DAYS,
                "max": MAX_DAYS,
                "step": 1,
                "inputmode": "numeric",
                "required": True,
            },
            description="jours",
        )
        for kind, label in CADENCE_KINDS.items()
    }
    return type("CadenceForm", (TansiqForm,), attributes)


# One field per kind of actor ("person" and each organisation kind), named by its code.
CadenceForm = _cadence_form()


def apply_nested_errors(form: TansiqForm, exc: Invalid) -> None:
    """Like ``webui.forms.apply_errors``, for keys that name a list entry ("people-0",
    "follow_ups-1-due") as well as a plain field."""
    for key, message in exc.errors.items():
        target = _field_at(form, key)
        if target is None:
            form.form_errors.append(message)
        else:
            target.errors = [*target.errors, message]


def _field_at(form: TansiqForm, key: str):
    node = form._fields.get(key)
    if node is not None:
        return None if isinstance(node, FieldList | FormField) else node
    name, *path = key.split("-")
    node = form._fields.get(name)
    for part in path:
        if isinstance(node, FieldList) and part.isdigit() and int(part) < len(node.entries):
            node = node.entries[int(part)]
        elif isinstance(node, FormField):
            node = node.form._fields.get(part)
        else:
            return None
    return None if node is None or isinstance(node, FieldList | FormField) else node
