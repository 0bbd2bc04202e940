"""Interactions (log, plan, edit, mark held, cancel, delete), follow-ups ("Mes suivis") and
ties losing touch, with their cadences."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import cadence, clock, exports, followups, interactions, pickers
from crm.errors import Invalid
from webui.auth.session import actor, now
from webui.forms import form_data, refusals_shown_on, submitted_version
from webui.interactions.forms import (
    PICKERS,
    CadenceForm,
    DeleteForm,
    InteractionEditForm,
    InteractionForm,
    MarkHeldForm,
    ReassignForm,
    VersionForm,
    apply_nested_errors,
    interaction_data,
)
from webui.security import attachment

bp = Blueprint("interactions", __name__)

# Where to go back to after logging an interaction opened from a record's page.
_RECORD_PAGES = {"person": "contacts.detail", "organisation": "organisations.detail"}


@bp.context_processor
def _vocabularies() -> dict:
    """Labels the interaction pages show for stored codes (a stale edit's current version)."""
    return {
        "interaction_kinds": interactions.INTERACTION_KINDS,
        "interaction_statuses": interactions.INTERACTION_STATUSES,
    }


def _today() -> date:
    """The programme's date (tests move the clock with ``app.config["CLOCK"]``)."""
    return clock.today(now())


@bp.route("/interactions/nouvelle", methods=["GET", "POST"])
def create():
    start = interactions.interaction_form(
        actor(), request.args.get("personne"), request.args.get("organisation")
    )
    initial = None
    if request.method == "GET":
        initial = {"people": start["people"], "organisations": start["organisations"]}
        initial["date"] = _today()
        initial["status"] = "planned" if request.args.get("statut") == "prevue" else "held"
    form = InteractionForm(data=initial, assignees=start["assignees"], me=actor().uid)
    with refusals_shown_on(form, apply_nested_errors):
        if form.validate_on_submit():
            uid = interactions.log_interaction(actor(), interaction_data(form), today=_today())
            flash("Interaction enregistrée.", "success")
            if start["origin"]:
                kind, record_uid = start["origin"]
                return redirect(url_for(_RECORD_PAGES[kind], uid=record_uid))
            return redirect(url_for("interactions.detail", uid=uid))
    chosen = start["chosen"] if request.method == "GET" else _chosen(form)
    return render_template(
        "interactions/form.html", form=form, origin=start["origin"], chosen=chosen
    )


def _chosen(form: InteractionForm) -> dict[str, list[dict]]:
    """The records each picker shows as chosen, as submitted (named, never by their uid)."""
    return pickers.chosen_for_pickers(
        actor(), {name: (kind, form[name].data) for name, kind in PICKERS.items()}
    )


@bp.route("/interactions/<uid>")
def detail(uid: str):
    page = interactions.interaction_page(actor(), uid, today=_today())
    return render_template("interactions/detail.html", cancel_form=VersionForm(), **page)


@bp.route("/interactions/<uid>/modifier", methods=["GET", "POST"])
def edit(uid: str):
    interaction = interactions.interaction_for_edit(actor(), uid)
    form = InteractionEditForm(data=interaction if request.method == "GET" else None)
    with refusals_shown_on(form, apply_nested_errors) as refusal:
        if form.validate_on_submit():
            interactions.update_interaction(
                actor(), uid, submitted_version(form), interaction_data(form), today=_today()
            )
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("interactions.detail", uid=uid))
    return render_template(
        "interactions/edit.html",
        form=form,
        interaction=interaction,
        current=refusal.current,
        chosen=interaction["chosen"] if request.method == "GET" else _chosen(form),
    )


@bp.route("/interactions/<uid>/tenue", methods=["GET", "POST"])
def mark_held(uid: str):
    interaction = interactions.interaction_for_edit(actor(), uid)
    initial = {**interaction, "date": min(interaction["date"], _today())}
    form = MarkHeldForm(data=initial if request.method == "GET" else None)
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            interactions.mark_held(
                actor(), uid, submitted_version(form), form_data(form), today=_today()
            )
            flash("Interaction marquée comme tenue.", "success")
            return redirect(url_for("interactions.detail", uid=uid))
    return render_template(
        "interactions/mark_held.html", form=form, interaction=interaction, current=refusal.current
    )


@bp.route("/interactions/<uid>/annuler", methods=["POST"])
def cancel(uid: str):
    form = VersionForm()
    interactions.cancel_interaction(actor(), uid, submitted_version(form))
    flash("Interaction annulée.", "success")
    return redirect(url_for("interactions.detail", uid=uid))


@bp.route("/interactions/<uid>/supprimer", methods=["GET", "POST"])
def delete(uid: str):
    interaction = interactions.interaction_for_edit(actor(), uid)
    form = DeleteForm(data=interaction if request.method == "GET" else None)
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            removed = interactions.delete_interaction(
                actor(), uid, submitted_version(form), form.confirm.data
            )
            flash(_deleted_message(removed), "success")
            return redirect(url_for("main.home"))
    return render_template(
        "interactions/delete.html", form=form, interaction=interaction, current=refusal.current
    )


def _deleted_message(follow_ups: int) -> str:
    if follow_ups == 0:
        return "Interaction supprimée."
    plural = "s" if follow_ups > 1 else ""
    return f"Interaction supprimée, avec {follow_ups} suivi{plural}."


@bp.route("/suivis")
def my_follow_ups():
    """Every list of follow-ups, its first ones; or one list (``?liste=``) page by page."""
    mine = followups.my_follow_ups(
        actor(), today=_today(), focus=request.args.get("liste"), page=request.args.get("page", 1)
    )
    return render_template(
        "interactions/follow_ups.html", mine=mine, buckets=followups.BUCKETS, headings=HEADINGS
    )


# The heading of each list of "Mes suivis", as the page and its links name it.
HEADINGS = {
    **followups.BUCKETS,
    "done": f"Faits ces {followups.DONE_SHOWN_DAYS} derniers jours",
    "planned": "Interactions prévues",
}


@bp.route("/suivis/export.<any(csv, xlsx):fmt>")
def export_follow_ups(fmt: str):
    """ "Mes suivis" as CSV or XLSX, bucket by bucket as the page lists them."""
    file = exports.follow_ups(actor(), fmt, today=_today())
    return attachment(file.content, file.mimetype, file.filename)


@bp.route("/personnes/<uid>/interactions.<any(csv, xlsx):fmt>", defaults={"kind": "person"})
@bp.route(
    "/organisations/<uid>/interactions.<any(csv, xlsx):fmt>", defaults={"kind": "organisation"}
)
def export(kind: str, uid: str, fmt: str):
    """The interactions with a person or organisation (its page's timeline, all of it)."""
    try:
        file = exports.interactions(actor(), fmt, kind, uid)
    except Invalid as exc:
        flash("Export impossible : " + " ".join(exc.errors.values()), "error")
        return redirect(url_for(_RECORD_PAGES[kind], uid=uid))
    return attachment(file.content, file.mimetype, file.filename)


@bp.route("/suivis/<uid>/fait", methods=["POST"])
def mark_done(uid: str):
    followups.mark_done(actor(), uid)
    flash("Suivi marqué comme fait.", "success")
    return redirect(_back_to_the_list())


@bp.route("/suivis/<uid>/rouvrir", methods=["POST"])
def reopen(uid: str):
    followups.reopen(actor(), uid)
    flash("Suivi rouvert : il n'est plus marqué comme fait.", "success")
    return redirect(_back_to_the_list())


@bp.route("/suivis/<uid>/reassigner", methods=["POST"])
def reassign(uid: str):
    form = ReassignForm()
    followups.reassign(actor(), uid, form.assignee.data or "")
    flash("Suivi réassigné.", "success")
    return redirect(_back_to_the_list())


def _back_to_the_list() -> str:
    """ "Mes suivis" as the form was sent from: the whole page, or the page of one list."""
    focus = request.form.get("liste", "")
    if focus not in followups.LISTS:
        return url_for("interactions.my_follow_ups")
    page = request.form.get("page", "1")
    return url_for("interactions.my_follow_ups", liste=focus, page=page if page.isdigit() else "1")


@bp.route("/relations-a-entretenir")
def losing_touch():
    page = cadence.losing_touch(actor(), request.args.get("page", 1, type=int), today=_today())
    return render_template("interactions/losing_touch.html", page=page)


@bp.route("/parametres/cadences", methods=["GET", "POST"])
def cadences():
    current = cadence.cadences_for_edit(actor())
    form = CadenceForm(data=current if request.method == "GET" else None)
    with refusals_shown_on(form):
        if form.validate_on_submit():
            cadence.set_cadences(actor(), form_data(form))
            flash("Cadences enregistrées.", "success")
            return redirect(url_for("interactions.losing_touch"))
    return render_template("interactions/cadences.html", form=form)
