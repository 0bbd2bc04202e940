from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from webui.forms import TansiqForm


class LoginForm(TansiqForm):
    email = EmailField(
        "Adresse e-mail",
        validators=[DataRequired("Saisissez votre adresse e-mail."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Mot de passe",
        validators=[DataRequired("Saisissez votre mot de passe."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(
        "Rester connecté(e) sur cet appareil",
        description="Pendant 14 jours au plus. Ne cochez pas sur un ordinateur partagé.",
    )
