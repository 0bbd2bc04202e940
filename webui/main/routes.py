"""Home page and health check."""

from __future__ import annotations

from flask import Blueprint, render_template

from crm import territory
from graph.database import ping
from webui.auth.session import actor

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return render_template("main/home.html", regions=territory.regions(actor()))


@bp.route("/sante")
def health():
    """Liveness and readiness for load balancers: 200 when Neo4j answers, else 503."""
    ping()
    return {"status": "ok"}
