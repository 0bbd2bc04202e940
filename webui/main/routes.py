"""Home page (the actor's day) and health check."""

from __future__ import annotations

from flask import Blueprint, render_template

from crm import clock
from crm.home import my_day
from graph.database import ping
from webui.auth.session import actor, now

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return render_template("main/home.html", day=my_day(actor(), today=clock.today(now())))


@bp.route("/sante")
def health():
    """Liveness and readiness for load balancers: 200 when Neo4j answers, else 503."""
    ping()
    return {"status": "ok"}
