"""Forms of the territory pages: pilot communes and the communes' checklist."""

from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, StringField
from wtforms.validators import Optional

from crm.checklist import DEFAULT_RULES, MAX_MINIMUM
from webui.forms import TansiqForm


class PilotAddForm(TansiqForm):
    """Add a commune to the pilot communes (page "Communes pilotes")."""

    commune = StringField(
        "Commune",
        render_kw={
            "list": "commune-options",
            "autocomplete": "off",
            "data-suggest": "/territoires/communes.json",
            "required": True,
        },
        description="Tapez quelques lettres du nom de la commune et choisissez dans la liste.",
    )
    since = DateField(
        "Date d'entrée dans le programme",
        validators=[Optional()],
        render_kw={"required": True},
    )


class PilotStatusForm(TansiqForm):
    """A commune's pilot status and the date it joined (commune page; "Retirer" on the list)."""

    pilot = BooleanField("Commune pilote du programme")
    since = DateField(
        "Date d'entrée dans le programme",
        validators=[Optional()],
        description="Obligatoire pour une commune pilote ; pas après aujourd'hui.",
    )
    next = HiddenField()


def _checklist_form() -> type[TansiqForm]:
    attributes: dict = {}
    for rule in DEFAULT_RULES:
        attributes[rule.code + "_enabled"] = BooleanField("Attendu dans chaque commune")
        attributes[rule.code + "_minimum"] = StringField(
            "Nombre minimum",
            render_kw={
                "type": "number",
                "min": 1,
                "max": MAX_MINIMUM,
                "step": 1,
                "inputmode": "numeric",
                "required": True,
            },
        )
    return type("ChecklistForm", (TansiqForm,), attributes)


# Two fields per rule of ``crm.checklist.DEFAULT_RULES``: "<code>_enabled", "<code>_minimum".
ChecklistForm = _checklist_form()


def checklist_data(rules: list) -> dict:
    """The form's values for a rule set."""
    data: dict = {}
    for rule in rules:
        data[rule.code + "_enabled"] = rule.enabled
        data[rule.code + "_minimum"] = str(rule.minimum)
    return data
