"""Law 09-08: a person's data as they may ask for it, opposition and anonymisation."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from crm import privacy
from webui.auth.session import actor

bp = Blueprint("privacy", __name__, url_prefix="/personnes")


@bp.route("/<uid>/donnees")
def access(uid: str):
    record = privacy.readable(privacy.subject_access(actor(), uid))
    return render_template("privacy/access.html", record=record, uid=uid)


@bp.route("/<uid>/donnees.json")
def access_json(uid: str):
    record = privacy.subject_access(actor(), uid)
    body = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="donnees-{uid}.json"'},
    )


@bp.route("/<uid>/opposition", methods=["POST"])
def opposition(uid: str):
    opposed = request.form.get("opposition") == "1"
    # The page's confirmation box is ``required``; the use case refuses a request without it.
    privacy.set_opposition(actor(), uid, opposed, confirmed=request.form.get("confirm") == "1")
    flash(
        "Opposition enregistrée : la personne n'apparaîtra plus dans les cartes, analyses "
        "et exports."
        if opposed
        else "Opposition levée.",
        "success",
    )
    return redirect(url_for("contacts.detail", uid=uid))


@bp.route("/<uid>/anonymiser", methods=["POST"])
def anonymise(uid: str):
    privacy.anonymise(actor(), uid, request.form.get("confirm", ""))
    flash("Fiche anonymisée.", "success")
    return redirect(url_for("contacts.detail", uid=uid))
