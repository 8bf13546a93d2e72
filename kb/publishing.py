"""Staff changes to the corpus: publish a new document, correct one, unpublish or publish
it again. Shared by the web app and the command line.

Every change happens under one corpus lock (``<data>/corpus.lock``, threads and
processes), writes its file atomically (temporary file, then ``os.replace``), is logged in
the audit log, and is indexed at once through ``kb.sync.index_paths`` (the code of
``kb index``). If indexing fails, the file stays and ``kb index`` picks it up.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from indexer import frontmatter
from indexer.corrections import validate_corrections
from indexer.errors import DocumentError
from indexer.formats import ORIGINAL_EXTENSIONS, TooLarge, normalise_text
from indexer.formats.isolated import check_text_size as check_text_limit
from model.fields import FRONT_MATTER
from model.messages import Message
from model.record import DOCUMENT_TYPES, Extraction, text_key

from . import audit, uploads
from .changes import (Outcome, StoredFile, corpus_change, duplicate_error, find_duplicate, index_now,
                      locate, plain_text, read_file, require)
from .config import Settings
from .errors import BadRequest, Conflict, InvalidChange, PublishError
from .history import archive
from .index import Index
from .storage import atomic_write
from .uploads import Upload

__all__ = ["BadRequest", "Conflict", "InvalidChange", "Metadata", "Outcome", "PublishError",
           "StoredFile", "check_text_size", "find_duplicate", "form_metadata", "locate", "metadata_of", "plain_text",
           "preview_extraction", "publish", "set_status", "update"]

MAX_TITLE = 300
MAX_ORGANISATIONS = 50
SLUG_LENGTH = 60
def check_text_size(settings: Settings, text: str) -> None:
    """InvalidChange (on the ``text`` field) for a text over the ``max_text_mb`` setting:
    what a staff form sends is held to the limit the upload's text was held to."""
    try:
        check_text_limit(text, settings.max_text_mb)
    except TooLarge as exc:
        raise InvalidChange(exc.args[0], errors={"text": exc.args[0]}) from None


def _unwritable(exc: DocumentError) -> InvalidChange:
    """The front matter a change would write does not validate (its problem, in English)."""
    return InvalidChange(Message("The document cannot be written: %(problem)s", problem=exc.problem))


@dataclass(frozen=True)
class Metadata:
    """What the metadata form decides about a document."""
    title: str
    type: str
    language: str
    date: str | None = None
    source_url: str | None = None
    organisations: tuple[str, ...] = ()
    translation_key: str | None = None
    status: str = "published"

    def form_values(self) -> dict[str, str]:
        return {"title": self.title, "type": self.type, "language": self.language,
                "date": self.date or "", "source_url": self.source_url or "",
                "organisations": "\n".join(self.organisations),
                "translation_key": self.translation_key or "", "status": self.status}


# -- metadata ---------------------------------------------------------------------------
def form_metadata(values: Mapping[str, str]) -> Metadata:
    """Check the metadata form; InvalidChange with a message per wrong field."""
    errors: dict[str, str] = {}
    get = lambda name: " ".join(str(values.get(name) or "").split())   # noqa: E731
    title = get("title")
    if not title:
        errors["title"] = Message("A title is required.")
    elif len(title) > MAX_TITLE:
        errors["title"] = Message("The title is longer than %(limit)s characters.", limit=MAX_TITLE)
    doc_type = get("type")
    if doc_type not in DOCUMENT_TYPES:
        errors["type"] = Message("Choose one of: %(types)s.", types=", ".join(DOCUMENT_TYPES))
    language = get("language").lower()
    if not frontmatter.LANGUAGE_CODE.match(language):
        errors["language"] = Message("Choose the language of the text (a two-letter code such as fr or en).")
    date = get("date") or None
    if date:
        try:
            date = frontmatter.normalise_date(date, Path("form"))
        except DocumentError:
            errors["date"] = Message("The date “%(date)s” is not a real date written YYYY, YYYY-MM or "
                                     "YYYY-MM-DD.", date=date)
    source_url = get("source_url") or None
    if source_url and (not re.match(r"^https?://[^\s/$.?#][^\s]*$", source_url) or len(source_url) > 2000):
        errors["source_url"] = Message("The source must be a web address starting with https:// or http://.")
    organisations = tuple(dict.fromkeys(
        " ".join(o.split()) for o in re.split(r"[\n;]", str(values.get("organisations") or "")) if o.strip()))
    if len(organisations) > MAX_ORGANISATIONS or any(len(o) > 200 for o in organisations):
        errors["organisations"] = Message("At most %(limit)s organisations of 200 characters each.",
                                           limit=MAX_ORGANISATIONS)
    translation_key = get("translation_key") or None
    if translation_key and not frontmatter.ID_PATTERN.match(translation_key):
        errors["translation_key"] = Message("The translation key is lower-case letters, digits, '.', '_' "
                                            "or '-' (the same for every language version).")
    status = get("status") or "published"
    if status not in frontmatter.STATUSES:
        errors["status"] = Message("The status is published or draft.")
    if errors:
        raise InvalidChange(Message("Some fields need correcting: %(problems)s",
                                    problems=" ".join(errors.values())), errors=errors)
    return Metadata(title, doc_type, language, date, source_url, organisations, translation_key, status)


def metadata_of(meta: Mapping[str, Any], title: str, language: str) -> Metadata:
    """The Metadata of a document's (validated) front matter."""
    return Metadata(title=title, type=meta.get("type") or "unknown", language=language,
                    date=meta.get("date"), source_url=meta.get("source_url"),
                    organisations=tuple(meta.get("organisations") or ()),
                    translation_key=meta.get("translation_key"),
                    status=meta.get("status") or "published")


# -- text -------------------------------------------------------------------------------
def preview_extraction(settings: Settings, plain: str, language: str, title: str,
                       date: str | None) -> Extraction:
    """What extraction finds in a text, exactly as indexing will (same input), kept in
    the extraction cache so that publishing it does not extract it again."""
    from indexer.extract import EXTRACTOR_VERSION, ExtractInput, extract_text
    from indexer.extract.cache import ExtractionCache

    item = ExtractInput(plain, language, title, date)
    cache = ExtractionCache(settings.cache_dir, EXTRACTOR_VERSION)
    cached = cache.get(item)
    if cached is not None:
        return cached
    extraction = extract_text(plain, language, title=title, base_date=date)
    cache.put(item, extraction)
    return extraction


# -- files ------------------------------------------------------------------------------
def slugify(title: str) -> str:
    """A file name from a title: ASCII, lower case, words joined by '-', at most 60 characters.

    >>> slugify("Déclaration de Montréal : « Vivre ensemble » (2024)")
    'declaration-de-montreal-vivre-ensemble-2024'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or "document"


def render(meta: Mapping[str, Any], body: str) -> str:
    """A corpus file: YAML front matter in the usual field order, then the body."""
    ordered = {k: meta[k] for k in FRONT_MATTER if meta.get(k) not in (None, "", [], (), {})}
    if "organisations" in ordered:
        ordered["organisations"] = list(ordered["organisations"])
    front = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{body.strip()}\n"


def check_rendered(content: str, where: Path) -> None:
    """The file about to be written reads back (front matter valid, a body)."""
    meta, body, _ = frontmatter.split(content, where)
    meta = frontmatter.validate(meta, where)
    validate_corrections(meta.get("corrections"), where)
    if not plain_text(body):
        raise DocumentError(where, "empty body: the document has no text")


def _front_matter(meta: Metadata, doc_id: str, original: str | None,
                  corrections: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"id": doc_id, "title": meta.title, "type": meta.type, "language": meta.language,
            "date": meta.date, "source_url": meta.source_url,
            "organisations": list(meta.organisations), "translation_key": meta.translation_key,
            "original": original, "status": meta.status, "corrections": dict(corrections or {})}


def _unique_slug(settings: Settings, index: Index, folder: Path, slug: str, language: str,
                 extension: str | None, plain: str) -> str:
    """The first free file name of ``slug``; DuplicateText when a file taken holds
    ``plain`` already (written, not indexed yet: the index alone would not know)."""
    for n in range(1, 1000):
        candidate = slug if n == 1 else f"{slug}-{n}"
        names = [f"{candidate}.{language}.md"] + ([f"{candidate}.{language}.{extension}"] if extension else [])
        if any((folder / name).exists() for name in names):
            _refuse_same_text(settings, folder / names[0], plain)
            continue
        if index.find(id=f"{candidate}-{language}"):
            continue
        return candidate
    raise Conflict(Message("There is no free file name for this title: change the title."))


def _refuse_same_text(settings: Settings, path: Path, plain: str) -> None:
    """DuplicateText when the corpus file ``path`` has the text ``plain``."""
    try:
        stored = read_file(path, settings.corpus_dir)
    except (OSError, DocumentError, ValueError):
        return
    if text_key(plain_text(stored.body)) == text_key(plain):
        raise duplicate_error({"id": stored.id, "title": str(stored.meta.get("title") or ""),
                               "path": stored.rel_path, "status": stored.meta.get("status") or "published"})


def publish(settings: Settings, index: Index, meta: Metadata, text: str, actor: str, *,
            original: bytes | None = None, extension: str | None = None,
            source: str = "", corrections: Mapping[str, Any] | None = None,
            upload: Upload | None = None) -> Outcome:
    """Write a new document ``corpus/<type>/<slug>.<lang>.md`` (and its original beside it)
    and index it, with the ``corrections`` staff made to its extraction under review.
    DuplicateText (a Conflict) when the same text is already there, in the index or in a
    file of that name.

    With ``upload`` (the staff review's draft), publishing is done once per upload: the
    draft records the file it becomes before the file is written, and is removed once
    the file is; an upload published again after a crash between the two (the file
    written, the draft still listed) ends that publish, indexing the file, instead of
    writing the text a second time as ``<slug>-2``."""
    check_text_size(settings, text)
    body = normalise_text(text)
    plain = plain_text(body)
    if not plain:
        raise InvalidChange(Message("The text is empty: there is nothing to publish."),
                            errors={"text": Message("The text is empty.")})
    try:
        corrections = validate_corrections(dict(corrections or {}), Path("upload"))
    except DocumentError as exc:
        raise InvalidChange(exc.problem, errors={"corrections": exc.problem}) from None
    if (original is None) != (extension is None) or (extension and extension not in ORIGINAL_EXTENSIONS):
        raise ValueError(f"an original needs one of the extensions {', '.join(sorted(ORIGINAL_EXTENSIONS))}")
    with corpus_change(settings):
        done = _published_before(settings, index, upload)
        if done is not None:
            return done
        found = find_duplicate(index, plain)
        if found:
            raise duplicate_error(found)
        folder = Path(settings.corpus_dir) / meta.type
        slug = _unique_slug(settings, index, folder, slugify(meta.title), meta.language, extension, plain)
        doc_id = f"{slug}-{meta.language}"
        md_path = folder / f"{slug}.{meta.language}.md"
        original_name = f"{slug}.{meta.language}.{extension}" if extension else None
        content = render(_front_matter(meta, doc_id, original_name, corrections), body)
        try:
            check_rendered(content, md_path)
        except DocumentError as exc:
            raise _unwritable(exc) from None
        rel = md_path.relative_to(settings.corpus_dir).as_posix()
        if upload is not None:
            upload.published_as = rel
            uploads.save(upload)
        if original_name:
            atomic_write(folder / original_name, original or b"")
        atomic_write(md_path, content)
        audit.record(settings, actor, "publish" if meta.status == "published" else "upload", doc_id,
                     path=rel, original=original_name, source=source or None, status=meta.status,
                     corrections=audit.corrections_change({}, corrections) or None)
        if upload is not None:
            uploads.discard(settings, upload.token)
        indexed, message = index_now(settings, index, [md_path])
    return Outcome(doc_id, rel, indexed, message)


def _published_before(settings: Settings, index: Index, upload: Upload | None) -> Outcome | None:
    """The Outcome of an upload whose file was written by an earlier publish that did not
    end (its draft not removed, its file perhaps not indexed): the file indexed now and
    the draft removed. None when the upload was not published."""
    if upload is None or not upload.published_as:
        return None
    path = Path(settings.corpus_dir) / upload.published_as
    try:
        stored = read_file(path, settings.corpus_dir)
    except (OSError, DocumentError, ValueError):
        return None                 # the file was not written (or is no longer there)
    uploads.discard(settings, upload.token)
    indexed, message = index_now(settings, index, [path])
    return Outcome(stored.id, stored.rel_path, indexed, message, {"already": True})


def update(settings: Settings, index: Index, doc_id: str, meta: Metadata, text: str,
           corrections: Mapping[str, Any] | None, base_fingerprint: str, actor: str) -> Outcome:
    """Save a corrected document: metadata, text and corrections. The previous version goes
    to the history. Conflict when the file changed since ``base_fingerprint``
    was read (someone else saved it meanwhile)."""
    check_text_size(settings, text)
    body = normalise_text(text)
    plain = plain_text(body)
    if not plain:
        raise InvalidChange(Message("The text is empty."), errors={"text": Message("The text is empty.")})
    try:
        corrections = validate_corrections(dict(corrections or {}), Path(doc_id))
    except DocumentError as exc:
        raise InvalidChange(exc.problem, errors={"corrections": exc.problem}) from None
    with corpus_change(settings):
        current = require(settings, index, doc_id)
        if current.fingerprint != base_fingerprint:
            raise Conflict(Message("This document was changed by someone else since you opened it: "
                                   "reload the page to see their version, then make your changes again."))
        found = find_duplicate(index, plain, ignore_id=doc_id)
        if found:
            raise duplicate_error(found)
        original = current.original_path
        target = current.path
        if meta.type != current.meta.get("type") and target.parent.parent == Path(settings.corpus_dir):
            # A changed type moves the file (and its original) to the type's folder.
            moved = Path(settings.corpus_dir) / meta.type / target.name
            if moved.exists() or (original and (moved.parent / original.name).exists()):
                raise Conflict(Message("Cannot move the document to %(folder)s/: a file of the same name "
                                       "is there.", folder=meta.type))
            target = moved
        content = render(_front_matter(meta, doc_id, current.meta.get("original"), corrections), body)
        try:
            check_rendered(content, target)
        except DocumentError as exc:
            raise _unwritable(exc) from None
        entry = archive(settings, current, kind="replaced", actor=actor)
        if target != current.path:
            if original and original.is_file():
                atomic_write(target.parent / original.name, original.read_bytes())
            atomic_write(target, content)
            current.path.unlink()
            if original and original.is_file():
                original.unlink()
        else:
            atomic_write(target, content)
        rel = target.relative_to(settings.corpus_dir).as_posix()
        before = _front_matter(metadata_of(current.meta, str(current.meta.get("title") or ""),
                                           str(current.meta.get("language") or "")), doc_id, None)
        after = _front_matter(meta, doc_id, None)
        changed = [k for k in Metadata.__dataclass_fields__ if before.get(k) != after.get(k)]
        audit.record(settings, actor, "update", doc_id, path=rel, history=entry.id,
                     fields=changed or None, text_changed=plain != plain_text(current.body) or None,
                     text_diff=audit.text_diff(current.body, body) or None,
                     corrections=audit.corrections_change(current.meta.get("corrections") or {},
                                                          corrections) or None)
        removed = [current.rel_path] if target != current.path else []
        indexed, message = index_now(settings, index, [target], removed)
    return Outcome(doc_id, rel, indexed, message, {"history": entry.id})


def set_status(settings: Settings, index: Index, doc_id: str, status: str, actor: str) -> Outcome:
    """Unpublish (``draft``: hidden from the public) or publish again."""
    if status not in frontmatter.STATUSES:
        raise BadRequest(Message("The status is published or draft."))
    with corpus_change(settings):
        current = require(settings, index, doc_id)
        meta = dict(current.meta)
        if (meta.get("status") or "published") == status:
            return Outcome(doc_id, current.rel_path, True, "", {"unchanged": True})
        meta["status"] = status
        atomic_write(current.path, render(meta, current.body))
        audit.record(settings, actor, "unpublish" if status == "draft" else "republish", doc_id,
                     path=current.rel_path)
        indexed, message = index_now(settings, index, [current.path])
    return Outcome(doc_id, current.rel_path, indexed, message)
