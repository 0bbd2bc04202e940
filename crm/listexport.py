"""Lists written as files: rows to CSV or XLSX bytes, the download's name and the audit entry.

Each list (``crm.exports``) only declares its columns: a French header, how a row gives the
cell's value, and whether the column holds Arabic. This module does the writing, the same
for every list:

* CSV: UTF-8 with a byte order mark (so Excel reads Arabic), every cell through
  ``crm.csvcell.safe_cell`` (a formula gets a leading apostrophe; phone numbers in E.164 and
  plain numbers stay as they are).
* XLSX: ``openpyxl`` in write-only mode (rows are streamed, memory stays flat); every text
  is a text cell, never a formula (a formula-like text is also marked "quote prefix", so
  editing the cell in Excel keeps it text); Arabic columns are right-aligned, read right to
  left; dates are dates; the header row is frozen.

Values may be text, numbers, dates, lists (joined with ", ") or None (empty).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from crm import audit, clock
from crm.access import Actor
from crm.csvcell import safe_cell

__all__ = ["FORMATS", "Column", "Download", "csv_bytes", "export_list", "xlsx_bytes"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# format code (as the download's address names it) -> (mimetype, French name).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "CSV"),
    "xlsx": (XLSX, "Excel"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)
_ARABIC = Alignment(horizontal="right", readingOrder=2)  # 2: right to left
_DATE_FORMAT = "DD/MM/YYYY"
_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


@dataclass(frozen=True)
class Column:
    """One column of an exported list: its French (or Arabic) header, the cell of a row."""

    header: str
    value: Callable[[dict], Any]
    arabic: bool = False
    width: int = 20


@dataclass(frozen=True)
class Download:
    """An exported file: its bytes, type and name (``personnes.xlsx``)."""

    content: bytes
    mimetype: str
    filename: str
    count: int


def export_list(
    actor: Actor,
    fmt: str,
    columns: Sequence[Column],
    rows: Sequence[dict],
    *,
    name: str,
    title: str,
    target_kind: str,
    filters: dict,
    target_uid: str = "",
) -> Download:
    """``rows`` written in ``fmt`` ("csv" or "xlsx") as ``name`` + suffix, and audited:
    the format, the list (``title``), its filters, how many rows and the actor's scope.

    ``ValueError`` for an unknown format (the web layer only routes the known ones).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "csv":
        content = csv_bytes(columns, rows)
    else:
        content = xlsx_bytes(columns, rows, sheet=title)
    audit.record(
        actor,
        "export",
        target_kind=target_kind,
        target_uid=target_uid,
        summary=f"Export {FORMATS[fmt][1]} : {title} ({len(rows)} lignes)",
        details={
            "format": fmt,
            "list": title,
            "count": len(rows),
            "filters": {key: value for key, value in filters.items() if value},
            "scope": "national" if actor.scope.national else sorted(actor.scope.communes)[:50],
        },
    )
    return Download(content, FORMATS[fmt][0], f"{name}.{fmt}", len(rows))


def csv_bytes(columns: Sequence[Column], rows: Iterable[dict]) -> bytes:
    """The rows as CSV, UTF-8 with BOM, each cell spreadsheet-safe (``safe_cell``)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(safe_cell(c.header) for c in columns)
    for row in rows:
        writer.writerow(safe_cell(_text(c.value(row))) for c in columns)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(columns: Sequence[Column], rows: Iterable[dict], sheet: str = "Export") -> bytes:
    """The rows as one XLSX sheet, written in openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_title(sheet))
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.append([_header_cell(ws, c) for c in columns])
    for row in rows:
        ws.append([_xlsx_cell(ws, c, c.value(row)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_cell(ws, column: Column) -> WriteOnlyCell:
    cell = _xlsx_cell(ws, column, column.header)
    cell.font = _BOLD
    return cell


def _xlsx_cell(ws, column: Column, value: Any) -> WriteOnlyCell:
    """A cell holding ``value``: numbers and dates as such, anything else as text (never a
    formula, whatever its first character)."""
    value = _native(value)
    if isinstance(value, bool):
        value = "oui" if value else "non"
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=_local(value).replace(tzinfo=None))
        cell.number_format = _DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = _DATE_FORMAT
        return cell
    if isinstance(value, int | float):
        return WriteOnlyCell(ws, value=value)
    text = ILLEGAL_CHARACTERS_RE.sub("", _text(value))
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl would make "=…" a formula
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    if column.arabic:
        cell.alignment = _ARABIC
    return cell


def _text(value: Any) -> str:
    """A value as CSV text: dates as dd/mm/yyyy, lists joined, None empty."""
    value = _native(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return f"{_local(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value if v not in (None, ""))
    return str(value)


def _native(value: Any) -> Any:
    """Neo4j's temporal values as Python's."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _local(value: datetime) -> datetime:
    """A stored instant (UTC) in the programme's time zone, as pages show it."""
    return value.astimezone(clock.zone()) if value.tzinfo else value


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Export"
