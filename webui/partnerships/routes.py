"""Partnerships: add one from an organisation's page, its page with history, edit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import partnerships, pickers
from webui.auth.session import actor
from webui.forms import form_data, refusals_shown_on, submitted_version
from webui.partnerships.forms import PartnershipEditForm, PartnershipForm

bp = Blueprint("partnerships", __name__)


@bp.route("/organisations/<organisation_uid>/partenariats/nouveau", methods=["GET", "POST"])
def create(organisation_uid: str):
    organisation = partnerships.partnership_form(actor(), organisation_uid)
    form = PartnershipForm()
    with refusals_shown_on(form):
        if form.validate_on_submit():
            partner = pickers.pick_one(
                actor(), "organisation", form.partner.data, form.partner_new.data, "partner"
            )
            data = {**form_data(form), "organisation": organisation_uid, "partner": partner}
            partnerships.create_partnership(actor(), data)
            flash("Partenariat enregistré.", "success")
            return redirect(url_for("organisations.detail", uid=organisation_uid))
    chosen = pickers.chosen_records(actor(), "organisation", form.partner.data)
    return render_template(
        "partnerships/form.html", form=form, organisation=organisation, chosen=chosen
    )


@bp.route("/partenariats/<uid>")
def detail(uid: str):
    return render_template(
        "partnerships/detail.html", **partnerships.partnership_page(actor(), uid)
    )


@bp.route("/partenariats/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    partnership = partnerships.partnership_for_edit(actor(), uid)
    form = PartnershipEditForm(data=partnership if request.method == "GET" else None)
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            partnerships.update_partnership(actor(), uid, submitted_version(form), form_data(form))
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("partnerships.detail", uid=uid))
    return render_template(
        "partnerships/edit.html", form=form, partnership=partnership, current=refusal.current
    )
