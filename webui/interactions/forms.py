from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from crm.cadence import CADENCE_KINDS, MAX_DAYS, MIN_DAYS
from crm.errors import Invalid
from crm.interactions import INTERACTION_KINDS
from webui.forms import RecordsField, TansiqForm, form_data, vocabulary_choices

# The record pickers of the form: field name -> record kind.
PICKERS = {"people": "person", "organisations": "organisation"}
FOLLOW_UP_ROWS = 2
# status code -> what the "new interaction" form offers (cancelling comes later).
NEW_STATUSES = {"held": "Tenue (elle a eu lieu)", "planned": "Prévue (à venir)"}


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
    status = SelectField(
        "Statut",
        choices=vocabulary_choices(NEW_STATUSES),
        validate_choice=False,
        description="« Prévue » pour une rencontre à venir : elle apparaîtra dans vos suivis "
        "et dans l'agenda de la commune.",
    )
    date = DateField("Date", validators=[Optional()], render_kw={"required": True})
    start_time = StringField(
        "Heure de début",
        render_kw={"type": "time", "autocomplete": "off"},
        description="Facultatif, ex. 09:30.",
    )
    commune = StringField(
        "Commune",
        render_kw={
            "list": "commune-options",
            "autocomplete": "off",
            "data-suggest": "/territoires/communes.json",
        },
        description="Facultatif : la commune où elle a lieu (tapez quelques lettres).",
    )
    venue = StringField(
        "Lieu",
        description="Facultatif, ex. salle de réunion de la commune, siège de l'association.",
    )
    # The record pickers (``_record_picker.html``): the chosen records' uids, and names typed
    # without JavaScript (one a line), which the use case resolves.
    people = RecordsField("Personnes")
    people_new = TextAreaField(
        "Ajouter une personne par son nom",
        render_kw={"rows": 2, "autocomplete": "off"},
        description="Une personne par ligne, écrite comme sur sa fiche (prénom et nom).",
    )
    organisations = RecordsField("Organisations")
    organisations_new = TextAreaField(
        "Ajouter une organisation par son nom",
        render_kw={"rows": 2, "autocomplete": "off"},
        description="Une organisation par ligne : son nom ou son sigle.",
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
        for entry in self.follow_ups:
            entry.form.assignee.choices = [SelectChoice(uid, name) for uid, name in assignees]
            if not entry.form.assignee.data:
                entry.form.assignee.data = me


class InteractionEditForm(InteractionForm):
    """The interaction's own fields: its status changes through its page's actions, its
    follow-ups in "Mes suivis"."""

    status = None
    follow_ups = None
    version = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        TansiqForm.__init__(self, *args, **kwargs)  # no follow-up rows to fill


def interaction_data(form: InteractionForm) -> dict:
    """``form_data`` for the interaction use cases: each picker's chosen records followed by
    the names typed one a line, as the ``people`` and ``organisations`` lists."""
    data = form_data(form)
    for name in PICKERS:
        typed = data.pop(f"{name}_new", None) or ""
        lines = [line.strip() for line in typed.splitlines() if line.strip()]
        data[name] = [*(data.get(name) or []), *lines]
    return data


class MarkHeldForm(TansiqForm):
    date = DateField(
        "Date à laquelle elle a eu lieu", validators=[Optional()], render_kw={"required": True}
    )
    summary = TextAreaField(
        "Résumé",
        render_kw={"required": True},
        description="Ce qui a été dit, décidé ou demandé.",
    )
    version = HiddenField()


class VersionForm(TansiqForm):
    """An action on an interaction as it was shown (cancel): only the version it had."""

    version = HiddenField()


class DeleteForm(TansiqForm):
    confirm = BooleanField("Je confirme la suppression de cette interaction et de ses suivis.")
    version = HiddenField()


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
    if isinstance(node, RecordsField) and len(path) == 1 and path[0].isdigit():
        # "people-<n>": the n-th of the chosen records, then of the names typed.
        return node if int(path[0]) < len(node.data or []) else form._fields.get(f"{name}_new")
    for part in path:
        if isinstance(node, FieldList) and part.isdigit() and int(part) < len(node.entries):
            node = node.entries[int(part)]
        elif isinstance(node, FormField):
            node = node.form._fields.get(part)
        else:
            return None
    return None if node is None or isinstance(node, FieldList | FormField) else node
