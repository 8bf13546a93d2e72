"""What the document pages show: the annotated text, the other language versions, the
commitments with their anchors, similar documents and a citation line."""
from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_babel import gettext

from kb.catalog import Document
from kb.search import similar

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


def citation(document: dict[str, Any]) -> str:
    """One line a researcher can paste: organisation, title, date, URL, accessed date."""
    url = document.get("source_url") or ""
    if not url.startswith(("https://", "http://")):
        url = request.url_root.rstrip("/") + url_for("search.document_page", doc_id=document["id"])
    parts = {"org": ", ".join(document.get("organisations") or []),
             "title": document["title"],
             "date": format_date(document.get("date")) or gettext("n.d."),
             "url": url, "accessed": today()}
    if parts["org"]:
        return gettext("%(org)s, “%(title)s”, %(date)s, %(url)s (accessed %(accessed)s).", **parts)
    return gettext("“%(title)s”, %(date)s, %(url)s (accessed %(accessed)s).", **parts)


def document_context(index, document: dict[str, Any]) -> dict[str, Any]:
    """Everything ``search/document.html`` renders."""
    extraction = document.get("extraction") or {}
    blocks = annotate(document.get("text", ""), extraction, entity_url,
                      organisations=list(document.get("organisations") or []))
    anchored = {int(span.value) for span in
                commitment_spans(document.get("text", ""), list(extraction.get("commitments") or []))}
    commitments = [{"number": n, "text": c.get("text", ""), "actor": c.get("actor", ""),
                    "themes": c.get("themes") or [], "anchored": n in anchored}
                   for n, c in enumerate(extraction.get("commitments") or [], start=1)]
    return {"doc": document, "blocks": blocks, "commitments": commitments,
            "versions": versions_of(index, document),
            "similar": similar(index, document["id"], limit=5) or [],
            "citation": citation(document),
            "cities": extraction.get("cities") or [],
            "dates": extraction.get("dates") or [],
            "themes": extraction.get("themes") or []}

