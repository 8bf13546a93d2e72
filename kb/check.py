"""Comparing the corpus and the index: documents missing from the index, entries that
are out of date or whose file is gone, files that cannot be used, originals no document
names, temporary files left by an interrupted write. ``repair`` brings the index in line
through ``kb.sync.sync_index`` (the code of ``kb index``).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.corpus import OUTSIDE, scan_documents
from indexer.errors import DocumentError
from indexer.formats import ORIGINAL_SUFFIXES
from indexer.read import default_id, fingerprint, read_source
from model.record import text_key

from .config import Settings
from .index import Index, IndexUnavailableError
from .storage import TEMP_SUFFIX
from .sync import SyncReport, sync_index



@dataclass
class CheckReport:
    files: int = 0
    indexed: int = 0
    missing: list[str] = field(default_factory=list)        # files not in the index
    outdated: list[str] = field(default_factory=list)       # files changed since indexed
    stale: list[dict[str, str]] = field(default_factory=list)   # entries whose file is gone
    invalid: list[str] = field(default_factory=list)        # files that cannot be used (messages)
    duplicate_ids: list[str] = field(default_factory=list)
    duplicate_texts: list[str] = field(default_factory=list)    # files with the same text
    orphans: list[str] = field(default_factory=list)        # originals no document names
    leftovers: list[str] = field(default_factory=list)      # temporary files of interrupted writes
    index_error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.outdated or self.stale or self.invalid or self.duplicate_ids
                    or self.duplicate_texts or self.orphans or self.leftovers or self.index_error)

    @property
    def repairable(self) -> bool:
        return bool(self.missing or self.outdated or self.stale or self.leftovers or self.index_error)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": self.files, "indexed": self.indexed,
                "missing": self.missing, "outdated": self.outdated, "stale": self.stale,
                "invalid": self.invalid, "duplicate_ids": self.duplicate_ids,
                "duplicate_texts": self.duplicate_texts,
                "orphans": self.orphans, "leftovers": self.leftovers, "index_error": self.index_error}

    def lines(self) -> list[str]:
        out = [f"missing from the index: {p}" for p in self.missing]
        out += [f"changed since indexed: {p}" for p in self.outdated]
        out += [f"in the index, file gone: {s['path']} (id {s['id']})" for s in self.stale]
        out += [f"invalid: {m}" for m in self.invalid]
        out += [f"duplicate id: {m}" for m in self.duplicate_ids]
        out += [f"same text: {m}" for m in self.duplicate_texts]
        out += [f"original named by no document: {p}" for p in self.orphans]
        out += [f"left by an interrupted write: {p}" for p in self.leftovers]
        if self.index_error:
            out.append(f"index cannot be read: {self.index_error}")
        return out

    def summary(self) -> str:
        if self.ok:
            return f"corpus and index agree: {self.files} file(s), {self.indexed} indexed"
        return (f"{self.files} file(s), {self.indexed} indexed: {len(self.missing)} missing, "
                f"{len(self.outdated)} changed, {len(self.stale)} stale, {len(self.invalid)} invalid, "
                f"{len(self.duplicate_ids)} duplicate id(s), {len(self.duplicate_texts)} duplicate text(s), "
                f"{len(self.orphans)} orphan original(s), "
                f"{len(self.leftovers)} leftover temporary file(s)"
                + (", index unreadable" if self.index_error else ""))


def check(settings: Settings, index: Index) -> CheckReport:
    corpus_dir = Path(settings.corpus_dir)
    report = CheckReport()
    with warnings.catch_warnings():
        # Whoosh leaves a table of contents it cannot parse open; it is closed (with a
        # ResourceWarning) when the exception goes.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            indexed = index.indexed()
        except IndexUnavailableError:
            raise                  # the servers are down: nothing to set aside or rebuild
        except Exception as exc:   # noqa: BLE001 — any failure to open the index is the finding
            report.index_error = f"{type(exc).__name__}: {exc}"
            indexed = {}
    paths, outside = scan_documents(corpus_dir)
    report.invalid += [f"{path.relative_to(corpus_dir).as_posix()}: {OUTSIDE}" for path in outside]
    report.files = len(paths)
    report.indexed = len(indexed)
    root = corpus_dir.resolve()
    seen_paths = set()
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    named_originals: set[str] = set()
    for path in paths:
        rel = path.resolve().relative_to(root).as_posix()
        seen_paths.add(rel)
        try:
            source = read_source(path, corpus_dir)
        except DocumentError as exc:
            report.invalid.append(str(exc))
            continue
        doc_id = source.meta.get("id") or default_id(rel)
        if doc_id in ids:
            report.duplicate_ids.append(f"{doc_id} in {ids[doc_id]} and {rel}")
        ids.setdefault(doc_id, rel)
        key = text_key(source.text)
        if key in texts:
            report.duplicate_texts.append(f"{texts[key]} and {rel}")
        texts.setdefault(key, rel)
        original = source.meta.get("original")
        if original:
            named_originals.add((path.parent / original).resolve().relative_to(root).as_posix()
                                if (path.parent / original).resolve().is_relative_to(root) else original)
            if not (path.parent / original).is_file():
                report.invalid.append(f"{rel}: its original {original} is missing")
        previous = indexed.get(rel)
        if previous is None:
            report.missing.append(rel)
        elif previous.fingerprint != fingerprint(path.read_bytes()):
            report.outdated.append(rel)
    report.stale = [{"path": p, "id": d.id} for p, d in sorted(indexed.items()) if p not in seen_paths]
    for path in sorted(corpus_dir.rglob("*")):
        if not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        rel = path.resolve().relative_to(root).as_posix()
        if path.name.endswith(TEMP_SUFFIX):
            report.leftovers.append(rel)
        elif path.suffix.lower() in ORIGINAL_SUFFIXES and rel not in named_originals \
                and not any(part.startswith(".") for part in Path(rel).parts):
            report.orphans.append(rel)
    return report


def repair(settings: Settings, index: Index, report: CheckReport) -> SyncReport:
    """Bring the index in line with the corpus and remove leftover temporary files.
    An index that cannot be read is moved aside (``index.broken-<time>``) and rebuilt.
    Invalid files, duplicate ids and texts and orphan originals need a person: they are left."""
    corpus_dir = Path(settings.corpus_dir)
    for rel in report.leftovers:
        (corpus_dir / rel).unlink(missing_ok=True)
    if report.index_error:
        index.set_aside()
        return sync_index(settings, index, rebuild=True)
    return sync_index(settings, index)
