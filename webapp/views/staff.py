"""Staff pages: add a document (upload or paste, review what was extracted, publish),
correct one (metadata, text, extraction), unpublish, delete and restore, the audit log.

Every route needs a logged-in staff member; every form carries a CSRF token (checked
by Flask-WTF's CSRFProtect before the view runs) and is read by its WTForms class
(``forms.py``). The work itself is done by ``kb.publishing``, ``kb.history`` and
``kb.uploads``; these views only read forms and render pages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from indexer import frontmatter
from indexer.errors import DocumentError
from indexer.formats import CLAIMS, FormatError, NeedsOcr, OcrOptions, claimed_type
from indexer.formats.ocr import LANGUAGES as OCR_LANGUAGES, missing as ocr_missing
from indexer.language import detect_language
from indexer.markdown import first_line_title
from kb import audit, history, jobs, uploads
from kb.intake import keep_draft, take_in
from kb.publishing import (PublishError, StoredFile, check_text_size, locate, metadata_of, plain_text,
                           preview_extraction, publish, set_status, update)
from model.fields import BY_NAME
from model.record import DOCUMENT_TYPES, LANGUAGES

from ..errors import status_of
from ..i18n import localise, problem_of
from . import corrections_form
from .auth import actor
from .forms import AddForm, DeleteForm, DocumentFilters, EditForm, LogFilters, ReviewForm, StatusForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
DOCUMENTS_PER_PAGE = 50
LOG_PER_PAGE = 100


def kb():
    return current_app.extensions["kb"]


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.app_context_processor
def staff_globals() -> dict[str, Any]:
    return {"DOCUMENT_TYPES": DOCUMENT_TYPES, "FORM_LANGUAGES": LANGUAGES, "kind_label": _kind_label,
            "action_label": action_label, "detail_label": detail_label, "field_label": field_label,
            "correction_label": correction_label}


def action_label(action: str) -> str:
    """An action of the audit log in the interface language: "update" → "Corrected"."""
    return localise(audit.ACTIONS.get(action, action))


# The details an audit entry may hold, and the corrections a save made (kb.audit).
DETAIL_LABELS = {"path": lazy_gettext("File"), "history": lazy_gettext("Previous version"),
                 "upload": lazy_gettext("Upload"), "file": lazy_gettext("File name"),
                 "address": lazy_gettext("Address"), "entry": lazy_gettext("History entry"),
                 "name": lazy_gettext("Account"), "summary": lazy_gettext("Repairs"),
                 "unchanged": lazy_gettext("Unchanged"), "source": lazy_gettext("Source"),
                 "status": lazy_gettext("Status"), "type": lazy_gettext("Type"),
                 "words": lazy_gettext("Words"), "original": lazy_gettext("Original")}
CORRECTION_LABELS = {
    ("cities", "added"): lazy_gettext("Cities added"), ("cities", "removed"): lazy_gettext("Cities removed"),
    ("cities", "undone"): lazy_gettext("City corrections withdrawn"),
    ("dates", "added"): lazy_gettext("Dates added"), ("dates", "removed"): lazy_gettext("Dates removed"),
    ("dates", "undone"): lazy_gettext("Date corrections withdrawn"),
    ("commitments", "added"): lazy_gettext("Commitments added"),
    ("commitments", "removed"): lazy_gettext("Commitments removed"),
    ("commitments", "undone"): lazy_gettext("Commitment corrections withdrawn"),
    ("organisations", "added"): lazy_gettext("Organisations added"),
    ("organisations", "removed"): lazy_gettext("Organisations removed"),
    ("organisations", "undone"): lazy_gettext("Organisation corrections withdrawn")}


def detail_label(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key))


def field_label(name: str) -> str:
    field = BY_NAME.get(name)
    return localise(field.label) if field is not None else name


def correction_label(section: str, kind: str) -> str:
    return str(CORRECTION_LABELS.get((section, kind), f"{section} {kind}"))


def _kind_label(kind: str) -> str:
    """What a history entry holds: a deleted document or a version a correction replaced."""
    return {"deleted": gettext("deleted"), "replaced": gettext("replaced")}.get(kind, kind)


def _message(code: int, title: str, message: str):
    return render_template("staff/message.html", code=code, title=title, message=message), code


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    limit = kb().settings.max_upload_mb
    message = gettext("The file is too large: at most %(limit)s MB can be uploaded. Nothing was stored. "
                      "Split the document, or compress its images, and try again.", limit=limit)
    if current_user.is_authenticated and request.endpoint == "staff.add":
        return _add_page(error=message, status=413)
    return _message(413, gettext("File too large"), message)


# -- dashboard --------------------------------------------------------------------------
@bp.route("/")
def dashboard():
    filters = DocumentFilters(request.args)
    query, status = filters.q.data, filters.status.data
    documents = []
    for record in kb().index.iterate(include_drafts=True):
        doc = {"id": record.id, "title": record.title, "type": record.type, "language": record.language,
               "date": record.date or "", "status": record.status, "path": record.path}
        if query and query.casefold() not in f"{doc['id']} {doc['title']} {doc['path']}".casefold():
            continue
        if status and doc["status"] != status:
            continue
        documents.append(doc)
    documents.sort(key=lambda d: (d["status"] != "draft", d["title"].casefold(), d["id"]))
    page = filters.page_number
    pages = max(1, -(-len(documents) // DOCUMENTS_PER_PAGE))
    page = min(page, pages)
    shown = documents[(page - 1) * DOCUMENTS_PER_PAGE: page * DOCUMENTS_PER_PAGE]
    return render_template("staff/dashboard.html", documents=shown, total=len(documents),
                           page=page, pages=pages, query=query, status=status,
                           pending=uploads.pending(kb().settings), jobs=jobs.listed(kb().settings),
                           recent=audit.latest(kb().settings, 8))


# -- adding -----------------------------------------------------------------------------
def _add_page(error: str | None = None, status: int = 200, duplicate: dict | None = None,
              text: str = ""):
    why_no_ocr = ocr_missing()
    return render_template("staff/add.html", error=error, duplicate=duplicate, text=text,
                           max_mb=kb().settings.max_upload_mb, accept=",".join(CLAIMS),
                           max_ocr_pages=kb().settings.max_ocr_pages, ocr_languages=OCR_LANGUAGES,
                           ocr_missing=localise(why_no_ocr) if why_no_ocr else None), status


@bp.route("/add", methods=["GET", "POST"])
def add():
    if request.method == "GET":
        return _add_page()
    settings = kb().settings
    form = AddForm()
    pasted = form.text.data or ""
    if not form.validate():
        return _add_page(form.form_errors[0], 400, text=pasted if pasted.strip() else "")
    has_file = form.has_file
    if has_file:
        data = form.file.data.read(settings.max_upload_mb * 1024 * 1024 + 1)
        if len(data) > settings.max_upload_mb * 1024 * 1024:
            raise RequestEntityTooLarge()
        filename = form.file.data.filename or ""
    else:
        data, filename = pasted.encode("utf-8"), None
    try:
        intake = take_in(settings, kb().index, data, filename, given={"status": "published"},
                         default_type=form.type.data or "", ocr=OcrOptions(run=False))
    except NeedsOcr as exc:       # a scan: read in the background, followed on its job's page
        job, new = kb().jobs.submit(actor(), data, filename=uploads.display_name(filename), pages=exc.pages,
                                    claim=claimed_type(filename), language=form.ocr_language,
                                    type_=form.type.data or "")
        if not new:
            flash(gettext("This file is already being read: here is its progress."), "info")
        return redirect(url_for("staff.job", job_id=job.id), code=303)
    except FormatError as exc:
        if has_file:
            message = gettext("“%(file)s” was not accepted: %(problem)s",
                              file=uploads.display_name(filename), problem=problem_of(exc))
        else:
            message = gettext("The pasted text was not accepted: %(problem)s", problem=problem_of(exc))
        return _add_page(message, status_of(exc), text=pasted)
    except PublishError as exc:          # no text, or a duplicate
        return _add_page(problem_of(exc), status_of(exc), duplicate=getattr(exc, "duplicate", None),
                         text=pasted)
    draft = keep_draft(settings, actor(), intake, filename, data)
    return redirect(url_for("staff.review", token=draft.token), code=303)


# -- scans read in the background --------------------------------------------------------
@bp.route("/jobs/<job_id>")
def job(job_id: str):
    found = jobs.load(kb().settings, job_id)
    if found is None:
        abort(404, description=gettext("No such job: it was dismissed."))
    if found.state == "done":
        if found.upload and uploads.load(kb().settings, found.upload) is not None:
            return redirect(url_for("staff.review", token=found.upload), code=303)
        flash(gettext("This scan was read, and its upload published or discarded since."), "info")
        return redirect(url_for("staff.dashboard"), code=303)
    return render_template("staff/job.html", job=found,
                           problem=localise(found.message) if found.message else None)


@bp.route("/jobs/<job_id>/dismiss", methods=["POST"])
def dismiss_job(job_id: str):
    if not jobs.remove(kb().settings, job_id):
        abort(404, description=gettext("No such job, or it is being read."))
    flash(gettext("The job was dismissed."), "info")
    return redirect(url_for("staff.dashboard"), code=303)


def _extraction(plain: str, values: dict[str, str]):
    """What extraction finds, once the language is known (None before)."""
    language = (values.get("language") or "").strip().lower()
    if not plain or len(language) != 2 or not language.isalpha():
        return None
    try:
        check_text_size(kb().settings, plain)
    except PublishError:
        return None               # the form says why
    try:
        date = frontmatter.normalise_date(values["date"], Path("form")) if values.get("date") else None
    except DocumentError:
        date = None
    title = " ".join((values.get("title") or "").split())
    return preview_extraction(kb().settings, plain, language, title, date)


def _review_page(upload, values: dict[str, str], errors: dict[str, str] | None = None,
                 error: str | None = None, status: int = 200, duplicate: dict | None = None):
    """The review page: the metadata and text, and what extraction found with the
    corrections made so far (kept with the upload), to correct before publishing."""
    plain = plain_text(upload.text)
    raw = _extraction(plain, values)
    corrections = upload.meta.get("corrections") or {}
    return render_template("staff/review.html", upload=upload, values=values, text=upload.text,
                           errors=_localised(errors), error=error, duplicate=duplicate, extraction=raw,
                           found=corrections_form.view(raw, corrections) if raw is not None else None,
                           form_id="review-form", words=len(plain.split())), status


@bp.route("/uploads/<token>", methods=["GET", "POST"])
def review(token: str):
    settings = kb().settings
    upload = uploads.load(settings, token)
    if upload is None:
        abort(404, description=gettext("No such upload: it was published or discarded."))
    if request.method == "GET":
        return _review_page(upload, dict(upload.meta))
    form = ReviewForm()
    action = form.action.data or "preview"
    if action == "discard":
        uploads.discard(settings, token)
        audit.record(settings, actor(), "discard", None, upload=token, file=upload.filename or "pasted text")
        flash(gettext("The upload was discarded: nothing was published."), "info")
        return redirect(url_for("staff.dashboard"), code=303)
    values = form.values()
    text = form.text.data if form.text.raw_data else upload.text
    try:
        check_text_size(settings, text)
    except PublishError as exc:
        return _review_page(upload, values, exc.errors, problem_of(exc), 413)
    upload.text = text
    corrections, errors = corrections_form.parse(form, plain_text(upload.text))
    upload.meta = {**values, "corrections": corrections}
    uploads.save(upload)
    form.validate()
    errors.update(form.problems())
    if errors:
        return _review_page(upload, values, errors, _fields_problem(errors), 422)
    if action != "publish":
        return _review_page(upload, values)
    meta = form.metadata
    try:
        outcome = publish(settings, kb().index, meta, upload.text, actor(),
                          original=upload.original_bytes(), extension=upload.extension,
                          source=upload.filename or "pasted text", corrections=corrections, upload=upload)
    except PublishError as exc:
        return _review_page(upload, values, exc.errors, problem_of(exc), status_of(exc),
                            getattr(exc, "duplicate", None))
    where = {"title": meta.title, "path": outcome.path}
    _flash_outcome(outcome, gettext("Published “%(title)s” as %(path)s (draft: hidden from the public).", **where)
                   if meta.status == "draft" else gettext("Published “%(title)s” as %(path)s.", **where))
    return redirect(url_for("staff.edit", doc_id=outcome.id), code=303)


def _flash_outcome(outcome, message: str, done: str | None = None) -> None:
    """``message``, then what the index did (``done``: said when it is done; by default,
    that the document is in the index now)."""
    if outcome.indexed:
        flash(message + " " + (done or gettext("It is in the index now.")), "success")
    else:
        flash(message + " " + gettext("It is saved but not searchable yet: %(problem)s",
                                      problem=localise(outcome.message)), "warning")


def _fields_problem(errors: dict) -> str:
    """The summary above a form: every wrong field's problem."""
    return gettext("Some fields need correcting: %(problems)s",
                   problems=" ".join(localise(e) for e in errors.values()))


def _localised(errors: dict | None) -> dict[str, str]:
    return {name: localise(problem) for name, problem in (errors or {}).items()}


@bp.route("/uploads/<token>/original")
def upload_original(token: str):
    upload = uploads.load(kb().settings, token)
    path = upload.original_path if upload else None
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, mimetype="application/octet-stream",
                     download_name=f"upload-{token[:8]}.{upload.extension}")


# -- correcting -------------------------------------------------------------------------
def _current(doc_id: str) -> StoredFile:
    found = locate(kb().settings, kb().index, doc_id)
    if found is None:
        abort(404, description=gettext("No document with id %(id)s in the corpus.", id=repr(doc_id)))
    return found


def _edit_page(current: StoredFile, values: dict[str, str], text: str, corrections: dict,
               base: str, errors: dict[str, str] | None = None, error: str | None = None,
               status: int = 200, duplicate: dict | None = None):
    plain = plain_text(text)
    raw = _extraction(plain, values)
    indexed = next(iter(kb().index.find(id=current.id)), None)
    return render_template(
        "staff/edit.html", doc=current, values=values, text=text, base=base,
        errors=_localised(errors), error=error, duplicate=duplicate,
        found=corrections_form.view(raw, corrections) if raw is not None else None,
        indexed=indexed, index_current=indexed is not None and indexed.fingerprint == current.fingerprint,
        history=history.entries(kb().settings, current.id)[:20],
        log=audit.latest(kb().settings, 20, document=current.id)), status


@bp.route("/documents/<doc_id>", methods=["GET", "POST"])
def edit(doc_id: str):
    current = _current(doc_id)
    if request.method == "GET":
        language = current.meta.get("language") or detect_language(plain_text(current.body))
        title = current.meta.get("title") or first_line_title(current.body)
        values = metadata_of(current.meta, title, language).form_values()
        return _edit_page(current, values, current.body, current.meta.get("corrections") or {},
                          current.fingerprint)
    form = EditForm()
    values, text, base = form.values(), form.text.data or "", form.base.data or ""
    try:
        check_text_size(kb().settings, text)
    except PublishError as exc:
        return _edit_page(current, values, text, {}, base, exc.errors, problem_of(exc), 413)
    form.validate()
    corrections, errors = corrections_form.parse(form, plain_text(text))
    errors.update(form.problems())
    if errors:
        return _edit_page(current, values, text, corrections, base, errors, _fields_problem(errors), 422)
    if form.action.data != "save":
        return _edit_page(current, values, text, corrections, base)
    meta = form.metadata
    try:
        outcome = update(kb().settings, kb().index, doc_id, meta, text, corrections, base, actor())
    except PublishError as exc:
        return _edit_page(current, values, text, corrections, base, exc.errors, problem_of(exc),
                          status_of(exc), getattr(exc, "duplicate", None))
    _flash_outcome(outcome, gettext("Saved. The previous version is in the history."))
    return redirect(url_for("staff.edit", doc_id=doc_id), code=303)


@bp.route("/documents/<doc_id>/status", methods=["POST"])
def change_status(doc_id: str):
    form = StatusForm()
    if not form.validate():
        abort(400, description=form.problems()["status"])
    status = form.status.data
    try:
        outcome = set_status(kb().settings, kb().index, doc_id, status, actor())
    except PublishError as exc:
        return _message(status_of(exc), gettext("The status was not changed"), problem_of(exc))
    if status == "draft":
        _flash_outcome(outcome, gettext("Unpublished: the document is hidden from the public."),
                       gettext("Search and its pages no longer show it."))
    else:
        _flash_outcome(outcome, gettext("Published: the document is public again."),
                       gettext("Search shows it again."))
    return redirect(url_for("staff.edit", doc_id=doc_id), code=303)


@bp.route("/documents/<doc_id>/delete", methods=["POST"])
def delete(doc_id: str):
    form = DeleteForm()
    if not form.validate():
        return _message(400, gettext("Nothing was deleted"), form.problems()["confirm"])
    try:
        entry = history.delete(kb().settings, kb().index, doc_id, actor())
    except PublishError as exc:
        return _message(status_of(exc), gettext("Nothing was deleted"), problem_of(exc))
    flash(gettext("Deleted “%(title)s”: its files are in the history (%(entry)s), from where it can be "
                  "restored.", title=entry.title or doc_id, entry=entry.id), "success")
    return redirect(url_for("staff.history_page"), code=303)


@bp.route("/documents/<doc_id>/original")
def document_original(doc_id: str):
    current = _current(doc_id)
    path = current.original_path
    corpus_dir = Path(kb().settings.corpus_dir).resolve()
    if path is None or not path.is_file() or corpus_dir not in path.resolve().parents:
        abort(404, description=gettext("This document has no original file."))
    return send_file(path, as_attachment=True, mimetype="application/octet-stream",
                     download_name=path.name)


# -- history and log --------------------------------------------------------------------
@bp.route("/history")
def history_page():
    return render_template("staff/history.html", entries=history.entries(kb().settings)[:500])


@bp.route("/history/<entry_id>/restore", methods=["POST"])
def restore(entry_id: str):
    try:
        outcome = history.restore(kb().settings, kb().index, entry_id, actor())
    except PublishError as exc:
        return _message(status_of(exc), gettext("Nothing was restored"), problem_of(exc))
    _flash_outcome(outcome, gettext("Restored %(id)s (%(path)s).", id=outcome.id, path=outcome.path))
    return redirect(url_for("staff.edit", doc_id=outcome.id), code=303)


@bp.route("/log")
def log_page():
    form = LogFilters(request.args)
    filters, page = form.chosen(), form.page_number
    found = audit.latest(kb().settings, page * LOG_PER_PAGE + 1, **filters)
    shown = found[(page - 1) * LOG_PER_PAGE: page * LOG_PER_PAGE]
    return render_template("staff/log.html", entries=shown, page=page,
                           more=len(found) > page * LOG_PER_PAGE, filters=filters,
                           actions=audit.ACTIONS)
