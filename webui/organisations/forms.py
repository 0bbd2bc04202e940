from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from graph.vocabulary import ORGANISATION_KINDS, THEMES
from webui.forms import MultiCheckboxField, RecordsField, TansiqForm, vocabulary_choices


class OrganisationForm(TansiqForm):
    name = StringField("Nom", render_kw={"required": True, "autocomplete": "off"})
    name_ar = StringField("الاسم (nom en arabe)", render_kw={"dir": "rtl", "lang": "ar"})
    acronym = StringField("Sigle")
    kind = SelectField(
        "Type",
        validate_choice=False,
        choices=[SelectChoice("", "— Choisir —")]
        + [SelectChoice(code, label) for code, label in ORGANISATION_KINDS.items()],
        render_kw={"required": True},
    )
    commune = StringField(
        "Commune",
        render_kw={
            "list": "commune-options",
            "autocomplete": "off",
            "data-suggest": "/territoires/communes.json",
        },
        description="Tapez quelques lettres du nom de la commune et choisissez dans la liste.",
    )
    email = EmailField("E-mail")
    phone = TelField("Téléphone")
    website = URLField("Site web")
    social = URLField("Page sur un réseau social")
    themes = MultiCheckboxField(
        "Thématiques", choices=vocabulary_choices(THEMES), validate_choice=False
    )
    notes = TextAreaField("Notes")
    shared = BooleanField(
        "Institution nationale partagée",
        description="Lisible par toutes les régions, modifiable par l'équipe nationale seulement.",
    )
    version = HiddenField()
    # On a new record: the uids of the similar records the user was shown and chose to
    # create anyway (``crm.duplicates_at_save``); empty until a warning was shown.
    confirm_duplicate = HiddenField()


class HandoverForm(TansiqForm):
    # A single-choice record picker (``_record_picker.html``): the successor's uid, or the
    # name typed without JavaScript.
    successor = RecordsField("Successeur")
    successor_new = StringField(
        "Successeur (nom)",
        render_kw={"autocomplete": "off"},
        description="Prénom et nom, écrits comme sur sa fiche (créez-la d'abord si besoin).",
    )
    on = DateField("Date de la passation", validators=[Optional()], render_kw={"required": True})
    focal_point = BooleanField("Le successeur devient point focal")


class EndFunctionForm(TansiqForm):
    until = DateField("Date de fin", validators=[Optional()], render_kw={"required": True})
