"""Regions, provinces and communes: the administrative geography, who is located where, the
pilot communes and the checklist of the actors expected in every commune."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import checklist, clock, interactions, pilots, territory
from webui.auth.session import actor, now
from webui.forms import form_data, refusals_shown_on, safe_next
from webui.territory.forms import (
    ChecklistForm,
    PilotAddForm,
    PilotStatusForm,
    checklist_data,
)

bp = Blueprint("territory", __name__, url_prefix="/territoires")

# The query-string flag of the region and province pages: pilot communes only.
PILOTS_ONLY = "pilotes"


def _today():
    return clock.today(now())


@bp.route("/")
def index():
    return render_template("territory/index.html", regions=territory.regions(actor()))


@bp.route("/region/<code>")
def region(code: str):
    pilots_only = bool(request.args.get(PILOTS_ONLY))
    found = territory.region(actor(), code, pilots_only, today=_today())
    return render_template("territory/region.html", region=found, pilots_only=pilots_only)


@bp.route("/province/<code>")
def province(code: str):
    pilots_only = bool(request.args.get(PILOTS_ONLY))
    found = territory.province(actor(), code, pilots_only, today=_today())
    return render_template("territory/province.html", province=found, pilots_only=pilots_only)


@bp.route("/commune/<code>")
def commune(code: str):
    return _commune_page(code, None)


@bp.route("/commune/<code>/pilote", methods=["POST"])
def pilot(code: str):
    """A manager changes the commune's pilot status (commune page, or "Retirer" on the list)."""
    form = PilotStatusForm()
    with refusals_shown_on(form):
        if form.validate_on_submit():
            pilots.set_pilot(actor(), code, form.pilot.data, form.since.data, today=_today())
            flash("Statut de commune pilote enregistré.", "success")
            back = safe_next(form.next.data) or url_for("territory.commune", code=code)
            return redirect(back)
    return _commune_page(code, form)


def _commune_page(code: str, pilot_form: PilotStatusForm | None):
    page = interactions.commune_page(actor(), code, today=_today())
    if pilot_form is None and actor().role == "manager":
        found = page["commune"]
        pilot_form = PilotStatusForm(
            formdata=None,
            data={"pilot": found["pilot"], "since": _native(found.get("pilot_since"))},
        )
    return render_template("territory/commune.html", pilot_form=pilot_form, **page)


@bp.route("/pilotes", methods=["GET", "POST"])
def pilot_communes():
    form = PilotAddForm()
    with refusals_shown_on(form):
        if form.validate_on_submit():
            code = pilots.add_pilot(actor(), form.commune.data, form.since.data, today=_today())
            flash("Commune ajoutée aux communes pilotes.", "success")
            return redirect(url_for("territory.pilot_communes", _anchor="commune-" + code))
    if request.method == "GET" and not form.since.data:
        form.since.data = _today()
    return render_template("territory/pilots.html", form=form, **pilots.pilot_communes(actor()))


@bp.route("/liste-de-controle", methods=["GET", "POST"])
def checklist_rules():
    current = checklist.rules_for_edit(actor())
    form = ChecklistForm(data=checklist_data(current) if request.method == "GET" else None)
    with refusals_shown_on(form):
        if form.validate_on_submit():
            checklist.set_rules(actor(), form_data(form))
            flash("Liste de contrôle enregistrée.", "success")
            return redirect(url_for("territory.checklist_rules"))
    return render_template("territory/checklist.html", form=form, rules=current)


@bp.route("/communes.json")
def communes():
    rows = territory.find_communes(actor(), request.args.get("q", ""))
    return {"items": [{"code": r["code"], "label": territory.commune_label(r)} for r in rows]}


def _native(value):
    """A neo4j date as a Python date (for a form's initial value)."""
    return value.to_native() if hasattr(value, "to_native") else value
