"""Organisations: list and search, create, view, edit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import organisations
from crm.errors import Conflict, Invalid
from graph.vocabulary import ORGANISATION_KINDS
from webui.auth.session import actor
from webui.forms import apply_errors, form_data, submitted_version
from webui.organisations.forms import OrganisationForm

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.route("/")
def index():
    q = request.args.get("q", "")
    kind = request.args.get("type") or None
    sort = request.args.get("tri", "name")
    page = organisations.search_organisations(
        actor(), q, kind, sort, request.args.get("page", 1, type=int)
    )
    return render_template(
        "organisations/index.html", page=page, q=q, kind=kind, sort=sort, kinds=ORGANISATION_KINDS
    )


@bp.route("/suggestions.json")
def suggestions():
    return {"items": organisations.suggest_organisations(actor(), request.args.get("q", ""))}


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            uid = organisations.create_organisation(actor(), form_data(form))
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash("Organisation enregistrée.", "success")
            return redirect(url_for("organisations.detail", uid=uid))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/<uid>")
def detail(uid: str):
    organisation = organisations.get_organisation(actor(), uid)
    return render_template(
        "organisations/detail.html", organisation=organisation, kinds=ORGANISATION_KINDS
    )


@bp.route("/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    organisation = organisations.organisation_for_edit(actor(), uid)
    form = OrganisationForm(data=organisation if request.method == "GET" else None)
    current = None
    if form.validate_on_submit():
        try:
            organisations.update_organisation(
                actor(), uid, submitted_version(form), form_data(form)
            )
        except Invalid as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.form_errors.append(exc.message)
            current = exc.current
        else:
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("organisations.detail", uid=uid))
    return render_template(
        "organisations/form.html", form=form, organisation=organisation, current=current
    )
