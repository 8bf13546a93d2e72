"""Upload drafts: a file or pasted text a staff member is reviewing before publishing.

Each draft is a folder ``<data>/uploads/<token>/`` named by a random token (never by
anything the user sent) holding ``draft.json`` (the text, the metadata form, who and
when) and, for PDF, Word and HTML files, ``original.<ext>``. A draft folder appears
whole or not at all (built under a temporary name, then renamed), and stays until it
is published or discarded.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexer.formats import ORIGINAL_EXTENSIONS

from .config import Settings
from .storage import atomic_write, building, load_folder

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")
DRAFT_FILE = "draft.json"


def uploads_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "uploads"


def display_name(filename: str) -> str:
    """A file name as sent, for display only: its last path part, printable, at most 120
    characters. It is never used to build a path.

    >>> display_name("../../etc/pass\\x00wd.txt")
    'passwd.txt'
    """
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-120:]


@dataclass
class Upload:
    token: str
    user: str
    created: str
    filename: str                  # as sent, for display only
    content_type: str
    extension: str | None          # the original is kept as original.<extension>, or None
    text: str
    meta: dict[str, Any] = field(default_factory=dict)    # the metadata form's values
    detected_language: str = ""
    pages: int | None = None
    published_as: str = ""         # the corpus file it becomes, recorded before it is written
    folder: Path | None = field(default=None, compare=False)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("folder")
        return json.dumps(data, ensure_ascii=False, indent=1)

    @property
    def original_path(self) -> Path | None:
        if self.extension is None or self.folder is None:
            return None
        return self.folder / f"original.{self.extension}"

    def original_bytes(self) -> bytes | None:
        path = self.original_path
        return path.read_bytes() if path is not None and path.is_file() else None


def create(settings: Settings, user: str, *, filename: str, content_type: str,
           extension: str | None, text: str, meta: dict[str, Any], detected_language: str,
           original: bytes | None = None, pages: int | None = None) -> Upload:
    """A new draft folder, complete (``draft.json`` and the original) or not at all."""
    root = uploads_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(16)
    upload = Upload(token=token, user=user,
                    created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    filename=display_name(filename), content_type=content_type,
                    extension=extension if original is not None else None, text=text,
                    meta=meta, detected_language=detected_language, pages=pages)
    with building(root / token, mode=0o700) as folder:
        if upload.extension:
            atomic_write(folder / f"original.{upload.extension}", original or b"")
        atomic_write(folder / DRAFT_FILE, upload.to_json())
    upload.folder = root / token
    return upload


def load(settings: Settings, token: str) -> Upload | None:
    """The draft of ``token``, or None (unknown, malformed token, damaged draft)."""
    upload = load_folder(uploads_dir(settings), token, TOKEN_PATTERN, DRAFT_FILE, Upload)
    if upload is None or upload.token != token or upload.extension not in (None, *ORIGINAL_EXTENSIONS):
        return None
    return upload


def save(upload: Upload) -> None:
    assert upload.folder is not None
    atomic_write(upload.folder / DRAFT_FILE, upload.to_json())


def discard(settings: Settings, token: str) -> bool:
    if not TOKEN_PATTERN.match(token or ""):
        return False
    folder = uploads_dir(settings) / token
    if not folder.is_dir():
        return False
    # Renamed away first, so that a half-deleted draft is never seen as a draft.
    doomed = folder.with_name(f".discarded-{token}")
    folder.rename(doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True


def pending(settings: Settings) -> list[Upload]:
    """Every draft, newest first."""
    root = uploads_dir(settings)
    if not root.is_dir():
        return []
    found = [load(settings, p.name) for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted((u for u in found if u is not None), key=lambda u: u.created, reverse=True)
