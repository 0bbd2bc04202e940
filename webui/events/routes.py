"""Events: list, create, view, edit, cancel; their participants (the sign-in sheet)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import events, exports, pickers, territory
from crm.errors import Invalid, PossibleDuplicates
from graph.vocabulary import EVENT_KINDS, THEMES
from webui.auth.session import actor
from webui.events.forms import (
    CancelForm,
    EventForm,
    NewParticipantForm,
    ParticipantForm,
    RemoveForm,
    event_data,
)
from webui.forms import form_data, refusals_shown_on, submitted_version
from webui.security import attachment

bp = Blueprint("events", __name__, url_prefix="/evenements")

# Query-string names of the list's search box and filters (pagination links carry them).
LIST_FILTERS = ("q", "type", "region", "commune", "theme", "du", "au", "tri")


def _list_filters() -> dict[str, str]:
    """The list's search and filters present in the query string (exports carry them too)."""
    return {name: value for name in LIST_FILTERS if (value := request.args.get(name, ""))}


def _search(filters: dict[str, str]) -> dict:
    """The filters as the arguments of ``events.search_events`` and of the exports."""
    return {
        "text": filters.get("q", ""),
        "kind": filters.get("type", ""),
        "territory_text": filters.get("commune") or filters.get("region", ""),
        "theme": filters.get("theme", ""),
        "start": filters.get("du"),
        "end": filters.get("au"),
        "sort": filters.get("tri", ""),
    }


@bp.route("/")
def index():
    filters = _list_filters()
    page = events.search_events(
        actor(), **_search(filters), page=request.args.get("page", 1, type=int)
    )
    return render_template(
        "events/index.html",
        page=page,
        filters=filters,
        error=page.problem,
        regions=territory.regions(actor()),
        kinds=EVENT_KINDS,
        themes=THEMES,
    )


@bp.route("/export.<any(csv, xlsx):fmt>", defaults={"what": "events"})
@bp.route("/participations.<any(csv, xlsx):fmt>", defaults={"what": "attendance"})
def export(fmt: str, what: str):
    """The list (``what`` "events"), or the participants of every event of it
    ("attendance"), as CSV or XLSX: the same search, filters and sort, every page."""
    filters = _list_filters()
    write = exports.events_list if what == "events" else exports.attendance_of_events
    try:
        file = write(actor(), fmt, **_search(filters))
    except Invalid as exc:
        flash("Export impossible : " + " ".join(exc.errors.values()), "error")
        return redirect(url_for("events.index", **filters))
    return attachment(file.content, file.mimetype, file.filename)


@bp.route("/<uid>/participants.<any(csv, xlsx):fmt>")
def export_participants(uid: str, fmt: str):
    """The participants of the event as its page lists them, as CSV or XLSX."""
    file = exports.attendance(actor(), fmt, uid)
    return attachment(file.content, file.mimetype, file.filename, fallback="participants")


@bp.route("/nouveau", methods=["GET", "POST"])
def create():
    initial = None
    if request.method == "GET":  # opened from a commune's page: that commune, by its name
        initial = {"commune": territory.commune_field(actor(), request.args.get("commune", ""))}
    form = EventForm(data=initial)
    with refusals_shown_on(form):
        if form.validate_on_submit():
            uid = events.create_event(actor(), event_data(form))
            flash("Événement enregistré. Ajoutez maintenant ses participants.", "success")
            return redirect(url_for("events.participants", uid=uid))
    return render_template("events/form.html", form=form, event=None, chosen=_chosen(form))


@bp.route("/<uid>")
def detail(uid: str):
    return render_template(
        "events/detail.html", cancel_form=CancelForm(), **events.event_page(actor(), uid)
    )


@bp.route("/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    event = events.event_for_edit(actor(), uid)
    form = EventForm(data=event if request.method == "GET" else None)
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            events.update_event(actor(), uid, submitted_version(form), event_data(form))
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("events.detail", uid=uid))
    chosen = event["chosen_organisers"] if request.method == "GET" else _chosen(form)
    return render_template(
        "events/form.html", form=form, event=event, chosen=chosen, current=refusal.current
    )


@bp.route("/<uid>/annuler", methods=["POST"])
def cancel(uid: str):
    form = CancelForm()
    events.cancel_event(actor(), uid, submitted_version(form), form.reason.data or "")
    flash("Événement annulé : il reste dans la liste, marqué comme annulé.", "success")
    return redirect(url_for("events.detail", uid=uid))


@bp.route("/<uid>/participants", methods=["GET", "POST"])
def participants(uid: str):
    """The sign-in sheet: the participants, and a form to add an existing person."""
    form = ParticipantForm(prefix="existing")
    new_form = NewParticipantForm(prefix="new")
    with refusals_shown_on(form):
        if form.submit_ok():
            events.add_participant(actor(), uid, form_data(form))
            flash("Participant(e) ajouté(e).", "success")
            return redirect(url_for("events.participants", uid=uid))
    return _sheet(uid, form, new_form)


@bp.route("/<uid>/participants/nouvelle-personne", methods=["POST"])
def new_participant(uid: str):
    """Create a person from the sign-in sheet and list them (duplicates shown first)."""
    form = ParticipantForm(prefix="existing", formdata=None)
    new_form = NewParticipantForm(prefix="new")
    similar: list[dict] = []
    with refusals_shown_on(new_form):
        if new_form.validate_on_submit():
            try:
                events.create_participant(actor(), uid, form_data(new_form))
            except PossibleDuplicates as warning:
                similar = warning.candidates
                new_form.confirm_duplicate.data = ",".join(c["uid"] for c in similar)
            else:
                flash("Fiche créée et participant(e) ajouté(e).", "success")
                return redirect(url_for("events.participants", uid=uid))
    return _sheet(uid, form, new_form, similar)


@bp.route("/<uid>/participants/<attendance>/retirer", methods=["POST"])
def remove_participant(uid: str, attendance: str):
    RemoveForm().validate_on_submit()
    events.remove_participant(actor(), uid, attendance)
    flash("Participant(e) retiré(e) de l'événement.", "success")
    return redirect(url_for("events.participants", uid=uid))


def _sheet(uid: str, form: ParticipantForm, new_form: NewParticipantForm, similar=None):
    page = events.event_page(actor(), uid)
    chosen = pickers.chosen_for_pickers(
        actor(),
        {
            "person": ("person", form.person.data),
            "for_organisation": ("organisation", form.for_organisation.data),
            "new_for_organisation": ("organisation", new_form.for_organisation.data),
        },
    )
    return render_template(
        "events/participants.html",
        form=form,
        new_form=new_form,
        remove_form=RemoveForm(),
        chosen=chosen,
        similar=similar or [],
        **page,
    )


def _chosen(form: EventForm) -> list[dict]:
    return pickers.chosen_records(actor(), "organisation", form.organisers.data)
