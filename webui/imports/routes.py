"""Spreadsheet imports: upload, column mapping, preview, commit (with its progress), the
report, the list of past imports and their undo. Steps live in ``crm.imports``."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from crm import imports
from crm.errors import Conflict, Invalid
from graph.database import UNAVAILABLE_ERRORS, DatabaseUnavailable
from webui.auth.session import actor
from webui.forms import form_data, refusals_shown_on
from webui.imports.forms import MappingForm, PreviewForm, UploadForm
from webui.security import attachment

bp = Blueprint("imports", __name__, url_prefix="/imports")
log = logging.getLogger(__name__)

FAILED = (
    "L'import a échoué : la base de données a cessé de répondre pendant l'enregistrement. "
    "Rien n'a été enregistré. Réessayez dans quelques instants."
)
SHOWN_ROWS = 300  # rows to review / rejected rows listed on the preview page


def limits() -> imports.Limits:
    config = current_app.config
    return imports.Limits(
        max_bytes=config["IMPORT_MAX_BYTES"],
        max_rows=config["IMPORT_MAX_ROWS"],
        max_columns=config["IMPORT_MAX_COLUMNS"],
        max_uncompressed=config["IMPORT_MAX_UNCOMPRESSED"],
        max_ratio=config["IMPORT_MAX_RATIO"],
    )


@bp.route("/")
def index():
    page = imports.imports_page(actor(), request.args.get("page", 1, type=int))
    return render_template("imports/index.html", page=page)


@bp.route("/nouveau", methods=["GET", "POST"])
def upload():
    """Step 1: the file and what it holds (``?evenement=<uid>``: a sign-in sheet for it)."""
    # The import's own cap, with room for the form around the file.
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"] + 64 * 1024
    try:
        form = UploadForm()
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        form.file.errors = ["Le fichier dépasse la taille maximale d'un import."]
        return _upload_page(form), 413
    if request.method == "GET" and request.args.get("evenement"):
        form.kind.data = "attendance"
        form.event.data = [request.args["evenement"]]
    with refusals_shown_on(form):
        if form.validate_on_submit():
            file = form.file.data
            if not file or not file.filename:
                raise Invalid({"file": "Choisissez le fichier à importer."})
            draft = imports.upload(actor(), form_data(form), file.stream, file.filename, limits())
            return redirect(url_for("imports.mapping", uid=draft))
    return _upload_page(form)


def _upload_page(form: UploadForm):
    from crm import pickers

    chosen = pickers.chosen_records(actor(), "event", form.event.data)
    return render_template("imports/upload.html", form=form, chosen=chosen, kinds=imports.KINDS)


@bp.route("/evenements.json")
def event_suggestions():
    """What the event picker suggests as the user types (events of the scope)."""
    return {"items": imports.suggest_events(actor(), request.args.get("q", ""))}


@bp.route("/brouillon/<uid>/colonnes", methods=["GET", "POST"])
def mapping(uid: str):
    """Step 2: which field each column holds (recognised headers, or a saved mapping)."""
    form = MappingForm()
    page = imports.mapping_page(actor(), uid, request.args.get("modele", ""))
    if request.method == "POST":
        columns = [request.form.get(f"col-{i}", "") for i in range(len(page["draft"]["headers"]))]
        page["mapping"] = columns
        with refusals_shown_on(form):
            if form.validate_on_submit():
                imports.set_mapping(actor(), uid, columns, form.save_as.data or "")
                if form.save_as.data:
                    flash("Correspondance enregistrée pour les prochains fichiers.", "success")
                return redirect(url_for("imports.preview", uid=uid))
    return render_template("imports/mapping.html", form=form, **page)


@bp.route("/brouillon/<uid>/apercu", methods=["GET", "POST"])
def preview(uid: str):
    """Step 3: every row checked and matched; the user decides, then commits."""
    form = PreviewForm()
    if request.method == "POST" and form.validate_on_submit():
        decisions = {key[2:]: value for key, value in request.form.items() if key.startswith("d-")}
        try:
            done = imports.commit(
                actor(),
                uid,
                decisions,
                form.undecided.data,
                limits(),
                progress=imports.report_progress(uid),
            )
        except (*UNAVAILABLE_ERRORS, DatabaseUnavailable) as exc:
            log.warning("Import %s interrupted: %s", uid, exc)
            return render_template(
                "imports/failed.html", uid=uid, message=FAILED, form=form,
                decisions=decisions,
            ), 503  # fmt: skip
        except (Invalid, Conflict) as exc:
            messages = exc.errors.values() if isinstance(exc, Invalid) else [exc.message]
            form.form_errors.extend(messages)
        else:
            flash("Import enregistré.", "success")
            return redirect(url_for("imports.report", uid=done))
    analysis = imports.preview(actor(), uid, limits())
    return render_template(
        "imports/preview.html", form=form, analysis=analysis, shown=SHOWN_ROWS,
        column_name=imports.column_name, error_text=imports.error_text,
    )  # fmt: skip


@bp.route("/brouillon/<uid>/progression.json")
def progress(uid: str):
    """How far the commit of the draft has gone (polled by static/js/import-progress.js)."""
    return imports.progress(actor(), uid)


@bp.route("/brouillon/<uid>/lignes-refusees.csv")
def draft_rejected(uid: str):
    name, text = imports.rejected_rows_csv(actor(), uid, limits())
    return attachment(text, "text/csv; charset=utf-8", name, fallback="lignes-refusees")


@bp.route("/rapport/<uid>")
def report(uid: str):
    return render_template("imports/report.html", imp=imports.import_report(actor(), uid))


@bp.route("/rapport/<uid>/lignes-refusees.csv")
def rejected(uid: str):
    name, text = imports.rejected_csv(actor(), uid)
    return attachment(text, "text/csv; charset=utf-8", name, fallback="lignes-refusees")


@bp.route("/rapport/<uid>/annuler", methods=["POST"])
def undo(uid: str):
    PreviewForm().validate_on_submit()  # the CSRF token
    try:
        removed = imports.undo(actor(), uid)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(
            f"Import annulé : {removed['records']} fiche(s) et {removed['ties']} lien(s) "
            "supprimés.",
            "success",
        )
    return redirect(url_for("imports.report", uid=uid))
