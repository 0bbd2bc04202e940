"""Interactions, follow-ups ("Mes suivis") and ties losing touch, with their cadences."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import cadence, followups, interactions
from crm.errors import Invalid
from webui.auth.session import actor, now
from webui.forms import apply_errors, form_data
from webui.interactions.forms import (
    CadenceForm,
    InteractionForm,
    ReassignForm,
    apply_nested_errors,
)

bp = Blueprint("interactions", __name__)

# Where to go back to after logging an interaction opened from a record's page.
_RECORD_PAGES = {"person": "contacts.detail", "organisation": "organisations.detail"}


def _today() -> date:
    """The server's date (tests move it with ``app.config["CLOCK"]``)."""
    return now().astimezone().date()


@bp.route("/interactions/nouvelle", methods=["GET", "POST"])
def create():
    start = interactions.interaction_form(
        actor(), request.args.get("personne"), request.args.get("organisation")
    )
    initial = None
    if request.method == "GET":
        initial = {"people": start["people"], "organisations": start["organisations"]}
        initial["date"] = _today()
    form = InteractionForm(data=initial, assignees=start["assignees"], me=actor().uid)
    if form.validate_on_submit():
        try:
            uid = interactions.log_interaction(actor(), form_data(form), today=_today())
        except Invalid as exc:
            apply_nested_errors(form, exc)
        else:
            flash("Interaction enregistrée.", "success")
            if start["origin"]:
                kind, record_uid = start["origin"]
                return redirect(url_for(_RECORD_PAGES[kind], uid=record_uid))
            return redirect(url_for("interactions.detail", uid=uid))
    return render_template("interactions/form.html", form=form, origin=start["origin"])


@bp.route("/interactions/<uid>")
def detail(uid: str):
    interaction = interactions.get_interaction(actor(), uid)
    return render_template("interactions/detail.html", interaction=interaction)


@bp.route("/suivis")
def my_follow_ups():
    mine = followups.my_follow_ups(actor(), today=_today())
    return render_template("interactions/follow_ups.html", mine=mine, buckets=followups.BUCKETS)


@bp.route("/suivis/<uid>/fait", methods=["POST"])
def mark_done(uid: str):
    try:
        followups.mark_done(actor(), uid)
    except Invalid as exc:
        flash(" ".join(exc.errors.values()), "error")
    else:
        flash("Suivi marqué comme fait.", "success")
    return redirect(url_for("interactions.my_follow_ups"))


@bp.route("/suivis/<uid>/reassigner", methods=["POST"])
def reassign(uid: str):
    form = ReassignForm()
    try:
        followups.reassign(actor(), uid, form.assignee.data or "")
    except Invalid as exc:
        flash(" ".join(exc.errors.values()), "error")
    else:
        flash("Suivi réassigné.", "success")
    return redirect(url_for("interactions.my_follow_ups"))


@bp.route("/relations-a-entretenir")
def losing_touch():
    page = cadence.losing_touch(actor(), request.args.get("page", 1, type=int), today=_today())
    return render_template("interactions/losing_touch.html", page=page)


@bp.route("/parametres/cadences", methods=["GET", "POST"])
def cadences():
    current = cadence.cadences_for_edit(actor())
    form = CadenceForm(data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            cadence.set_cadences(actor(), form_data(form))
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash("Cadences enregistrées.", "success")
            return redirect(url_for("interactions.losing_touch"))
    return render_template("interactions/cadences.html", form=form)
