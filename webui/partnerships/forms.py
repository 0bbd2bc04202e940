"""Forms of the partnership pages."""

from __future__ import annotations

from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from graph.vocabulary import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES
from webui.forms import RecordsField, TansiqForm, vocabulary_choices


class PartnershipFields(TansiqForm):
    """What a partnership holds besides its two organisations."""

    kind = SelectField(
        "Type de partenariat",
        validate_choice=False,
        choices=[SelectChoice("", "— Choisir —"), *vocabulary_choices(PARTNERSHIP_KINDS)],
        render_kw={"required": True},
    )
    title = StringField(
        "Intitulé",
        render_kw={"required": True, "autocomplete": "off"},
        description="Par exemple : Convention pour le budget participatif 2026.",
    )
    since = DateField("Début", validators=[Optional()])
    until = DateField("Fin", validators=[Optional()])
    status = SelectField(
        "Statut",
        validate_choice=False,
        choices=vocabulary_choices(PARTNERSHIP_STATUSES),
        default="active",
    )


class PartnershipForm(PartnershipFields):
    # A single-choice record picker (``_record_picker.html``): the partner's uid, or the name
    # typed without JavaScript.
    partner = RecordsField("Organisation partenaire")
    partner_new = StringField(
        "Organisation partenaire (nom)",
        render_kw={"autocomplete": "off"},
        description="Le nom ou le sigle, écrit comme sur sa fiche (créez-la d'abord si besoin).",
    )


class PartnershipEditForm(PartnershipFields):
    version = HiddenField()
