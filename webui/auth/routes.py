"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import users
from webui.auth.forms import LoginForm
from webui.auth.session import actor, end_session, now, request_context, start_session
from webui.forms import safe_next

bp = Blueprint("auth", __name__)

# One message for unknown account, wrong password and deactivated account.
REFUSED = "Adresse e-mail ou mot de passe incorrect."
TOO_MANY_ATTEMPTS = "Trop de tentatives. Réessayez dans quelques minutes."


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            found = users.authenticate(
                form.email.data, form.password.data, request_context(), now=now()
            )
        except users.TooManyAttempts as exc:
            flash(TOO_MANY_ATTEMPTS, "error")
            retry_after = max(1, int((exc.until - now()).total_seconds()))
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(retry_after)}
        except users.AuthenticationFailed:
            flash(REFUSED, "error")
        else:
            start_session(found, remember=form.remember.data)
            flash(f"Bienvenue, {found.display_name}.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
def logout():
    """Sign out everywhere: every session of the account ends, on every device."""
    users.sign_out(actor(), request_context())
    end_session()
    flash("Vous êtes déconnecté(e).", "info")
    return redirect(url_for("auth.login"))
