from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from graph.vocabulary import USER_ROLES
from webui.forms import TansiqForm

ROLE_CHOICES = [SelectChoice(code, label) for code, label in USER_ROLES.items()]


class NewUserForm(TansiqForm):
    email = EmailField("Adresse e-mail", render_kw={"required": True})
    display_name = StringField("Nom affiché", render_kw={"required": True})
    role = SelectField("Rôle", choices=ROLE_CHOICES, validate_choice=False)
    password = PasswordField(
        "Mot de passe initial",
        description="Au moins 12 caractères ; à transmettre à la personne par un canal sûr.",
        render_kw={"required": True, "autocomplete": "new-password"},
    )


class RoleForm(TansiqForm):
    role = SelectField("Rôle", choices=ROLE_CHOICES, validate_choice=False)


class TerritoryForm(TansiqForm):
    codes = StringField(
        "Territoire (codes HCP)",
        description="Régions (ex. 02), provinces (02.411) ou communes (02.411.01.23), "
        "séparées par des virgules. Vide : aucun territoire.",
    )
