"""Extraction results on disk, keyed by a hash of the input and the extractor version."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import astuple
from pathlib import Path

from model.record import Extraction


class ExtractionCache:
    def __init__(self, folder: Path, version: str):
        self.folder = Path(folder) / "extract"
        self.version = version

    def _path(self, item) -> Path:
        key = json.dumps([self.version, *astuple(item)], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / f"{digest}.json"

    def get(self, item) -> Extraction | None:
        try:
            data = json.loads(self._path(item).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Extraction.from_dict(data)

    def put(self, item, extraction: Extraction) -> None:
        path = self._path(item)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(extraction.to_dict(), handle, ensure_ascii=False)
        os.replace(tmp, path)
