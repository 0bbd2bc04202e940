"""The network's exports: a page listing the formats for a scope, and the downloads."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup

from crm import clock, network, network_exports, territory
from crm.errors import Invalid
from graph.vocabulary import ORGANISATION_KINDS
from webui.auth.session import actor, now
from webui.network.routes import SCOPE_FIELDS, SCOPE_LISTS
from webui.security import attachment

bp = Blueprint("exports", __name__, url_prefix="/reseau")


def _scope_args() -> dict:
    """The analysis scope as the query string gives it (as on the analysis pages)."""
    args: dict = {k: v for k in SCOPE_FIELDS if (v := request.args.get(k, "").strip())}
    for name in SCOPE_LISTS:
        if values := [v for v in request.args.getlist(name) if v]:
            args[name] = values
    return args


@bp.context_processor
def _vocabularies() -> dict:
    """What the analysis scope form (network/_scope.html) lists."""
    return {
        "levels": network.LEVELS,
        "tie_kinds": network.TIE_KIND_LABELS,
        "organisation_kinds": ORGANISATION_KINDS,
    }


@bp.route("/exports")
def network_page():
    """The export formats of the network for the scope of the form."""
    args = _scope_args()
    try:
        choices, errors = network_exports.export_choices(actor(), args, _today()), {}
    except Invalid as refused:
        choices, errors = None, refused.errors
    return render_template(
        "exports/network.html",
        choices=choices,
        errors=errors,
        args=args,
        regions=territory.regions(actor()),
    )


@bp.route("/export/<fmt>")
def network_file(fmt: str):
    """The network of the scope in one format, as a download named with the date."""
    if fmt not in network_exports.FORMATS:
        abort(404)
    try:
        if fmt == "html":
            return _standalone_map(network_exports.standalone_map(actor(), _scope_args(), _today()))
        file = network_exports.export_network(actor(), _scope_args(), fmt, _today())
    except Invalid as refused:
        return Response(" ".join(refused.errors.values()), 400, mimetype="text/plain")
    return attachment(file.content, file.mimetype, file.filename, fallback="reseau")


def _standalone_map(found: dict) -> Response:
    """The standalone map as one HTML file: vis-network and the data inlined."""
    page = render_template(
        "exports/standalone_map.html", map=found, assets=_assets(current_app.static_folder)
    )
    return attachment(page, "text/html", found["filename"], fallback="reseau")


@cache
def _assets(static_folder: str) -> dict[str, Markup]:
    """The vendored vis-network files, to inline (the app's own files, not user data; a
    closing tag in them could not end their element early)."""
    folder = Path(static_folder) / "vendor" / "vis-network"

    def read(name: str, tag: str) -> Markup:
        text = (folder / name).read_text(encoding="utf-8")
        closing = re.compile("</(" + tag + ")", re.IGNORECASE)
        return Markup(closing.sub(lambda m: "<\\/" + m.group(1), text))

    return {
        "css": read("vis-network.min.css", "style"),
        "vis_data": read("vis-data.min.js", "script"),
        "vis_network": read("vis-network.min.js", "script"),
    }


def _today():
    return clock.today(now())
