"""People: list and search, create, view, edit, link to an organisation."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from crm import exports, people, pickers, territory, vcard
from crm.errors import Invalid, PossibleDuplicates
from graph.vocabulary import THEMES
from webui.auth.session import actor
from webui.contacts.forms import AffiliationForm, PersonForm
from webui.forms import form_data, refusals_shown_on, submitted_version
from webui.security import attachment

bp = Blueprint("contacts", __name__, url_prefix="/personnes")


# Query-string names of the list's search box and filters (pagination links carry them).
LIST_FILTERS = ("q", "tri", "region", "commune", "theme")


def _list_filters() -> dict[str, str]:
    """The list's search and filters present in the query string (exports carry them too)."""
    return {name: value for name in LIST_FILTERS if (value := request.args.get(name, ""))}


def _search(filters: dict[str, str]) -> dict:
    """The filters as the arguments of ``people.search_people`` and of the exports."""
    return {
        "text": filters.get("q", ""),
        "sort": filters.get("tri", ""),
        "territory": filters.get("commune") or filters.get("region", ""),
        "theme": filters.get("theme", ""),
    }


@bp.route("/")
def index():
    filters = _list_filters()
    page = people.search_people(
        actor(), page=request.args.get("page", 1, type=int), **_search(filters)
    )
    return render_template(
        "contacts/index.html",
        page=page,
        filters=filters,
        error=page.problem,
        regions=territory.regions(actor()),
        themes=THEMES,
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
def export(fmt: str):
    """The list as CSV or XLSX: the same search, filters and sort, every page."""
    filters = _list_filters()
    try:
        file = exports.people(actor(), fmt, **_search(filters))
    except Invalid as exc:
        return _export_refused(exc, filters)
    return attachment(file.content, file.mimetype, file.filename)


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    form = PersonForm()
    similar: list[dict] = []
    with refusals_shown_on(form):
        if form.validate_on_submit():
            try:
                uid = people.create_person(actor(), form_data(form))
            except PossibleDuplicates as warning:  # shown above the form, not as an error
                similar = warning.candidates
            else:
                flash("Personne enregistrée.", "success")
                return redirect(url_for("contacts.detail", uid=uid))
    return render_template("contacts/form.html", form=form, person=None, similar=similar)


@bp.route("/<uid>")
def detail(uid: str):
    return render_template(
        "contacts/detail.html", form=AffiliationForm(), **people.person_page(actor(), uid)
    )


@bp.route("/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    person = people.person_for_edit(actor(), uid)
    form = PersonForm(data=person if request.method == "GET" else None)
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            people.update_person(actor(), uid, submitted_version(form), form_data(form))
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("contacts.detail", uid=uid))
    return render_template("contacts/form.html", form=form, person=person, current=refusal.current)


@bp.route("/<uid>/fonctions", methods=["POST"])
def add_affiliation(uid: str):
    person = people.get_person(actor(), uid)
    form = AffiliationForm()
    if form.validate_on_submit():
        with refusals_shown_on(form):
            org_uid = pickers.pick_one(
                actor(), "organisation", form.organisation.data, form.organisation_new.data,
                "organisation",
            )  # fmt: skip
            people.link_to_organisation(actor(), uid, org_uid, form_data(form))
            flash("Fonction ajoutée.", "success")
            return redirect(url_for("contacts.detail", uid=uid))
    history = people.history(actor(), uid)
    chosen = pickers.chosen_records(actor(), "organisation", form.organisation.data)
    return render_template(
        "contacts/detail.html", person=person, form=form, history=history, chosen=chosen
    ), 422


@bp.route("/suggestions.json")
def suggestions():
    """What the record pickers suggest as the user types: ``{uid, name, detail}``, scoped;
    the uid is for the chip's hidden input, never shown."""
    return {"items": pickers.suggest_records(actor(), "person", request.args.get("q", ""))}


@bp.route("/export.vcf")
def export_vcards():
    """The list as one .vcf file: the same search and filters, every page."""
    filters = _list_filters()
    try:
        body = vcard.people_vcards(actor(), **_search(filters))
    except Invalid as exc:
        return _export_refused(exc, filters)
    return attachment(body, "text/vcard", "contacts.vcf")


@bp.route("/<uid>/vcard")
def person_vcard(uid: str):
    card = vcard.person_vcard(actor(), uid)
    return attachment(card.text, "text/vcard", card.filename, fallback="contact")


def _export_refused(exc: Invalid, filters: dict[str, str]) -> Response:
    """Back to the list, which shows why its search cannot be exported (unknown commune)."""
    flash("Export impossible : " + " ".join(exc.errors.values()), "error")
    return redirect(url_for("contacts.index", **filters))


@bp.route("/a-completer")
def to_complete():
    """People whose legal basis or purpose (law 09-08) is still to be given."""
    page = people.to_complete(actor(), request.args.get("page", 1, type=int))
    return render_template("contacts/to_complete.html", page=page)
