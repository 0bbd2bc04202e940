"""Organisations: list and search, create, view, edit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import affiliations, interactions, organisations, people, territory
from crm.errors import Conflict, Invalid
from crm.pagination import Page
from graph.vocabulary import ORGANISATION_KINDS, THEMES
from webui.auth.session import actor
from webui.forms import apply_errors, form_data, submitted_version
from webui.organisations.forms import EndFunctionForm, HandoverForm, OrganisationForm

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


# Query-string names of the list's search box and filters (pagination links carry them).
LIST_FILTERS = ("q", "type", "tri", "region", "commune", "theme")


@bp.route("/")
def index():
    filters = {name: value for name in LIST_FILTERS if (value := request.args.get(name, ""))}
    error = None
    try:
        page = organisations.search_organisations(
            actor(),
            filters.get("q", ""),
            filters.get("type"),
            filters.get("tri", ""),
            request.args.get("page", 1, type=int),
            territory=filters.get("commune") or filters.get("region", ""),
            theme=filters.get("theme", ""),
        )
    except Invalid as exc:
        page, error = Page([], 0, 1), exc.errors.get("commune")
    return render_template(
        "organisations/index.html",
        page=page,
        filters=filters,
        error=error,
        regions=territory.regions(actor()),
        kinds=ORGANISATION_KINDS,
        themes=THEMES,
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
        "organisations/detail.html",
        organisation=organisation,
        kinds=ORGANISATION_KINDS,
        history=organisations.history(actor(), uid),
        timeline=interactions.timeline(actor(), "organisation", uid),
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


@bp.route("/fonctions/<function_uid>/passation", methods=["GET", "POST"])
def handover(function_uid: str):
    function = affiliations.get_function(actor(), function_uid)
    form = HandoverForm()
    end_form = EndFunctionForm(prefix="end")
    if form.validate_on_submit():
        try:
            successor = people.resolve_person(actor(), form.successor.data, "successor")
            affiliations.hand_over(
                actor(), function_uid, successor, form.on.data, form.focal_point.data
            )
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash("Passation enregistrée : le successeur est le nouveau titulaire.", "success")
            return redirect(url_for("organisations.detail", uid=function["organisation_uid"]))
    return render_template(
        "organisations/handover.html", function=function, form=form, end_form=end_form
    )


@bp.route("/fonctions/<function_uid>/fin", methods=["POST"])
def end_function(function_uid: str):
    function = affiliations.get_function(actor(), function_uid)
    form = EndFunctionForm(prefix="end")
    if form.validate_on_submit():
        try:
            affiliations.end_function(actor(), function_uid, form.until.data)
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash("Fin de fonction enregistrée.", "success")
            return redirect(url_for("organisations.detail", uid=function["organisation_uid"]))
    return render_template(
        "organisations/handover.html", function=function, form=HandoverForm(), end_form=form
    ), 422
