"""The monitoring report: a period and a territory, tables and charts, an XLSX export."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from crm import clock, monitoring, territory
from crm.errors import Invalid
from webui.auth.session import actor, now
from webui.security import attachment

bp = Blueprint("reports", __name__, url_prefix="/rapports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Query-string names of the report's form (the export link carries them).
FILTERS = ("region", "commune", "du", "au")


def _filters() -> dict[str, str]:
    return {name: value for name in FILTERS if (value := request.args.get(name, "").strip())}


def _arguments(filters: dict[str, str]) -> dict:
    return {
        "territory": filters.get("commune") or filters.get("region", ""),
        "start": filters.get("du"),
        "end": filters.get("au"),
        "today": clock.today(now()),
    }


@bp.route("/suivi")
def monitoring_report():
    filters = _filters()
    try:
        report = monitoring.monitoring_report(actor(), **_arguments(filters))
        errors: dict[str, str] = {}
    except Invalid as refused:
        report, errors = None, refused.errors
    return render_template(
        "reports/monitoring.html",
        report=report,
        errors=errors,
        filters=filters,
        regions=territory.regions(actor()),
    )


@bp.route("/suivi.xlsx")
def monitoring_xlsx():
    filters = _filters()
    try:
        content, name = monitoring.report_xlsx(actor(), **_arguments(filters))
    except Invalid as refused:
        return Response(" ".join(refused.errors.values()), 400, mimetype="text/plain")
    return attachment(content, XLSX, name)
