"""Staff changes to the corpus: publish a new document, correct one, unpublish or publish
it again. Shared by the web app and the command line.

Every change happens under one corpus lock (``<data>/corpus.lock``, threads and
processes), writes its file atomically (temporary file, then ``os.replace``), is logged in
the audit log, and is indexed at once through ``kb.sync.index_paths`` (the code of
``kb index``). If indexing fails, the file stays and ``kb index`` picks it up.
"""
from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from indexer import frontmatter
from indexer.corpus import list_documents
from indexer.corrections import validate_corrections
from indexer.errors import DocumentError
from indexer.formats import normalise_text
from indexer.markdown import to_plain_text
from indexer.read import default_id, fingerprint

from . import audit
from .config import Settings
from .index import Index
from .messages import Message
from .record import DOCUMENT_TYPES, Extraction, text_key
from .storage import atomic_write, locked

log = logging.getLogger(__name__)

FIELD_ORDER = ("id", "title", "type", "language", "date", "source_url", "organisations",
               "translation_key", "original", "status", "corrections")
MAX_TITLE = 300
MAX_ORGANISATIONS = 50
SLUG_LENGTH = 60


class PublishError(ValueError):
    """A change that cannot be made. ``status`` is the HTTP status a form answers with;
    ``errors`` maps form fields to messages; ``duplicate`` names an existing document."""

    def __init__(self, message: str, status: int = 422, errors: Mapping[str, str] | None = None,
                 duplicate: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.errors = dict(errors or {})
        self.duplicate = dict(duplicate) if duplicate else None


def _unwritable(exc: DocumentError) -> PublishError:
    """The front matter a change would write does not validate (its problem, in English)."""
    return PublishError(Message("The document cannot be written: %(problem)s", problem=exc.problem), status=422)


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


@dataclass(frozen=True)
class Outcome:
    """What a change did: the document, its file, and whether the index has it yet."""
    id: str
    path: str                    # corpus-relative
    indexed: bool
    message: str = ""            # why it is not indexed yet
    detail: dict[str, Any] = field(default_factory=dict)


def corpus_lock(settings: Settings) -> Path:
    return Path(settings.data_dir) / "corpus.lock"


@contextmanager
def corpus_change(settings: Settings) -> Iterator[None]:
    """One corpus change at a time, across the web app's threads and ``kb`` commands."""
    with locked(corpus_lock(settings)):
        yield


# -- metadata ---------------------------------------------------------------------------
def form_metadata(values: Mapping[str, str]) -> Metadata:
    """Check the metadata form; PublishError (422) with a message per wrong field."""
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
        raise PublishError(Message("Some fields need correcting: %(problems)s", problems=" ".join(errors.values())),
                           status=422, errors=errors)
    return Metadata(title, doc_type, language, date, source_url, organisations, translation_key, status)


def metadata_of(meta: Mapping[str, Any], title: str, language: str) -> Metadata:
    """The Metadata of a document's (validated) front matter."""
    return Metadata(title=title, type=meta.get("type") or "unknown", language=language,
                    date=meta.get("date"), source_url=meta.get("source_url"),
                    organisations=tuple(meta.get("organisations") or ()),
                    translation_key=meta.get("translation_key"),
                    status=meta.get("status") or "published")


# -- text -------------------------------------------------------------------------------
def plain_text(body: str) -> str:
    """The text a Markdown body becomes in the index (what ``indexer.read`` makes of the
    body ``publish`` writes): the key of the extraction cache and of duplicates."""
    return to_plain_text(normalise_text(body)).strip()


def find_duplicate(index: Index, plain: str, ignore_id: str | None = None) -> dict[str, str] | None:
    """The indexed document (published or draft) with the same text, or None."""
    for record in index.find(text_key=text_key(plain)):
        if record.id != ignore_id:
            return {"id": record.id, "title": record.title, "path": record.path, "status": record.status}
    return None


def duplicate_error(found: Mapping[str, str]) -> PublishError:
    return PublishError(Message("This text is already in the knowledge base: document %(id)s (“%(title)s”, "
                                "%(path)s).", id=found["id"], title=found["title"], path=found["path"]),
                        status=409, duplicate=found)


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
    ordered = {k: meta[k] for k in FIELD_ORDER if meta.get(k) not in (None, "", [], (), {})}
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


def index_now(settings: Settings, index: Index, paths: list[Path],
              removed: list[str] = ()) -> tuple[bool, str]:
    """Index changed files at once; (True, "") or (False, why) — the files stay either way."""
    from .sync import index_paths

    try:
        report = index_paths(settings, index, paths, removed=list(removed))
    except Exception as exc:    # noqa: BLE001 — the file is saved; indexing is retried by `kb index`
        log.exception("indexing %s failed", [str(p) for p in paths])
        return False, Message("the index could not be updated (%(problem)s); `kb index` will add it",
                              problem=str(exc))
    if report.errors:
        return False, "; ".join(str(e) for e in report.errors)
    return True, ""


def _unique_slug(settings: Settings, index: Index, folder: Path, slug: str, language: str,
                 extension: str | None) -> str:
    for n in range(1, 1000):
        candidate = slug if n == 1 else f"{slug}-{n}"
        names = [f"{candidate}.{language}.md"] + ([f"{candidate}.{language}.{extension}"] if extension else [])
        if any((folder / name).exists() for name in names):
            continue
        if index.find(id=f"{candidate}-{language}"):
            continue
        return candidate
    raise PublishError(Message("There is no free file name for this title: change the title."), status=409)


def publish(settings: Settings, index: Index, meta: Metadata, text: str, actor: str, *,
            original: bytes | None = None, extension: str | None = None,
            source: str = "") -> Outcome:
    """Write a new document ``corpus/<type>/<slug>.<lang>.md`` (and its original beside it)
    and index it. PublishError (409) when the same text is already there."""
    body = normalise_text(text)
    plain = plain_text(body)
    if not plain:
        raise PublishError(Message("The text is empty: there is nothing to publish."), status=422,
                           errors={"text": Message("The text is empty.")})
    if (original is None) != (extension is None) or (extension and extension not in ("pdf", "docx", "html")):
        raise ValueError("an original needs one of the extensions pdf, docx, html")
    with corpus_change(settings):
        found = find_duplicate(index, plain)
        if found:
            raise duplicate_error(found)
        folder = Path(settings.corpus_dir) / meta.type
        slug = _unique_slug(settings, index, folder, slugify(meta.title), meta.language, extension)
        doc_id = f"{slug}-{meta.language}"
        md_path = folder / f"{slug}.{meta.language}.md"
        original_name = f"{slug}.{meta.language}.{extension}" if extension else None
        content = render(_front_matter(meta, doc_id, original_name), body)
        try:
            check_rendered(content, md_path)
        except DocumentError as exc:
            raise _unwritable(exc) from None
        if original_name:
            atomic_write(folder / original_name, original or b"")
        atomic_write(md_path, content)
        rel = md_path.relative_to(settings.corpus_dir).as_posix()
        audit.record(settings, actor, "publish" if meta.status == "published" else "upload", doc_id,
                     path=rel, original=original_name, source=source or None, status=meta.status)
        indexed, message = index_now(settings, index, [md_path])
    return Outcome(doc_id, rel, indexed, message)


# -- existing documents -----------------------------------------------------------------
@dataclass(frozen=True)
class StoredFile:
    """A corpus document as staff edit it: its file, front matter and Markdown body."""
    id: str
    path: Path
    rel_path: str
    meta: dict[str, Any]
    body: str
    fingerprint: str

    @property
    def original_path(self) -> Path | None:
        name = self.meta.get("original")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        return self.path.parent / name


def _read_file(path: Path, corpus_dir: Path) -> StoredFile:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise DocumentError(path, "not valid UTF-8 text") from None
    meta, body, _ = frontmatter.split(text, path)
    meta = frontmatter.validate(meta, path)
    rel = path.resolve().relative_to(Path(corpus_dir).resolve()).as_posix()
    return StoredFile(meta.get("id") or default_id(rel), path, rel, meta, body, fingerprint(data))


def locate(settings: Settings, index: Index, doc_id: str) -> StoredFile | None:
    """The corpus file of ``doc_id`` (published or draft): by the index, else by a scan."""
    corpus_dir = Path(settings.corpus_dir)
    indexed = [corpus_dir / record.path for record in index.find(id=doc_id)]
    for path in itertools.chain(indexed, list_documents(corpus_dir)):   # the scan is lazy
        try:
            found = _read_file(path, corpus_dir)
        except (OSError, DocumentError, ValueError):
            continue
        if found.id == doc_id:
            return found
    return None


def _require(settings: Settings, index: Index, doc_id: str) -> StoredFile:
    found = locate(settings, index, doc_id)
    if found is None:
        raise PublishError(Message("No document with id %(id)s in the corpus.", id=repr(doc_id)), status=404)
    return found


def update(settings: Settings, index: Index, doc_id: str, meta: Metadata, text: str,
           corrections: Mapping[str, Any] | None, base_fingerprint: str, actor: str) -> Outcome:
    """Save a corrected document: metadata, text and corrections. The previous version goes
    to the history. PublishError (409) when the file changed since ``base_fingerprint``
    was read (someone else saved it meanwhile)."""
    from .history import archive

    body = normalise_text(text)
    plain = plain_text(body)
    if not plain:
        raise PublishError(Message("The text is empty."), status=422, errors={"text": Message("The text is empty.")})
    try:
        corrections = validate_corrections(dict(corrections or {}), Path(doc_id))
    except DocumentError as exc:
        raise PublishError(exc.problem, status=422, errors={"corrections": exc.problem}) from None
    with corpus_change(settings):
        current = _require(settings, index, doc_id)
        if current.fingerprint != base_fingerprint:
            raise PublishError(Message("This document was changed by someone else since you opened it: "
                                       "reload the page to see their version, then make your changes again."),
                               status=409)
        found = find_duplicate(index, plain, ignore_id=doc_id)
        if found:
            raise duplicate_error(found)
        original = current.original_path
        target = current.path
        if meta.type != current.meta.get("type") and target.parent.parent == Path(settings.corpus_dir):
            # A changed type moves the file (and its original) to the type's folder.
            moved = Path(settings.corpus_dir) / meta.type / target.name
            if moved.exists() or (original and (moved.parent / original.name).exists()):
                raise PublishError(Message("Cannot move the document to %(folder)s/: a file of the same name "
                                           "is there.", folder=meta.type), status=409)
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
                     corrections=bool(corrections) or None)
        removed = [current.rel_path] if target != current.path else []
        indexed, message = index_now(settings, index, [target], removed)
    return Outcome(doc_id, rel, indexed, message, {"history": entry.id})


def set_status(settings: Settings, index: Index, doc_id: str, status: str, actor: str) -> Outcome:
    """Unpublish (``draft``: hidden from the public) or publish again."""
    if status not in frontmatter.STATUSES:
        raise PublishError(Message("The status is published or draft."), status=400)
    with corpus_change(settings):
        current = _require(settings, index, doc_id)
        meta = dict(current.meta)
        if (meta.get("status") or "published") == status:
            return Outcome(doc_id, current.rel_path, True, "", {"unchanged": True})
        meta["status"] = status
        atomic_write(current.path, render(meta, current.body))
        audit.record(settings, actor, "unpublish" if status == "draft" else "republish", doc_id,
                     path=current.rel_path)
        indexed, message = index_now(settings, index, [current.path])
    return Outcome(doc_id, current.rel_path, indexed, message)
