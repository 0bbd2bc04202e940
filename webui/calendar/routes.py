"""The personal calendar: the page giving its subscription address, and the feed itself."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from crm import calendar, clock
from webui.auth.session import actor, now
from webui.forms import TansiqForm

bp = Blueprint("calendar", __name__, url_prefix="/calendrier")


@bp.route("/")
def index():
    return render_template("calendar/index.html", form=TansiqForm(), feed_url=None)


@bp.route("/nouvelle-adresse", methods=["POST"])
def rotate():
    """A new secret address, shown once on this page (never stored, never in a cookie)."""
    form = TansiqForm()
    if not form.validate_on_submit():
        return redirect(url_for("calendar.index"))
    secret = calendar.rotate(actor())
    feed_url = url_for("calendar.feed", secret=secret, _external=True)
    return render_template("calendar/index.html", form=TansiqForm(), feed_url=feed_url)


@bp.route("/desactiver", methods=["POST"])
def switch_off():
    if TansiqForm().validate_on_submit():
        calendar.switch_off(actor())
        flash("Abonnement désactivé : l'ancienne adresse ne répond plus.", "success")
    return redirect(url_for("calendar.index"))


@bp.route("/<secret>.ics")
def feed(secret: str):
    """The feed (no session: calendar software has none; the secret is the credential)."""
    body = calendar.feed(secret, request.host_url, today=clock.today(now()))
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline"})
