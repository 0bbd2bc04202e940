"""Regions and communes: the administrative geography and who is located where."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crm import clock, interactions, territory
from webui.auth.session import actor, now

bp = Blueprint("territory", __name__, url_prefix="/territoires")


@bp.route("/")
def index():
    return render_template("territory/index.html", regions=territory.regions(actor()))


@bp.route("/region/<code>")
def region(code: str):
    return render_template("territory/region.html", region=territory.region(actor(), code))


@bp.route("/commune/<code>")
def commune(code: str):
    page = interactions.commune_page(actor(), code, today=clock.today(now()))
    return render_template("territory/commune.html", **page)


@bp.route("/communes.json")
def communes():
    rows = territory.find_communes(actor(), request.args.get("q", ""))
    return {"items": [{"code": r["code"], "label": territory.commune_label(r)} for r in rows]}
