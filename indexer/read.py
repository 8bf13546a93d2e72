"""Reading one corpus file: front matter, body text, title, language."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import extract, frontmatter
from .corrections import validate_corrections
from .errors import DocumentError
from .language import UNDETERMINED, detect_language
from .markdown import first_line_title, to_plain_text

# Bump when reading changes what a file becomes: changed files re-index (so they do
# when extraction changes: indexer.extract.EXTRACTOR_VERSION is in the fingerprint too).
INDEXER_VERSION = "1"
DOCUMENT_SUFFIXES = (".md", ".txt")


@dataclass(frozen=True)
class Source:
    """A file as read from disk, before extraction."""
    path: Path
    rel_path: str
    meta: dict[str, Any]
    text: str                 # plain text: searched, extracted from, quoted
    title: str
    language: str
    fingerprint: str
    corrections: dict[str, Any] = field(default_factory=dict)


def fingerprint(data: bytes) -> str:
    """The hash of a file's bytes and of the versions of reading and extraction."""
    versions = f"{INDEXER_VERSION}\0{extract.EXTRACTOR_VERSION}\0".encode()
    return hashlib.sha256(versions + data).hexdigest()


def _decode(data: bytes, path: Path) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not valid UTF-8 text (undecodable byte at offset {exc.start})") from None
    if "\x00" in text:
        raise DocumentError(path, "contains NUL bytes: a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: Path, corpus_dir: Path) -> Source:
    """Read ``path`` (a .md or .txt file) into a Source; DocumentError if it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read: {exc.strerror}") from None
    raw = _decode(data, path)
    meta, body, _ = frontmatter.split(raw, path)
    meta = frontmatter.validate(meta, path)
    text = to_plain_text(body).strip() if path.suffix == ".md" else body.strip()
    if not text:
        raise DocumentError(path, "empty body: the document has no text")
    language = meta.get("language") or detect_language(text)
    if language == UNDETERMINED:
        raise DocumentError(path, "cannot tell the language of the text; add 'language:' to the front matter")
    title = (meta.get("title") or first_line_title(body)).strip()
    try:
        rel_path = path.resolve().relative_to(Path(corpus_dir).resolve()).as_posix()
    except ValueError:
        rel_path = path.name
    return Source(path=path, rel_path=rel_path, meta=meta, text=text, title=title,
                  language=language, fingerprint=fingerprint(data),
                  corrections=validate_corrections(meta.get("corrections"), path))


def default_id(rel_path: str) -> str:
    """An id derived from the corpus path: ``declaration/melbourne.fr.md`` → ``melbourne-fr``."""
    stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "document"
