from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from graph.vocabulary import AGE_BANDS, GENDERS, LANGUAGES, LEGAL_BASES, THEMES
from webui.forms import ListField, MultiCheckboxField, RecordsField, TansiqForm, vocabulary_choices


class PersonForm(TansiqForm):
    first_name = StringField("Prénom", render_kw={"required": True, "autocomplete": "off"})
    last_name = StringField("Nom", render_kw={"required": True, "autocomplete": "off"})
    first_name_ar = StringField(
        "الاسم الشخصي (prénom en arabe)", render_kw={"dir": "rtl", "lang": "ar"}
    )
    last_name_ar = StringField(
        "الاسم العائلي (nom en arabe)", render_kw={"dir": "rtl", "lang": "ar"}
    )
    gender = SelectField(
        "Genre",
        choices=[SelectChoice(code, label) for code, label in GENDERS.items()],
        validate_choice=False,
    )
    age_band = SelectField(
        "Tranche d'âge", choices=vocabulary_choices(AGE_BANDS), validate_choice=False
    )
    languages = MultiCheckboxField(
        "Langues", choices=vocabulary_choices(LANGUAGES), validate_choice=False
    )
    emails = ListField("E-mails", description="Plusieurs adresses : séparez-les par des virgules.")
    phones = ListField(
        "Téléphones",
        description="Formats marocains acceptés : 0661 23 45 67, +212 5 37… "
        "Plusieurs numéros : séparez-les par des virgules.",
    )
    themes = MultiCheckboxField(
        "Thématiques", choices=vocabulary_choices(THEMES), validate_choice=False
    )
    notes = TextAreaField("Notes")
    commune = StringField(
        "Commune de rattachement",
        render_kw={
            "list": "commune-options",
            "autocomplete": "off",
            "data-suggest": "/territoires/communes.json",
        },
        description="Commune où la personne vit ou travaille (tapez quelques lettres).",
    )
    legal_basis = SelectField(
        "Base légale du traitement (loi 09-08)",
        # Never assumed (law 09-08): left "à préciser", the record is flagged "à compléter".
        choices=[SelectChoice("", "— À préciser —"), *vocabulary_choices(LEGAL_BASES)],
        default="",
        validate_choice=False,
        description="Le plus souvent : intérêt légitime (coordination du programme) ou "
        "consentement de la personne.",
    )
    purpose = StringField(
        "Finalité",
        render_kw={
            "placeholder": "Coordination des acteurs du programme de participation citoyenne"
        },  # fmt: skip
        description="Pourquoi ces données sont conservées. Sans finalité, la fiche est "
        "signalée « à compléter ».",
    )
    source = StringField("Source des données", description="Ex. : rencontre, annuaire, carte.")
    retain_until = DateField("Conserver jusqu'au", validators=[Optional()])
    version = HiddenField()
    # On a new record: the uids of the similar records the user was shown and chose to
    # create anyway (``crm.duplicates_at_save``); empty until a warning was shown.
    confirm_duplicate = HiddenField()


class AffiliationForm(TansiqForm):
    # A single-choice record picker (``_record_picker.html``): the organisation's uid, or its
    # name typed without JavaScript.
    organisation = RecordsField("Organisation")
    organisation_new = StringField(
        "Organisation (nom)",
        render_kw={"autocomplete": "off"},
        description="Son nom ou son sigle, écrit comme sur sa fiche.",
    )
    role = StringField("Fonction", render_kw={"required": True})
    since = DateField("Depuis le", validators=[Optional()])
    until = DateField("Jusqu'au", validators=[Optional()])
    focal_point = BooleanField("Point focal de l'organisation")
