"""Duplicates: likely pairs of people or organisations, a side-by-side comparison, merge."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from crm import dedupe
from crm.errors import Invalid
from graph.vocabulary import GENDERS
from webui.auth.session import actor
from webui.dedupe.forms import DismissForm, MergeForm
from webui.forms import refusals_shown_on

bp = Blueprint("dedupe", __name__, url_prefix="/doublons")

# URL segment -> kind of record (crm.dedupe.KINDS), and the page of a record of that kind.
KINDS = {"personnes": "person", "organisations": "organisation"}
DETAIL = {"person": "contacts.detail", "organisation": "organisations.detail"}
PAIR = "/<any(personnes, organisations):kind>/<a>/<b>"


@bp.route("/")
def start():
    return redirect(url_for("dedupe.index", kind="personnes"))


@bp.route("/<any(personnes, organisations):kind>")
def index(kind: str):
    page = dedupe.candidate_pairs(actor(), KINDS[kind], request.args.get("page", 1, type=int))
    return render_template("dedupe/index.html", page=page, kind=kind)


@bp.route(PAIR)
def compare(kind: str, a: str, b: str):
    return _comparison(kind, a, b, MergeForm())


@bp.route(PAIR + "/fusionner", methods=["POST"])
def merge(kind: str, a: str, b: str):
    form = MergeForm()
    with refusals_shown_on(form) as refusal:
        if form.validate_on_submit():
            kept = dedupe.merge(actor(), KINDS[kind], (a, b), form.keep.data, form.versions())
            flash(
                "Fiches fusionnées : liens, interactions et historique ont été repris.", "success"
            )
            return redirect(url_for(DETAIL[KINDS[kind]], uid=kept))
    return _comparison(kind, a, b, form, 409 if refusal.refused else 400)


@bp.route(PAIR + "/distincts", methods=["POST"])
def dismiss(kind: str, a: str, b: str):
    if not DismissForm().validate_on_submit():
        abort(400)
    dedupe.dismiss(actor(), KINDS[kind], a, b)
    flash("C'est noté : ces deux fiches ne seront plus proposées comme doublons.", "success")
    return redirect(url_for("dedupe.index", kind=kind))


def _comparison(kind: str, a: str, b: str, form: MergeForm, status: int = 200):
    comparison = dedupe.compare(actor(), KINDS[kind], a, b)
    first, second = comparison["records"]
    # The versions shown are the ones a merge from this page expects.
    form.version_a.data, form.version_b.data = first["version"], second["version"]
    if form.keep.data not in (a, b):
        form.keep.data = comparison["suggested_keep"]
    return render_template(
        "dedupe/compare.html",
        comparison=comparison,
        form=form,
        kind=kind,
        dismiss=DismissForm(),
        genders=GENDERS,
        tie_labels=dedupe.TIE_LABELS,
    ), status


@bp.errorhandler(Invalid)
def refused(exc: Invalid):
    """A merge or dismissal that cannot be done (a record with itself…): say why."""
    return render_template("dedupe/refused.html", messages=list(exc.errors.values())), 422


@bp.app_errorhandler(dedupe.Merged)
def merged(exc: dedupe.Merged):
    """A record merged into another: its old address leads to the kept record."""
    return redirect(url_for(DETAIL[exc.kind], uid=exc.uid), 301)
