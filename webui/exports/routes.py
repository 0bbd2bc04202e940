"""The network's exports: a page listing the formats for a scope, and the downloads."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template
from markupsafe import Markup

from crm import network_exports, territory
from crm.errors import Invalid
from webui.auth.session import actor
from webui.network.scope import scope_args, today, vocabularies
from webui.security import attachment

bp = Blueprint("exports", __name__, url_prefix="/reseau")


bp.context_processor(vocabularies)


@bp.route("/exports")
def network_page():
    """The export formats of the network for the scope of the form."""
    args = scope_args()
    try:
        choices, errors = network_exports.export_choices(actor(), args, today()), {}
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
            return _standalone_map(network_exports.standalone_map(actor(), scope_args(), today()))
        file = network_exports.export_network(actor(), scope_args(), fmt, today())
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
