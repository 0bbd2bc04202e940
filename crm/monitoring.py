"""Participation figures and the programme's monitoring report (semester report to the
manager and the M&E officer), with its XLSX export.

The figures are defined once, in ``graph.participation`` (whose docstring the report's help
repeats). They count people under opposition or anonymised like everyone else, and never
name a person: the report names events' kinds, communes and associations only.

The report covers a period (default: the current semester, in the programme's time zone)
and a territory (a region, province or commune; default: everything the actor's scope
holds); the actor's scope always applies on top.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from crm import audit, clock
from crm.access import Actor
from crm.csvcell import safe_cell
from crm.territory import resolve_commune
from crm.transactions import reads
from crm.validation import Errors, parse_date
from graph import participation as store
from graph import territory as geography
from graph.vocabulary import EVENT_KINDS, ORGANISATION_KINDS, TRAINING_MODULES

__all__ = [
    "Period",
    "event_figures",
    "monitoring_report",
    "report_xlsx",
    "semester",
]

_HCP_CODE = re.compile(r"^\d{2}(\.\d{3}(\.\d{2}\.\d{1,2})?)?$")
MAX_DAYS = 5 * 366  # a report over more than five years is a typing mistake


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


def semester(day: date) -> Period:
    """The programme's semester holding ``day``: January–June or July–December.

    >>> semester(date(2026, 12, 2))
    Period(start=datetime.date(2026, 7, 1), end=datetime.date(2026, 12, 31))
    """
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30))
    return Period(date(day.year, 7, 1), date(day.year, 12, 31))


def event_figures(uid: str) -> dict:
    """The participation figures of an event the calling use case has just read."""
    return _labelled(store.event_figures(uid))


@reads
def monitoring_report(
    actor: Actor,
    territory: str = "",
    start: object = None,
    end: object = None,
    today: date | None = None,
) -> dict:
    """The monitoring report: ``period``, ``territory`` ({code, name, level} or None),
    ``figures`` (``graph.participation.period_figures``), ``by_kind``, ``associations``
    (per commune), ``pilots`` (pilot communes with or without a council–association tie),
    ``trained`` (per module).

    Raises ``Invalid`` (keys ``start``, ``end``, ``territory``) for a period that cannot be
    read or ends before it starts, or an unknown territory.
    """
    period, code, place = _arguments(territory, start, end, today)
    scope = actor.scope.as_params()
    figures = store.period_figures(scope, code, period.start, period.end)
    pilots = store.pilot_council_ties(scope, code, period.start, period.end)
    associations = store.associations_engaged(scope, code, period.start, period.end)
    return {
        "period": period,
        "territory": place,
        "figures": _labelled(figures),
        "by_kind": [
            {**row, "label": EVENT_KINDS.get(row["kind"], row["kind"])}
            for row in store.events_by_kind(scope, code, period.start, period.end)
        ],
        "associations": associations,
        "associations_total": sum(len(row["associations"]) for row in associations),
        "pilots": pilots,
        "pilots_tied": sum(1 for row in pilots if row["tied"]),
        "trained": [
            {**row, "label": TRAINING_MODULES.get(row["module"] or "", "Module non précisé")}
            for row in figures["trained"]
        ],
        "national": actor.scope.national,
    }


def report_xlsx(
    actor: Actor,
    territory: str = "",
    start: object = None,
    end: object = None,
    today: date | None = None,
) -> tuple[bytes, str]:
    """The report as an XLSX workbook (one sheet a table) and its file name; the export is
    audited (what, which territory and period, how many rows)."""
    report = monitoring_report(actor, territory, start, end, today)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Synthèse"
    f = report["figures"]
    place = report["territory"]["name"] if report["territory"] else "Tout votre périmètre"
    _table(
        summary,
        ["Indicateur", "Valeur"],
        [
            ["Territoire", place],
            ["Période", report["period"].label],
            ["Événements tenus", f["events"]],
            ["Participations", f["participations"]],
            ["Personnes distinctes", f["people"]],
            ["Femmes", f["women"]],
            ["Hommes", f["men"]],
            ["Genre non renseigné", f["gender_unknown"]],
            ["Part des femmes (genre renseigné)", _ratio(f["women_share"])],
            ["Jeunes (18-34 ans)", f["youth"]],
            ["Âge non renseigné", f["age_unknown"]],
            ["Part des jeunes (âge renseigné)", _ratio(f["youth_share"])],
            ["Nouveaux participants", f["first_time"]],
            ["Organisations représentées", f["organisations"]],
            ["Types d'acteurs représentés", len(f["kinds"])],
            ["Formations dispensées", f["trainings"]],
            ["Associations engagées", report["associations_total"]],
            [
                "Communes pilotes avec un lien conseil–association",
                f"{report['pilots_tied']} / {len(report['pilots'])}",
            ],
        ],
    )
    _table(
        workbook.create_sheet("Événements par type"),
        ["Type", "Événements", "Participations"],
        [[r["label"], r["events"], r["participations"]] for r in report["by_kind"]],
    )
    _table(
        workbook.create_sheet("Associations engagées"),
        ["Commune", "Code HCP", "Pilote", "Associations engagées", "Noms"],
        [
            [
                r["commune_name"],
                r["commune_code"],
                "oui" if r["pilot"] else "non",
                len(r["associations"]),
                ", ".join(a["name"] for a in r["associations"]),
            ]
            for r in report["associations"]
        ],
    )
    _table(
        workbook.create_sheet("Communes pilotes"),
        ["Région", "Commune", "Code HCP", "Lien conseil–association", "Interactions", "Événements"],
        [
            [
                r["region"],
                r["commune_name"],
                r["commune_code"],
                "oui" if r["tied"] else "non",
                len(r["interactions"]),
                len(r["events"]),
            ]
            for r in report["pilots"]
        ],
    )
    _table(
        workbook.create_sheet("Formations"),
        ["Module", "Formations", "Personnes formées"],
        [[r["label"], r["trainings"], r["people"]] for r in report["trained"]],
    )
    out = io.BytesIO()
    workbook.save(out)
    period = report["period"]
    audit.record(
        actor,
        "export",
        target_kind="report",
        summary=f"Rapport de suivi ({place}, {period.label})",
        details={
            "what": "monitoring_report",
            "format": "xlsx",
            "territory": report["territory"]["code"] if report["territory"] else None,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "events": f["events"],
            "people": f["people"],
        },
    )
    name = f"rapport-suivi-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return out.getvalue(), name


def _arguments(
    territory: str, start: object, end: object, today: date | None
) -> tuple[Period, str | None, dict | None]:
    errors = Errors()
    default = semester(today or clock.today())
    first = parse_date(errors, "start", start) if start else default.start
    last = parse_date(errors, "end", end) if end else default.end
    if first and last:
        errors.check("end", last >= first, "La fin de la période précède son début.")
        errors.check("end", (last - first).days <= MAX_DAYS, "Période trop longue (5 ans au plus).")
    place = None
    code = (territory or "").strip() or None
    if code and not _HCP_CODE.match(code):  # a commune as typed in a form
        code, problem = resolve_commune(code)
        errors.check("territory", problem is None, problem or "")
    if code:
        place = geography.territory_named(code)
        errors.check("territory", place is not None, "Territoire inconnu.")
    errors.raise_if_any()
    return Period(first, last), code, place


def _labelled(figures: dict) -> dict:
    return {
        **figures,
        "kind_labels": [ORGANISATION_KINDS.get(k, k) for k in figures.get("kinds") or []],
    }


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)} %"


def _table(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Names are people's typing: a spreadsheet must never read them as formulas.
        sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
