"""The import use cases, step by step: upload, column mapping, preview, commit.

Rules
    * Writers only (officers, managers, administrators); a draft is its uploader's alone
      (anyone else gets "not found"). Officers import into their territory: every commune
      must be in it, every existing record a row is linked to must be one they may write
      (checked in the preview, and again inside the commit's transaction), and an event
      receiving a sign-in sheet must be theirs.
    * The uploaded file is checked whole (``crm.imports.reading``) before it is stored in a
      draft (``graph.imports``), so every later step reads a file known to be within limits.
    * The preview and the commit run the same analysis (check, match, plan) on the file as it
      is stored; the commit uses the decisions posted from the preview for the rows flagged
      for review, and writes everything in ONE transaction, in batches (``graph.batches.BATCH``
      rows per statement, UNWIND). If anything fails — a refusal, Neo4j going away — nothing
      is written, and the draft stays as it was, so the same commit can be run again.
    * The import is recorded as a whole (``Import`` node, counts, rows rejected with their
      errors) and audited in the same transaction.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from crm import events, territory
from crm.access import Actor, require_write
from crm.csvcell import safe_cell
from crm.errors import Invalid, NotFound
from crm.imports import reading
from crm.imports.columns import FIELDS, KINDS, field_label, guess_mapping, header_key
from crm.imports.plan import Matcher, RowPlan, plan_rows
from crm.imports.reading import FileRefused, Limits, Sheet
from crm.imports.rows import CommuneTable, Options, check_row
from crm.pickers import uid_of
from crm.records import require_access
from crm.text import clean_text, search_key
from crm.transactions import reads, writes
from graph import database
from graph import imports as store
from graph.collector import collection_paused
from graph.database import UNAVAILABLE_ERRORS
from graph.vocabulary import LEGAL_BASES, ORGANISATION_KINDS

__all__ = [
    "DRAFT_HOURS",
    "Analysis",
    "commit",
    "mapping_page",
    "preview",
    "progress",
    "rejected_rows_csv",
    "set_mapping",
    "suggest_events",
    "upload",
]

DRAFT_HOURS = 24  # an abandoned upload is purged after this
CHUNK = 512 * 1024  # bytes per ImportChunk node
SPOOL = 1024 * 1024  # a file read back stays in memory up to this, then goes to a temp file
UNDECIDED = {"skip": "Ignorer ces lignes", "create": "Créer de nouvelles fiches"}


# --- upload ------------------------------------------------------------------------------------


@writes
def upload(actor: Actor, data: dict, file: BinaryIO, filename: str, limits: Limits) -> str:
    """Check the file and the import's settings, store them as a draft; return its uid.

    ``data``: ``kind`` (a code of ``KINDS``), ``event`` / ``event_new`` (the record picker,
    attendance only), ``commune`` (default commune, optional), ``organisation_kind``,
    ``legal_basis``, ``purpose``. ``Invalid`` on those keys or ``file``.
    """
    require_write(actor)
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in KINDS:
        errors["kind"] = "Choisissez ce que contient le fichier."
    event_uid = _event(actor, data, errors) if kind == "attendance" else None
    options = _options(actor, data, errors)
    if event_uid and not options["default_commune"]:
        brief = store.event_brief(event_uid, actor.scope.as_params())
        options["default_commune"] = brief["commune_code"] if brief else None
    name = clean_text(filename).replace("/", "_")[:200] or "fichier"
    try:
        sheet = reading.inspect(file, name, limits)
    except FileRefused as refused:
        errors["file"] = refused.message
    if errors:
        raise Invalid(errors)
    store.purge_drafts(datetime.now(UTC) - timedelta(hours=DRAFT_HOURS))
    uid = uuid.uuid4().hex
    file.seek(0)
    chunks = list(iter(lambda: file.read(CHUNK), b""))
    store.create_draft(
        uid,
        {
            "owner_uid": actor.uid,
            "kind": kind,
            "filename": name,
            "status": "uploaded",
            "format": sheet.format,
            "encoding": sheet.encoding,
            "delimiter": sheet.delimiter,
            "headers": sheet.headers,
            "row_count": sheet.row_count,
            "sample": json.dumps(sheet.sample, ensure_ascii=False),
            "options": json.dumps(options, ensure_ascii=False),
            "event_uid": event_uid,
            "mapping": json.dumps(guess_mapping(kind, sheet.headers)),
        },
        chunks,
    )
    return uid


def _event(actor: Actor, data: dict, errors: dict) -> str | None:
    chosen = [v for v in data.get("event") or [] if str(v or "").strip()]
    text = str(chosen[-1]) if chosen else clean_text(data.get("event_new"))
    if not text:
        errors["event"] = "Choisissez l'événement qui reçoit la feuille d'émargement."
        return None
    uid = uid_of(text) or _event_named(actor, text)
    if uid is None:
        errors["event"] = "Événement introuvable : choisissez-le dans la liste proposée."
        return None
    require_access(actor, "event", uid, write=True)
    return uid


def _event_named(actor: Actor, text: str) -> str | None:
    key = search_key(text)
    found = [e["uid"] for e in events.search_events(actor, text).items
             if search_key(e["title"]) == key]  # fmt: skip
    return found[0] if len(found) == 1 else None


def _options(actor: Actor, data: dict, errors: dict) -> dict:
    code, problem = territory.resolve_commune(str(data.get("commune") or ""))
    if problem:
        errors["commune"] = problem
    elif code and not actor.scope.covers(code):
        errors["commune"] = "Cette commune est hors de votre territoire."
    organisation_kind = data.get("organisation_kind") or "osc"
    if organisation_kind not in ORGANISATION_KINDS:
        errors["organisation_kind"] = "Type d'organisation inconnu."
    legal_basis = data.get("legal_basis") or ""
    if legal_basis and legal_basis not in LEGAL_BASES:
        errors["legal_basis"] = "Base légale inconnue."
    purpose = clean_text(data.get("purpose"))
    if len(purpose) > 500:
        errors["purpose"] = "La finalité ne doit pas dépasser 500 caractères."
    return {
        "default_commune": code,
        "organisation_kind": organisation_kind,
        "legal_basis": legal_basis,
        "purpose": purpose,
    }


@reads
def suggest_events(actor: Actor, text: str, limit: int = 15) -> list[dict]:
    """The events of the actor's scope matching ``text``, for the record picker."""
    if len(search_key(text)) < 2:
        return []
    return [
        {"uid": e["uid"], "name": e["title"], "detail": e["when"]}
        for e in events.search_events(actor, text).items[:limit]
    ]


# --- mapping -----------------------------------------------------------------------------------


@reads
def mapping_page(actor: Actor, draft_uid: str, saved_uid: str = "") -> dict:
    """What the mapping step shows: the draft (headers, sample rows, the event), the
    current mapping (or the one of the saved mapping ``saved_uid``), the saved mappings
    of its kind, and the fields a column can be given."""
    draft = _draft(actor, draft_uid)
    saved = store.mappings(draft["kind"])
    mapping = json.loads(draft["mapping"])
    chosen = next((m for m in saved if m["uid"] == saved_uid), None)
    if chosen:
        mapping = guess_mapping(draft["kind"], draft["headers"], json.loads(chosen["columns"]))
    return {
        "draft": _draft_view(actor, draft),
        "mapping": mapping,
        "saved": saved,
        "fields": {code: field_label(code) for code in KINDS[draft["kind"]].fields},
    }


@writes
def set_mapping(actor: Actor, draft_uid: str, mapping: list[str], save_as: str = "") -> None:
    """Give each column a field (``""``: ignored), and save the mapping under ``save_as``
    for the next files when a name is given. ``Invalid`` when a field is given twice or
    the fields that name a record are missing."""
    draft = _draft(actor, draft_uid)
    kind = KINDS[draft["kind"]]
    mapping = [code if code in kind.fields else "" for code in mapping]
    mapping += [""] * (len(draft["headers"]) - len(mapping))
    mapping = mapping[: len(draft["headers"])]
    chosen = [code for code in mapping if code]
    twice = sorted({field_label(c) for c in chosen if chosen.count(c) > 1})
    if twice:
        raise Invalid(
            {"": "Une même donnée est choisie pour plusieurs colonnes : " + ", ".join(twice) + "."}
        )
    missing = [
        field_label(c.split("|")[0])
        for c in _required(draft["kind"])
        if not set(c.split("|")) & set(chosen)
    ]
    if missing:
        raise Invalid({"": "Indiquez la colonne de : " + ", ".join(missing) + "."})
    name = clean_text(save_as)[:100]
    if name:
        columns = {
            header_key(h): code for h, code in zip(draft["headers"], mapping, strict=True) if code
        }
        store.save_mapping(uuid.uuid4().hex, draft["kind"], name, json.dumps(columns), actor.uid)
    store.update_draft(draft_uid, {"mapping": json.dumps(mapping), "status": "mapped"})


def _required(kind: str) -> list[str]:
    if kind == "organisations":
        return ["name"]
    needed = ["last_name|last_name_ar", "first_name|first_name_ar"]
    if kind == "affiliations":
        needed += ["organisation", "role"]
    return needed


# --- analysis (preview and commit) ---------------------------------------------------------------


@dataclass
class Analysis:
    """The file checked, matched and planned row by row."""

    draft: dict
    headers: list[str]
    mapping: list[str]
    plans: list[RowPlan]
    counts: dict = field(default_factory=dict)

    @property
    def rejected(self) -> list[RowPlan]:
        return [p for p in self.plans if not p.ok]

    @property
    def to_review(self) -> list[tuple[RowPlan, str]]:
        """(row, part) pairs flagged for review, in file order."""
        return [
            (plan, part)
            for plan in self.plans
            if plan.ok
            for part in ("person", "organisation")
            if getattr(plan, part) is not None and not getattr(plan, part).certain
        ]


def _analyse(actor: Actor, draft: dict, limits: Limits) -> Analysis:
    with _planned(actor, draft, limits) as plans:
        analysis = Analysis(draft, draft["headers"], json.loads(draft["mapping"]), list(plans))
    analysis.counts = _preview_counts(analysis)
    return analysis


@contextmanager
def _planned(actor: Actor, draft: dict, limits: Limits) -> Iterator[Iterator[RowPlan]]:
    """The rows of the draft's file, checked, matched and planned one by one as they are
    read (what matching needs from the database is read first), with the cyclic garbage
    collector paused meanwhile (``collection_paused``)."""
    kind = draft["kind"]
    mapping = json.loads(draft["mapping"])
    options = json.loads(draft["options"])
    option = Options(
        default_commune=options.get("default_commune"),
        organisation_kind=options.get("organisation_kind") or "osc",
        legal_basis=options.get("legal_basis") or "",
        purpose=options.get("purpose") or "",
        source=f"Import du fichier « {draft['filename']} »",
    )
    scope = actor.scope
    communes = CommuneTable(store.communes(), scope.national, scope.communes)
    params = scope.as_params()
    sheet = Sheet(draft["format"], draft["encoding"], draft["delimiter"], draft["headers"], 0, [])
    with collection_paused():
        people = (
            Matcher("person", store.people_for_import(params)) if kind != "organisations" else None
        )
        organisations = (
            Matcher("organisation", store.organisations_for_import(params))
            if kind != "people" else None
        )  # fmt: skip
        with _stored_file(draft["uid"]) as file:
            checks = (
                check_row(kind, number, cells, mapping, communes, option)
                for number, cells in reading.rows(file, sheet, limits)
            )
            yield plan_rows(checks, people, organisations)


@contextmanager
def _stored_file(draft_uid: str) -> Iterator[BinaryIO]:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as file:
        for chunk in store.draft_chunks(draft_uid):
            file.write(chunk)
        file.seek(0)
        yield file


def _preview_counts(analysis: Analysis) -> dict:
    counts = {"rows": len(analysis.plans), "rejected": len(analysis.rejected),
              "review": len(analysis.to_review)}  # fmt: skip
    for part in ("person", "organisation"):
        for plan in analysis.plans:
            found = getattr(plan, part) if plan.ok else None
            if found is None or not found.certain:
                continue
            what = found.action.split(":")[0]
            key = f"{part}_{what}"
            counts[key] = counts.get(key, 0) + 1
    return counts


@reads
def preview(actor: Actor, draft_uid: str, limits: Limits) -> Analysis:
    """The analysis of the draft's file as the commit would make it now."""
    draft = _draft(actor, draft_uid)
    analysis = _analyse(actor, draft, limits)
    analysis.draft = _draft_view(actor, draft)
    return analysis


@reads
def rejected_rows_csv(actor: Actor, draft_uid: str, limits: Limits) -> tuple[str, str]:
    """The rows the preview rejects, as CSV with an error column: ``(filename, text)``."""
    draft = _draft(actor, draft_uid)
    analysis = _analyse(actor, draft, limits)
    return _rejected_name(draft["filename"]), _rejected_csv(analysis)


def _rejected_name(filename: str) -> str:
    return filename.rsplit(".", 1)[0] + "-lignes-refusees.csv"


def _rejected_csv(analysis: Analysis) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads the file as UTF-8 (Arabic included)
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Ligne", *analysis.headers, "Erreurs"])
    for plan in analysis.rejected:
        cells = plan.check.cells + [""] * (len(analysis.headers) - len(plan.check.cells))
        writer.writerow(
            [plan.number, *(safe_cell(c) for c in cells), safe_cell(error_text(analysis, plan))]
        )
    return out.getvalue()


def error_text(analysis: Analysis, plan: RowPlan) -> str:
    """ "Téléphone (colonne « GSM ») : Numéro invalide… ; …" for one rejected row."""
    return " ; ".join(
        f"{column_name(analysis, code)} : {message}" for code, message in plan.check.errors.items()
    )


def column_name(analysis: Analysis, code: str) -> str:
    """How a field's errors are headed: the field, and the file's column it comes from."""
    if not code:
        return "Ligne"
    label = FIELDS[code][0] if code in FIELDS else code
    if code in analysis.mapping:
        return f"{label} (colonne « {analysis.headers[analysis.mapping.index(code)]} »)"
    return label


# --- commit ------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


@writes
def commit(
    actor: Actor,
    draft_uid: str,
    decisions: dict[str, str],
    undecided: str,
    limits: Limits,
    progress: Progress | None = None,
) -> str:
    """Write the import in one transaction; return the ``Import`` uid.

    ``decisions``: for rows flagged in the preview, ``"<row>-<person|organisation>"`` ->
    ``create``, ``skip``, ``link:<uid>`` (one of the candidates shown) or ``same:<row>``.
    ``undecided``: what rows flagged and not decided become (``skip`` or ``create``).
    ``progress(done, total)`` is called after each batch.
    """
    from crm.imports.writing import write_import

    draft = _draft(actor, draft_uid)
    if undecided not in UNDECIDED:
        raise Invalid({"undecided": "Choisissez ce que deviennent les lignes non tranchées."})
    event_uid = draft.get("event_uid")
    if event_uid:
        event = require_access(actor, "event", event_uid, write=True)
        if not event["writable"]:  # pragma: no cover - events have no read-only case
            raise NotFound(event_uid)
        brief = store.event_brief(event_uid, actor.scope.as_params())
        if brief is None:
            raise NotFound(event_uid)
        if brief["cancelled"]:
            raise Invalid({"": events.CANCELLED})
    with _planned(actor, draft, limits) as plans:
        analysis = Analysis(draft, draft["headers"], json.loads(draft["mapping"]), [])
        import_uid = write_import(actor, analysis, plans, decisions, undecided, progress)
    if analysis.rejected:
        store.finish_import(import_uid, {"rejected_csv": _rejected_csv(analysis)})
    store.delete_draft(draft_uid)
    return import_uid


def report_progress(draft_uid: str) -> Progress:
    """A ``progress`` callback that records the commit's progress on the draft, each time
    in a transaction of its own (so another worker's progress page sees it now); lost
    silently if the database is away (the commit itself then fails and says so)."""

    def record(done: int, total: int) -> None:
        try:
            database.write_apart(store.set_progress, draft_uid, done, total)
        except UNAVAILABLE_ERRORS:
            pass

    return record


@reads
def progress(actor: Actor, draft_uid: str) -> dict:
    """``{done, total, status}`` of a draft's commit (``done`` once the draft is gone and the
    actor's import made from it exists: the import was written). Anything else is not found."""
    found = store.draft(draft_uid)
    if found is None:
        if store.import_from_draft(draft_uid, actor.uid) is None:
            raise NotFound(draft_uid)
        return {"done": 1, "total": 1, "status": "done"}
    if found["owner_uid"] != actor.uid:
        raise NotFound(draft_uid)
    return {
        "done": found.get("progress_done") or 0,
        "total": found.get("progress_total") or 0,
        "status": found.get("status") or "",
    }


# --- drafts -------------------------------------------------------------------------------------


def _draft(actor: Actor, uid: str) -> dict:
    require_write(actor)
    found = store.draft(uid)
    if found is None or found.get("owner_uid") != actor.uid:
        raise NotFound(uid)
    return found


def _draft_view(actor: Actor, draft: dict) -> dict:
    sheet = Sheet(draft["format"], draft["encoding"], draft["delimiter"], draft["headers"],
                  draft["row_count"], json.loads(draft["sample"]))  # fmt: skip
    event = None
    if draft.get("event_uid"):
        event = store.event_brief(draft["event_uid"], actor.scope.as_params())
    return {
        "uid": draft["uid"],
        "kind": draft["kind"],
        "kind_label": KINDS[draft["kind"]].label,
        "filename": draft["filename"],
        "headers": draft["headers"],
        "row_count": draft["row_count"],
        "sample": sheet.sample,
        "format": reading.describe(sheet),
        "event": event,
        "options": json.loads(draft["options"]),
    }
