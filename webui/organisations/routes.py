"""Organisations: list and search, create, view, edit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import affiliations, exports, organisations, pickers, territory
from crm.errors import Invalid, PossibleDuplicates
from graph.vocabulary import ORGANISATION_KINDS, THEMES
from webui.auth.session import actor
from webui.forms import form_data, refusals_shown_on, submitted_version
from webui.organisations.forms import EndFunctionForm, HandoverForm, OrganisationForm
from webui.security import attachment

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


# Query-string names of the list's search box and filters (pagination links carry them).
LIST_FILTERS = ("q", "type", "tri", "region", "commune", "theme")


def _list_filters() -> dict[str, str]:
    """The list's search and filters present in the query string (exports carry them too)."""
    return {name: value for name in LIST_FILTERS if (value := request.args.get(name, ""))}


def _search(filters: dict[str, str]) -> dict:
    """The filters as the arguments of ``organisations.search_organisations`` and of the
    exports (after the page's own)."""
    return {
        "territory": filters.get("commune") or filters.get("region", ""),
        "theme": filters.get("theme", ""),
    }


@bp.route("/")
def index():
    filters = _list_filters()
    page = organisations.search_organisations(
        actor(),
        filters.get("q", ""),
        filters.get("type"),
        filters.get("tri", ""),
        request.args.get("page", 1, type=int),
        **_search(filters),
    )
    return render_template(
        "organisations/index.html",
        page=page,
        filters=filters,
        error=page.problem,
        regions=territory.regions(actor()),
        kinds=ORGANISATION_KINDS,
        themes=THEMES,
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
def export(fmt: str):
    """The list as CSV or XLSX: the same search, filters and sort, every page."""
    filters = _list_filters()
    try:
        file = exports.organisations_list(
            actor(), fmt, filters.get("q", ""), filters.get("type"), filters.get("tri", ""),
            **_search(filters),
        )  # fmt: skip
    except Invalid as exc:
        flash("Export impossible : " + " ".join(exc.errors.values()), "error")
        return redirect(url_for("organisations.index", **filters))
    return attachment(file.content, file.mimetype, file.filename)


@bp.route("/suggestions.json")
def suggestions():
    """What the record pickers suggest as the user types: ``{uid, name, detail}``, scoped;
    the uid is for the chip's hidden input, never shown."""
    return {"items": pickers.suggest_records(actor(), "organisation", request.args.get("q", ""))}


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    form = OrganisationForm()
    similar: list[dict] = []
    with refusals_shown_on(form):
        if form.validate_on_submit():
            try:
                uid = organisations.create_organisation(actor(), form_data(form))
            except PossibleDuplicates as warning:  # shown above the form, not as an error
                similar = warning.candidates
            else:
                flash("Organisation enregistrée.", "success")
                return redirect(url_for("organisations.detail", uid=uid))
    return render_template("organisations/form.html", form=form, organisation=None, similar=similar)


@bp.route("/<uid>")
def detail(uid: str):
    return render_template(
        "organisations/detail.html",
        kinds=ORGANISATION_KINDS,
        **organisations.organisation_page(actor(), uid),
    )


@bp.route("/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    organisation = organisations.organisation_for_edit(actor(), uid)
    form = OrganisationForm(data=organisation if request.method == "GET" else None)
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            organisations.update_organisation(
                actor(), uid, submitted_version(form), form_data(form)
            )
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("organisations.detail", uid=uid))
    return render_template(
        "organisations/form.html", form=form, organisation=organisation, current=refusal.current
    )


@bp.route("/fonctions/<function_uid>/passation", methods=["GET", "POST"])
def handover(function_uid: str):
    function = affiliations.get_function(actor(), function_uid)
    form = HandoverForm()
    end_form = EndFunctionForm(prefix="end")
    with refusals_shown_on(form):
        if form.validate_on_submit():
            successor = pickers.pick_one(
                actor(), "person", form.successor.data, form.successor_new.data, "successor"
            )
            affiliations.hand_over(
                actor(), function_uid, successor, form.on.data, form.focal_point.data
            )
            flash("Passation enregistrée : le successeur est le nouveau titulaire.", "success")
            return redirect(url_for("organisations.detail", uid=function["organisation_uid"]))
    chosen = pickers.chosen_records(actor(), "person", form.successor.data)
    return render_template(
        "organisations/handover.html",
        function=function,
        form=form,
        end_form=end_form,
        chosen=chosen,
    )


@bp.route("/fonctions/<function_uid>/fin", methods=["POST"])
def end_function(function_uid: str):
    function = affiliations.get_function(actor(), function_uid)
    form = EndFunctionForm(prefix="end")
    with refusals_shown_on(form):
        if form.validate_on_submit():
            affiliations.end_function(actor(), function_uid, form.until.data)
            flash("Fin de fonction enregistrée.", "success")
            return redirect(url_for("organisations.detail", uid=function["organisation_uid"]))
    return render_template(
        "organisations/handover.html",
        function=function,
        form=HandoverForm(formdata=None),
        end_form=form,
        chosen=[],
    ), 422
