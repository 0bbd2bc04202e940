"""People: list and search, create, view, edit, link to an organisation."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from crm import exports, interactions, organisations, people, territory, vcard
from crm.errors import Conflict, Invalid
from crm.pagination import Page
from graph.vocabulary import THEMES
from webui.auth.session import actor
from webui.contacts.forms import AffiliationForm, PersonForm
from webui.forms import apply_errors, form_data, submitted_version

bp = Blueprint("contacts", __name__, url_prefix="/personnes")


# Query-string names of the list's search box and filters (pagination links carry them).
LIST_FILTERS = ("q", "tri", "region", "commune", "theme")


@bp.route("/")
def index():
    filters = {name: value for name in LIST_FILTERS if (value := request.args.get(name, ""))}
    error = None
    try:
        page = people.search_people(
            actor(),
            filters.get("q", ""),
            filters.get("tri", ""),
            request.args.get("page", 1, type=int),
            territory=filters.get("commune") or filters.get("region", ""),
            theme=filters.get("theme", ""),
        )
    except Invalid as exc:
        page, error = Page([], 0, 1), exc.errors.get("commune")
    return render_template(
        "contacts/index.html",
        page=page,
        filters=filters,
        error=error,
        regions=territory.regions(actor()),
        themes=THEMES,
    )


@bp.route("/export.csv")
def export():
    return Response(
        exports.people_csv(actor()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="personnes.csv"'},
    )


@bp.route("/nouvelle", methods=["GET", "POST"])
def create():
    form = PersonForm()
    if form.validate_on_submit():
        try:
            uid = people.create_person(actor(), form_data(form))
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash("Personne enregistrée.", "success")
            return redirect(url_for("contacts.detail", uid=uid))
    return render_template("contacts/form.html", form=form, person=None)


@bp.route("/<uid>")
def detail(uid: str):
    person = people.get_person(actor(), uid)
    return render_template(
        "contacts/detail.html",
        person=person,
        form=AffiliationForm(),
        history=people.history(actor(), uid),
        timeline=interactions.timeline(actor(), "person", uid),
    )


@bp.route("/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    person = people.person_for_edit(actor(), uid)
    form = PersonForm(data=person if request.method == "GET" else None)
    current = None
    if form.validate_on_submit():
        try:
            people.update_person(actor(), uid, submitted_version(form), form_data(form))
        except Invalid as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.form_errors.append(exc.message)
            current = exc.current
        else:
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("contacts.detail", uid=uid))
    return render_template("contacts/form.html", form=form, person=person, current=current)


@bp.route("/<uid>/fonctions", methods=["POST"])
def add_affiliation(uid: str):
    person = people.get_person(actor(), uid)
    form = AffiliationForm()
    if form.validate_on_submit():
        try:
            org_uid = organisations.resolve_organisation(actor(), form.organisation.data)
            people.link_to_organisation(actor(), uid, org_uid, form_data(form))
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash("Fonction ajoutée.", "success")
            return redirect(url_for("contacts.detail", uid=uid))
    history = people.history(actor(), uid)
    return render_template("contacts/detail.html", person=person, form=form, history=history), 422


@bp.route("/suggestions.json")
def suggestions():
    return {"items": people.suggest_people(actor(), request.args.get("q", ""))}


@bp.route("/export.vcf")
def export_vcards():
    return _vcard_response(vcard.people_vcards(actor()), "contacts.vcf")


@bp.route("/<uid>/vcard")
def person_vcard(uid: str):
    return _vcard_response(vcard.person_vcard(actor(), uid), f"{uid}.vcf")


def _vcard_response(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
