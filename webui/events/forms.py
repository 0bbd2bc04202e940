"""Forms of the event pages."""

from __future__ import annotations

from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from graph.vocabulary import (
    AGE_BANDS,
    ATTENDANCE_ROLES,
    EVENT_KINDS,
    GENDERS,
    THEMES,
    TRAINING_MODULES,
)
from webui.forms import (
    ListField,
    MultiCheckboxField,
    RecordsField,
    TansiqForm,
    form_data,
    vocabulary_choices,
)

_COMMUNE_INPUT = {
    "list": "commune-options",
    "autocomplete": "off",
    "data-suggest": "/territoires/communes.json",
}


class EventForm(TansiqForm):
    title = StringField("Titre", render_kw={"required": True, "autocomplete": "off"})
    kind = SelectField(
        "Type d'événement",
        choices=[SelectChoice("", "— Choisir —"), *vocabulary_choices(EVENT_KINDS)],
        validate_choice=False,
        render_kw={"required": True},
    )
    module = SelectField(
        "Module de formation",
        choices=[SelectChoice("", "— Pour une formation —"), *vocabulary_choices(TRAINING_MODULES)],
        validate_choice=False,
        description="Obligatoire pour une formation : le module du programme dispensé.",
    )
    start_date = DateField("Date de début", validators=[Optional()], render_kw={"required": True})
    start_time = StringField(
        "Heure de début", render_kw={"type": "time"}, description="Facultatif, ex. 09:30."
    )
    end_date = DateField(
        "Date de fin",
        validators=[Optional()],
        description="Laissez vide pour un événement d'une journée.",
    )
    end_time = StringField("Heure de fin", render_kw={"type": "time"}, description="Facultatif.")
    commune = StringField(
        "Commune",
        render_kw={**_COMMUNE_INPUT, "required": True},
        description="La commune où il se tient (tapez quelques lettres).",
    )
    venue = StringField(
        "Lieu", description="Facultatif, ex. salle de la commune, maison des jeunes."
    )
    # Record picker (``_record_picker.html``): the organisers' uids, and names typed one a
    # line without JavaScript.
    organisers = RecordsField("Organisateurs")
    organisers_new = TextAreaField(
        "Ajouter un organisateur par son nom",
        render_kw={"rows": 2, "autocomplete": "off"},
        description="Une organisation par ligne : son nom ou son sigle.",
    )
    themes = MultiCheckboxField(
        "Thématiques", choices=vocabulary_choices(THEMES), validate_choice=False
    )
    description = TextAreaField("Description", render_kw={"rows": 4})
    version = HiddenField()


def event_data(form: EventForm) -> dict:
    """``form_data`` for the event use cases: the organisers chosen, then those typed."""
    data = form_data(form)
    typed = data.pop("organisers_new", None) or ""
    lines = [line.strip() for line in typed.splitlines() if line.strip()]
    data["organisers"] = [*(data.get("organisers") or []), *lines]
    return data


class CancelForm(TansiqForm):
    reason = StringField(
        "Motif (facultatif)", description="Ex. : reportée à la demande de la commune."
    )
    version = HiddenField()


_ROLE_CHOICES = vocabulary_choices(ATTENDANCE_ROLES)
_ARABIC = {"dir": "rtl", "lang": "ar"}


class ParticipantForm(TansiqForm):
    """An existing person: the single-choice person picker, the role, who they came for."""

    person = RecordsField("Personne")
    person_new = StringField(
        "Personne (nom)",
        render_kw={"autocomplete": "off"},
        description="Prénom et nom, écrits comme sur sa fiche.",
    )
    role = SelectField("Rôle", choices=_ROLE_CHOICES, validate_choice=False)
    for_organisation = RecordsField("Venu(e) pour l'organisation")
    for_organisation_new = StringField(
        "Organisation (nom)",
        render_kw={"autocomplete": "off"},
        description="Facultatif : son nom ou son sigle.",
    )


class NewParticipantForm(TansiqForm):
    """A person not yet in Tansiq, created and listed at once (the sign-in sheet)."""

    class Meta:
        locales = ("fr_FR", "fr")

    first_name = StringField("Prénom", render_kw={"required": True, "autocomplete": "off"})
    last_name = StringField("Nom", render_kw={"required": True, "autocomplete": "off"})
    first_name_ar = StringField(
        "الاسم الشخصي (prénom en arabe)", render_kw={"dir": "rtl", "lang": "ar"}
    )
    last_name_ar = StringField(
        "الاسم العائلي (nom en arabe)", render_kw={"dir": "rtl", "lang": "ar"}
    )
    gender = SelectField("Genre", choices=vocabulary_choices(GENDERS), validate_choice=False)
    age_band = SelectField(
        "Tranche d'âge", choices=vocabulary_choices(AGE_BANDS), validate_choice=False
    )
    phones = ListField("Téléphone", description="Ex. 0661 23 45 67.")
    commune = StringField(
        "Commune de rattachement",
        render_kw=_COMMUNE_INPUT,
        description="Par défaut, la commune de l'événement.",
    )
    role = SelectField("Rôle", choices=_ROLE_CHOICES, validate_choice=False)
    for_organisation = RecordsField("Venu(e) pour l'organisation")
    for_organisation_new = StringField(
        "Organisation (nom)", render_kw={"autocomplete": "off"}, description="Facultatif."
    )
    confirm_duplicate = HiddenField()


class RemoveForm(TansiqForm):
    """Take one participant off the event (the CSRF token only)."""
