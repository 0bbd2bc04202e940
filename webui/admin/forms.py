from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice

from graph.vocabulary import USER_ROLES
from webui.forms import TansiqForm

ROLE_CHOICES = [SelectChoice(code, label) for code, label in USER_ROLES.items()]


class TerritoryFields:
    """The territory picker's fields (``admin/_territory_picker.html`` renders them).

    ``territory`` holds the chosen HCP codes, whichever control sent them: the grouped list
    of regions and provinces, the communes' checkboxes, or the script's chips. The codes are
    checked by ``crm.team``. ``territory_q`` and ``territory_search`` find communes by name
    without JavaScript: the page comes back with the communes found, nothing saved.
    """

    territory = SelectMultipleField("Territoire", choices=[], validate_choice=False)
    territory_q = StringField("Chercher une commune")
    territory_search = SubmitField("Chercher")

    def searching(self) -> bool:
        """The search button was pressed: show the communes found, save nothing."""
        return bool(self.territory_search.data)


class NewUserForm(TerritoryFields, TansiqForm):
    email = EmailField("Adresse e-mail", render_kw={"required": True})
    display_name = StringField("Nom affiché", render_kw={"required": True})
    # No default: an administrator account is never opened by an unchanged form.
    role = SelectField(
        "Rôle",
        choices=[SelectChoice("", "Choisissez un rôle"), *ROLE_CHOICES],
        validate_choice=False,
    )
    password = PasswordField(
        "Mot de passe initial",
        description="Au moins 12 caractères ; à transmettre à la personne par un canal sûr.",
        render_kw={"required": True, "autocomplete": "new-password"},
    )


class RoleForm(TansiqForm):
    role = SelectField("Rôle", choices=ROLE_CHOICES, validate_choice=False)


class TerritoryForm(TerritoryFields, TansiqForm):
    pass


class DeactivateForm(TansiqForm):
    confirm = BooleanField("Je confirme la désactivation : ce compte ne pourra plus se connecter.")
