"""The interactive network map (``/reseau/carte``) and the JSON it draws, on the ``network``
blueprint. The page holds the scope form and the map's tools; ``static/js/network-map.js``
fetches the JSON (access-checked in ``crm.maps``) and draws it with the vendored vis-network.
"""

from __future__ import annotations

import json

from flask import Response, render_template, request, url_for

from crm import maps, network, territory
from crm.errors import Invalid
from webui.auth.session import actor
from webui.network.routes import bp
from webui.network.scope import scope_args, today


def _map_args() -> dict:
    return {k: v for k in maps.MAP_FIELDS if (v := request.args.get(k, "").strip())}


def _links() -> dict[str, str]:
    """Record pages by node kind, ``__uid__`` standing for the uid or HCP code."""
    uid = "__uid__"
    return {
        "organisation": url_for("organisations.detail", uid=uid),
        "person": url_for("contacts.detail", uid=uid),
        "commune": url_for("territory.commune", code=uid),
        "province": url_for("territory.province", code=uid),
        "region": url_for("territory.region", code=uid),
    }


@bp.route("/carte")
def network_map():
    """The map page: scope and options form, tools, and the map drawn from the JSON."""
    args, options = scope_args(), _map_args()
    errors: dict = {}
    try:
        network.read_scope(args, today())
        maps.map_options(options)
    except Invalid as refused:
        errors = refused.errors
    return render_template(
        "network/map.html",
        args=args,
        options=options,
        errors=errors,
        regions=territory.regions(actor()),
        colours=maps.COLOURS,
        sizes=maps.SIZES,
        views=maps.VIEWS,
        steps=maps.STEPS,
        aggregate_above=maps.AGGREGATE_ABOVE,
        # The same map without the ego network (where the ego links start from).
        whole_url=url_for(
            "network.network_map",
            **args,
            **{k: v for k, v in options.items() if k not in ("ego", "pas")},
        ),
        data_url=None if errors else url_for("network.map_data", **args, **options),
    )


@bp.route("/carte/donnees.json")
def map_data():
    """The map's nodes and ties for the scope of the query string (``crm.maps``)."""
    try:
        payload = maps.network_map(actor(), {**scope_args(), **_map_args()}, today(), _links())
    except Invalid as refused:
        return Response(_json({"errors": refused.errors}), 400, mimetype="application/json")
    return Response(_json(payload), mimetype="application/json")


def _json(data: dict) -> str:
    # UTF-8 rather than \u escapes: Arabic names take a third of the room.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
