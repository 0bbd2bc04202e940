"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user

from crm import users
from webui.auth.forms import LoginForm
from webui.auth.session import SignedInUser
from webui.forms import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            actor = users.authenticate(form.email.data, form.password.data)
        except users.AuthenticationFailed:
            flash("Adresse e-mail ou mot de passe incorrect.", "error")
        else:
            session.clear()  # a fresh session at sign-in (no fixation)
            login_user(SignedInUser(actor), remember=form.remember.data)
            flash(f"Bienvenue, {actor.display_name}.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté(e).", "info")
    return redirect(url_for("auth.login"))
