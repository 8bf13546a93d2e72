"""The corpus as staff change it, shared by publishing (``kb.publishing``) and the history
(``kb.history``): one change at a time under the corpus lock, the files staff edit located
and read, duplicates found by text, and each change indexed at once through
``kb.sync.index_paths`` (the code of ``kb index``).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from indexer import frontmatter
from indexer.corpus import list_documents
from indexer.errors import DocumentError
from indexer.formats import normalise_text
from indexer.markdown import to_plain_text
from indexer.read import default_id, fingerprint
from model.messages import Message
from model.record import text_key

from .config import Settings
from .errors import DuplicateText, NotFound
from .index import Index
from .storage import locked
from .sync import index_paths

log = logging.getLogger(__name__)


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


def plain_text(body: str) -> str:
    """The text a Markdown body becomes in the index (what ``indexer.read`` makes of the
    body ``publish`` writes): the key of the extraction cache and of duplicates."""
    return to_plain_text(normalise_text(body)).strip()


def find_duplicate(index: Index, plain: str, ignore_id: str | None = None) -> dict[str, str] | None:
    """The indexed document (published or draft) with the same text, or None; of
    several, the first by id (engines list them in orders of their own)."""
    for record in sorted(index.find(text_key=text_key(plain)), key=lambda r: r.id):
        if record.id != ignore_id:
            return {"id": record.id, "title": record.title, "path": record.path, "status": record.status}
    return None


def duplicate_error(found: Mapping[str, str]) -> DuplicateText:
    return DuplicateText(Message("This text is already in the knowledge base: document %(id)s (“%(title)s”, "
                                 "%(path)s).", id=found["id"], title=found["title"], path=found["path"]),
                         duplicate=found)


def index_now(settings: Settings, index: Index, paths: list[Path],
              removed: list[str] = ()) -> tuple[bool, str]:
    """Index changed files at once; (True, "") or (False, why) — the files stay either way."""
    try:
        report = index_paths(settings, index, paths, removed=list(removed))
    except Exception as exc:    # noqa: BLE001 — the file is saved; indexing is retried by `kb index`
        log.exception("indexing %s failed", [str(p) for p in paths])
        return False, Message("the index could not be updated (%(problem)s); `kb index` will add it",
                              problem=str(exc))
    if report.errors:
        return False, "; ".join(str(e) for e in report.errors)
    return True, ""


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
        return original_beside(self.path, self.meta.get("original"))


def original_beside(document: Path, name: str | None) -> Path | None:
    """The original file of a corpus document (its front matter's ``original``), kept
    beside it: a plain file name, never a path elsewhere; None when there is none."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return document.parent / name


def original_file(corpus_dir: Path, record) -> Path | None:
    """The original file of an indexed ``record`` when it is there, inside the corpus."""
    path = original_beside(Path(corpus_dir) / record.path, record.original)
    if path is None or not path.is_file() or Path(corpus_dir).resolve() not in path.resolve().parents:
        return None
    return path


def read_file(path: Path, corpus_dir: Path) -> StoredFile:
    """A corpus document as staff edit it; DocumentError (or OSError) if it cannot be read."""
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
    return (_first_of(doc_id, [corpus_dir / record.path for record in index.find(id=doc_id)], corpus_dir)
            or _first_of(doc_id, list_documents(corpus_dir), corpus_dir))


def _first_of(doc_id: str, paths: list[Path], corpus_dir: Path) -> StoredFile | None:
    """The first of ``paths`` that is the readable file of ``doc_id``."""
    for path in paths:
        try:
            found = read_file(path, corpus_dir)
        except (OSError, DocumentError, ValueError):
            continue
        if found.id == doc_id:
            return found
    return None


def require(settings: Settings, index: Index, doc_id: str) -> StoredFile:
    """The corpus file of ``doc_id``; NotFound when there is none."""
    found = locate(settings, index, doc_id)
    if found is None:
        raise NotFound(Message("No document with id %(id)s in the corpus.", id=repr(doc_id)))
    return found
