"""Spreadsheet imports of people, organisations, functions and event attendance.

The steps (``crm.imports.pipeline``): ``upload`` (the file checked whole, within ``Limits``,
kept as a draft) → ``mapping_page`` / ``set_mapping`` (columns → fields, recognised headers,
saved mappings) → ``preview`` (rows checked, matched against the scope and the file, planned)
→ ``commit`` (one transaction, in batches) → the report, the list of imports and ``undo``
(``crm.imports.history``).
"""

from crm.imports.columns import KINDS
from crm.imports.history import COUNT_LABELS, import_report, imports_page, rejected_csv, undo
from crm.imports.pipeline import (
    UNDECIDED,
    Analysis,
    column_name,
    commit,
    error_text,
    mapping_page,
    preview,
    progress,
    rejected_rows_csv,
    report_progress,
    set_mapping,
    suggest_events,
    upload,
)
from crm.imports.reading import FileRefused, Limits

__all__ = [
    "COUNT_LABELS",
    "KINDS",
    "UNDECIDED",
    "Analysis",
    "FileRefused",
    "Limits",
    "column_name",
    "commit",
    "error_text",
    "import_report",
    "imports_page",
    "mapping_page",
    "preview",
    "progress",
    "rejected_csv",
    "rejected_rows_csv",
    "report_progress",
    "set_mapping",
    "suggest_events",
    "undo",
    "upload",
]
