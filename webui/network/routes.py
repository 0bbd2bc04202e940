"""The first pages of the network analysis (the maps issue gives them their final form)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from crm import network, pickers, snapshots, territory
from crm.errors import Invalid
from graph.analysis.gaps import GAP_RULES, SEVERITIES
from webui.auth.session import actor
from webui.network.forms import GapSettingsForm, PathForm, SnapshotForm
from webui.network.scope import scope_args, today, vocabularies

bp = Blueprint("network", __name__, url_prefix="/reseau")

SORTS = ("name", *network.METRICS)
bp.context_processor(vocabularies)


def _analysis_page(template: str, **extra):
    args = scope_args()
    try:
        analysis, errors = network.analyse(actor(), args, today()), {}
    except Invalid as refused:
        analysis, errors = None, refused.errors
    return render_template(
        template,
        analysis=analysis,
        errors=errors,
        args=args,
        regions=territory.regions(actor()),
        **extra,
    )


@bp.route("/")
def metrics():
    """Every actor's metrics, sortable, with the whole network's figures."""
    sort = request.args.get("tri", "betweenness")
    sort = sort if sort in SORTS else "betweenness"
    page = request.args.get("page", 1, type=int)
    return _analysis_page("network/metrics.html", sort=sort, page_number=page)


@bp.route("/lacunes")
def gaps():
    """The gaps of the scope, optionally of one severity (``gravite``) and one rule
    (``regle``): the dashboard's figures link here with them."""
    severity, rule = request.args.get("gravite", ""), request.args.get("regle", "")
    return _analysis_page(
        "network/gaps.html",
        severity_filter=severity if severity in SEVERITIES else "",
        rule_filter=rule if rule in GAP_RULES else "",
    )


@bp.route("/personnes-cles")
def key_people():
    return _analysis_page("network/key_people.html")


@bp.route("/chemins")
def paths():
    """Introduction paths between two actors chosen with the record pickers."""
    args = scope_args()
    level = args.get("niveau") or "organisation"
    form = PathForm(request.args)
    result, errors = None, {}
    if request.args.get("de") or request.args.get("de_new"):
        try:
            source = pickers.pick_one(actor(), level, form.de.data, form.de_new.data, "de")
            target = pickers.pick_one(actor(), level, form.vers.data, form.vers_new.data, "vers")
            result = network.paths(actor(), args, source, target, today())
        except Invalid as refused:
            errors = refused.errors
    chosen = pickers.chosen_for_pickers(
        actor(), {"de": (level, form.de.data), "vers": (level, form.vers.data)}
    )
    return render_template(
        "network/paths.html",
        form=form,
        result=result,
        errors=errors,
        args=args,
        level=level,
        chosen=chosen,
        regions=territory.regions(actor()),
    )


@bp.route("/instantanes", methods=["GET", "POST"])
def snapshot_list():
    form = SnapshotForm()
    args = scope_args(request.form) if request.method == "POST" else {}
    errors: dict = {}
    if form.validate_on_submit():
        try:
            snapshots.save_snapshot(actor(), form.name.data or "", args, today())
        except Invalid as refused:
            errors = refused.errors
        else:
            flash("Instantané enregistré.", "success")
            return redirect(url_for("network.snapshot_list"))
    return render_template(
        "network/snapshots.html",
        form=form,
        errors=errors,
        args=args,
        saved=snapshots.list_snapshots(actor()),
        regions=territory.regions(actor()),
    )


@bp.route("/instantanes/comparer")
def compare():
    before, after = request.args.get("avant", ""), request.args.get("apres", "")
    try:
        comparison, errors = snapshots.compare_snapshots(actor(), before, after), {}
    except Invalid as refused:
        comparison, errors = None, refused.errors
    return render_template(
        "network/compare.html",
        comparison=comparison,
        errors=errors,
        saved=snapshots.list_snapshots(actor()),
        before=before,
        after=after,
    )


@bp.route("/parametres", methods=["GET", "POST"])
def gap_settings():
    current = network.gap_settings_for_edit(actor())
    form = GapSettingsForm(data=current if request.method == "GET" else None)
    try:
        if form.validate_on_submit():
            network.set_gap_settings(actor(), form.data)
            flash("Seuils des lacunes enregistrés.", "success")
            return redirect(url_for("network.gaps"))
    except Invalid as refused:
        for key, message in refused.errors.items():
            field = form._fields.get(key)
            (field.errors if field is not None else form.form_errors).append(message)
    return render_template("network/settings.html", form=form)


@bp.app_template_filter("actors_page")
def actors_page(analysis: dict, sort: str, page: int):
    """One page of the analysis' actors (``crm.network.actors_page``)."""
    return network.actors_page(analysis, sort, page)


@bp.app_template_filter("dict_without")
def dict_without(values: dict, key: str) -> dict:
    """``values`` without ``key`` (a form's refusals shown elsewhere)."""
    return {k: v for k, v in values.items() if k != key}
