from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired

from webui.forms import TansiqForm


class LoginForm(TansiqForm):
    email = EmailField(
        "Adresse e-mail", validators=[DataRequired("Saisissez votre adresse e-mail.")]
    )
    password = PasswordField(
        "Mot de passe", validators=[DataRequired("Saisissez votre mot de passe.")]
    )
    remember = BooleanField("Rester connecté(e) sur cet appareil")
