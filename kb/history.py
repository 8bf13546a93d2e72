"""The history: deleted documents and replaced versions, kept outside the corpus (so not
indexed) in ``<data>/history/<entry>/`` with an ``entry.json`` and the files, restorable
from the staff pages and with ``kb restore``. Nothing staff do is lost.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexer import frontmatter
from indexer.errors import DocumentError
from indexer.read import fingerprint
from model.messages import Message

from . import audit
from .changes import (Outcome, StoredFile, corpus_change, duplicate_error, find_duplicate, index_now,
                      plain_text, require)
from .config import Settings
from .errors import BadRequest, Conflict, NotFound
from .index import Index
from .storage import atomic_write, building, load_folder

ENTRY_PATTERN = re.compile(r"^\d{8}T\d{6}\d{6}Z-[a-z0-9._-]{1,200}-[0-9a-f]{6}$")
ENTRY_FILE = "entry.json"
KINDS = ("deleted", "replaced")


def history_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "history"


@dataclass
class HistoryEntry:
    id: str
    kind: str                       # deleted | replaced
    document: str
    title: str
    time: str
    user: str
    files: list[str]                # corpus-relative paths the files came from
    restored: list[dict[str, str]] = field(default_factory=list)   # when and by whom
    folder: Path | None = field(default=None, compare=False)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("folder")
        return json.dumps(data, ensure_ascii=False, indent=1)

    def stored(self, rel: str) -> Path:
        assert self.folder is not None
        return self.folder / "files" / Path(rel).name


def archive(settings: Settings, current: StoredFile, kind: str, actor: str) -> HistoryEntry:
    """Copy a document's files (the .md and its original) into a new history entry.
    The entry appears whole or not at all."""
    assert kind in KINDS
    now = dt.datetime.now(dt.timezone.utc)
    entry_id = f"{now.strftime('%Y%m%dT%H%M%S%f')}Z-{current.id}-{secrets.token_hex(3)}"
    files = [current.path]
    original = current.original_path
    if original is not None and original.is_file():
        files.append(original)
    corpus_dir = Path(settings.corpus_dir).resolve()
    entry = HistoryEntry(entry_id, kind, current.id, str(current.meta.get("title") or ""),
                         now.isoformat(timespec="seconds"), actor,
                         [p.resolve().relative_to(corpus_dir).as_posix() for p in files])
    root = history_dir(settings)
    with building(root / entry_id) as folder:
        for path in files:
            atomic_write(folder / "files" / path.name, path.read_bytes())
        atomic_write(folder / ENTRY_FILE, entry.to_json())
    entry.folder = root / entry_id
    return entry


def load(settings: Settings, entry_id: str) -> HistoryEntry | None:
    entry = load_folder(history_dir(settings), entry_id, ENTRY_PATTERN, ENTRY_FILE, HistoryEntry)
    return entry if entry is not None and entry.id == entry_id and entry.kind in KINDS else None


def entries(settings: Settings, document: str | None = None) -> list[HistoryEntry]:
    """Every entry, newest first (only ``document``'s when given)."""
    root = history_dir(settings)
    if not root.is_dir():
        return []
    found = [load(settings, p.name) for p in root.iterdir() if not p.name.startswith(".")]
    return sorted((e for e in found if e is not None and (document is None or e.document == document)),
                  key=lambda e: e.id, reverse=True)


def delete(settings: Settings, index: Index, doc_id: str, actor: str) -> HistoryEntry:
    """Move a document (and its original) out of the corpus into the history, and out of
    the index."""
    with corpus_change(settings):
        current = require(settings, index, doc_id)
        entry = archive(settings, current, kind="deleted", actor=actor)
        original = current.original_path
        if original is not None and original.is_file():
            original.unlink()
        current.path.unlink()
        audit.record(settings, actor, "delete", doc_id, path=current.rel_path, history=entry.id)
        index_now(settings, index, [], removed=[current.rel_path])
    return entry


def _safe_target(settings: Settings, rel: str) -> Path:
    """A corpus path from an entry, refused if it would leave the corpus folder."""
    corpus_dir = Path(settings.corpus_dir).resolve()
    target = (corpus_dir / rel).resolve()
    if corpus_dir not in target.parents:
        raise BadRequest(Message("The history entry names a path outside the corpus: %(path)s", path=rel))
    return target


def restore(settings: Settings, index: Index, entry_id: str, actor: str) -> Outcome:
    """Put an entry's files back in the corpus and index them. A deleted document comes
    back where it was; a replaced version replaces the current one (which goes to the
    history first). Conflict when that would overwrite another file or repeat
    a document that is already there."""
    entry = load(settings, entry_id)
    if entry is None:
        raise NotFound(Message("No history entry %(id)s.", id=repr(entry_id)))
    targets = {rel: _safe_target(settings, rel) for rel in entry.files}
    md_rel = entry.files[0]
    with corpus_change(settings):
        md_bytes = entry.stored(md_rel).read_bytes()
        detail: dict[str, Any] = {}
        if entry.kind == "deleted":
            taken = [rel for rel, path in targets.items() if path.exists()]
            if taken:
                raise Conflict(Message("Cannot restore: %(files)s exists again in the corpus; move it "
                                       "away first.", files=", ".join(taken)))
            if index.find(id=entry.document):
                raise Conflict(Message("Cannot restore: another document now has the id %(id)s.",
                                       id=entry.document))
        else:
            try:
                current = require(settings, index, entry.document)
            except NotFound:
                current = None
            if current is not None:
                if current.fingerprint == fingerprint(md_bytes):
                    raise Conflict(Message("This version is the current one already."))
                detail["history"] = archive(settings, current, kind="replaced", actor=actor).id
                if current.path != targets[md_rel]:
                    # The document moved (type changed) since: this version goes where it is now.
                    targets = {rel: current.path.parent / Path(rel).name for rel in entry.files}
        try:
            _, body, _ = frontmatter.split(md_bytes.decode("utf-8"), Path(md_rel))
        except (UnicodeDecodeError, DocumentError):
            body = ""
        found = find_duplicate(index, plain_text(body), ignore_id=entry.document) if body else None
        if found:
            raise duplicate_error(found)
        for rel, path in targets.items():
            atomic_write(path, entry.stored(rel).read_bytes())
        entry.restored.append({"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                               "user": actor})
        atomic_write(entry.folder / ENTRY_FILE, entry.to_json())
        md_path = targets[md_rel].resolve()
        rel = md_path.relative_to(Path(settings.corpus_dir).resolve()).as_posix()
        audit.record(settings, actor, "restore", entry.document, path=rel, entry=entry.id, **detail)
        indexed, message = index_now(settings, index, [md_path])
    return Outcome(entry.document, rel, indexed, message, detail)
