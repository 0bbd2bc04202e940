"""The dashboard and the geographic view: pages of the network analysis (under /reseau),
with the network pages' vocabularies and scope form."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crm import dashboard, geography, territory
from crm.errors import Invalid
from webui.auth.session import actor
from webui.network.scope import SCOPE_FIELDS, scope_args, today, vocabularies

bp = Blueprint("dashboard", __name__, url_prefix="/reseau")
bp.context_processor(vocabularies)

# Query-string names of the dashboard's own choices (kept in its links with the scope).
CHOICES = ("tri", "statut", "avant", "apres")


@bp.context_processor
def _dashboard_vocabularies() -> dict:
    return {
        "region_figures": dashboard.REGION_FIGURES,
        "dashboard_sorts": dashboard.SORTS,
        "statuses": dashboard.STATUSES,
        "indicators": geography.INDICATORS,
        "scope_fields": SCOPE_FIELDS,
        "merged": _merged,
    }


def _merged(base: dict, **extra) -> dict:
    """``base`` (a query string's values) with ``extra`` on top, for links that keep it."""
    return {**base, **extra}


@bp.route("/tableau-de-bord")
def index():
    """Coordination at a glance: gaps per commune, expected actors, risks, regions, trends."""
    args = scope_args()
    choices = {k: v for k in CHOICES if (v := request.args.get(k, "").strip())}
    try:
        form = {**args, **choices, "page": request.args.get("page", "")}
        board, errors = dashboard.dashboard(actor(), form, today()), {}
    except Invalid as refused:
        board, errors = None, refused.errors
    return render_template(
        "network/dashboard.html",
        board=board,
        analysis=board["analysis"] if board else None,
        errors=errors,
        args=args,
        choices=choices,
        regions=territory.regions(actor()),
    )


@bp.route("/geographie")
def geography_view():
    """The communes placed by their centroids, coloured by an indicator, ties on top."""
    args = scope_args()
    indicator = request.args.get("indicateur", "gaps")
    try:
        view = geography.geographic_view(actor(), {**args, "indicateur": indicator}, today())
        errors = {}
    except Invalid as refused:
        view, errors = None, refused.errors
    return render_template(
        "network/geography.html",
        view=view,
        analysis=view["analysis"] if view else None,
        errors=errors,
        args=args,
        regions=territory.regions(actor()),
    )
