"""A folder of files → Records, with one error per unusable file."""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from model.record import Record

from .corrections import apply_corrections
from .errors import DocumentError
from .extract import extract_sources
from .extract.organisations import canonical_name
from .extract.parallel import PROCESSES, can_fork
from .read import DOCUMENT_SUFFIXES, Source, default_id, read_source

# A batch of this many files is read in PROCESSES processes (profiled: reading, front
# matter and Markdown, was most of a `kb index` whose extractions are cached).
PARALLEL_READING = 400
READ_CHUNK = 50


@dataclass(frozen=True)
class LoadResult:
    records: list[Record]
    errors: list[DocumentError]


def list_documents(corpus_dir: Path) -> list[Path]:
    """Document files under ``corpus_dir`` (originals such as PDFs sit beside them,
    unlisted); never one that is, or sits in a folder that is, a link to somewhere
    outside the corpus (``scan_documents`` lists those too)."""
    return scan_documents(corpus_dir)[0]


OUTSIDE = "a link to a file outside the corpus: not read"


def scan_documents(corpus_dir: Path) -> tuple[list[Path], list[Path]]:
    """(documents inside the corpus, links to documents outside it), in one walk."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    found = sorted(p for p in corpus_dir.rglob("*")
                   if p.suffix in DOCUMENT_SUFFIXES and p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts))
    root = corpus_dir.resolve()
    folders: dict[Path, Path] = {}
    inside, outside = [], []
    for path in found:
        if path.is_symlink():
            real = path.resolve()
        else:       # each folder resolved once (a folder may be a link too)
            if path.parent not in folders:
                folders[path.parent] = path.parent.resolve()
            real = folders[path.parent] / path.name
        (inside if real.is_relative_to(root) else outside).append(path)
    return inside, outside


def to_record(source: Source, extraction) -> Record:
    meta = source.meta
    return Record(
        id=meta.get("id") or default_id(source.rel_path),
        title=source.title,
        type=meta.get("type") or "unknown",
        language=source.language,
        body=source.text,
        path=source.rel_path,
        fingerprint=source.fingerprint,
        date=meta.get("date"),
        source_url=meta.get("source_url"),
        translation_key=meta.get("translation_key"),
        original=meta.get("original"),
        status=meta.get("status") or "published",
        # the knowledge base's name of each ("Forum européen pour la sécurité urbaine" → Efus's)
        organisations=tuple(dict.fromkeys(canonical_name(name) for name in meta.get("organisations") or ())),
        extraction=extraction,
    )


def load_records(paths: Iterable[Path], corpus_dir: Path, *,
                 id_owner: Callable[[str], str | None] | None = None,
                 cache_dir: Path | None = None,
                 progress: Callable[[int], None] | None = None) -> LoadResult:
    """Read, extract and build Records for ``paths``.

    ``id_owner`` gives the path of the file (not being loaded) that already uses an id,
    or None, so that a duplicate ``id`` is reported against the file that had it first.
    """
    paths = list(paths)
    taken: dict[str, str] = {}       # ids of the files read so far in this batch
    sources: list[Source] = []
    errors: list[DocumentError] = []
    for path, source in zip(paths, read_all(paths, corpus_dir)):
        if isinstance(source, DocumentError):
            errors.append(source)
        else:
            doc_id = source.meta.get("id") or default_id(source.rel_path)
            owner = taken.get(doc_id) or (id_owner(doc_id) if id_owner else None)
            if owner and owner != source.rel_path:
                errors.append(DocumentError(path, f"duplicate id {doc_id!r}: already used by {owner}"))
                continue
            taken[doc_id] = source.rel_path
            sources.append(source)
        if progress:
            progress(1)
    extractions = extract_sources(sources, cache_dir=cache_dir)
    # Staff corrections (front matter) apply after extraction, cached or not.
    return LoadResult([to_record(s, apply_corrections(e, s.corrections))
                       for s, e in zip(sources, extractions)], errors)


def read_all(paths: list[Path], corpus_dir: Path) -> list[Source | DocumentError]:
    """``read_source`` of each path (the error, for a file that cannot be used), in
    several processes for a large batch when this process can fork."""
    read = partial(_read, corpus_dir=corpus_dir)
    processes = min(PROCESSES, os.cpu_count() or 1)
    if len(paths) < PARALLEL_READING or processes < 2 or not can_fork():
        return [read(path) for path in paths]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(read, paths, chunksize=READ_CHUNK)


def _read(path: Path, corpus_dir: Path) -> Source | DocumentError:
    try:
        return read_source(path, corpus_dir)
    except DocumentError as exc:
        return exc
