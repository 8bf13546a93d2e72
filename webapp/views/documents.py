"""What the document pages show: the annotated text, the other language versions, the
commitments with their anchors, similar documents, a citation line and its exports, the
original file; and what of a document only staff see."""
from __future__ import annotations

from typing import Any

import datetime as dt

from flask import current_app, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kb.catalog import Document
from kb.citation import reference
from kb.search import highlights, similar

from ..i18n import format_date, today
from .annotate import annotate, commitment_spans


def entity_url(kind: str, value: str) -> str:
    """The search an extracted entity links to."""
    if kind == "date":
        return url_for("search.search_page", year=value)
    return url_for("search.search_page", **{kind: value})


def versions_of(index, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The other published language versions (same ``translation_key``), by language."""
    key = document.get("translation_key")
    if not key:
        return []
    found = [Document.of(record).to_dict()
             for record in index.find(translation_key=key, include_drafts=False)
             if record.id != document["id"]]
    return sorted(found, key=lambda d: (d["language"], d["id"]))


STAFF_ONLY = ("path",)      # where a document is in the corpus folder: staff only


def is_staff() -> bool:
    return bool(current_user and current_user.is_authenticated)


def for_reader(data: dict[str, Any], staff: bool | None = None) -> dict[str, Any]:
    """A document or hit as this reader may see it: without the STAFF_ONLY fields unless
    staff (``staff``: known already, as where no request is left, in a streamed export)."""
    return data if (is_staff() if staff is None else staff) else {
        k: v for k, v in data.items() if k not in STAFF_ONLY}


def cited_url(document: dict[str, Any]) -> str:
    """Where a citation sends its reader: the address the document was published at, else its page here."""
    url = document.get("source_url") or ""
    if not url.startswith(("https://", "http://")):
        url = request.url_root.rstrip("/") + url_for("search.document_page", doc_id=document["id"])
    return url


def reference_of(document: dict[str, Any]) -> dict[str, Any]:
    """The document as a reference (CSL-JSON item, ``kb.citation``), accessed today."""
    return reference(document, cited_url(document), dt.date.today())


def original_url(document: dict[str, Any]) -> str | None:
    """The link to the document's original file, when it has one this reader may download
    (everyone's when the ``public_originals`` setting is on, staff's always)."""
    settings = current_app.extensions["kb"].settings
    if not document.get("original") or not (settings.public_originals or is_staff()):
        return None
    return url_for("search.document_original", doc_id=document["id"])


def citation(document: dict[str, Any]) -> str:
    """One line a researcher can paste: the publishing organisations (the front matter's,
    not those found in the text), title, date, URL, accessed date."""
    url = cited_url(document)
    parts = {"org": ", ".join(document.get("publishers") or []),
             "title": document["title"],
             "date": format_date(document.get("date")) or gettext("n.d."),
             "url": url, "accessed": today()}
    if parts["org"]:
        return gettext("%(org)s, “%(title)s”, %(date)s, %(url)s (accessed %(accessed)s).", **parts)
    return gettext("“%(title)s”, %(date)s, %(url)s (accessed %(accessed)s).", **parts)


def document_context(index, document: dict[str, Any], query: str = "", expanding: bool = True,
                     translating: bool = True) -> dict[str, Any]:
    """Everything ``search/document.html`` renders; the words of ``query`` (the search a
    result was opened from) marked in the text."""
    extraction = document.get("extraction") or {}
    marks = highlights(index, document["id"], query, expanding, translating) if query else []
    blocks = annotate(document.get("text", ""), extraction, entity_url,
                      organisations=list(document.get("organisations") or []), marks=marks)
    anchored = {int(span.value) for span in
                commitment_spans(document.get("text", ""), list(extraction.get("commitments") or []))}
    commitments = [{"number": n, "text": c.get("text", ""), "actor": c.get("actor", ""),
                    "themes": c.get("themes") or [], "anchored": n in anchored}
                   for n, c in enumerate(extraction.get("commitments") or [], start=1)]
    return {"doc": document, "blocks": blocks, "commitments": commitments,
            "versions": versions_of(index, document),
            "similar": similar(index, document["id"], limit=5) or [],
            "citation": citation(document),
            "query": query, "matches": len(marks),
            "original_url": original_url(document),
            "show_path": is_staff(),
            "cities": extraction.get("cities") or [],
            "dates": extraction.get("dates") or [],
            "themes": extraction.get("themes") or []}

