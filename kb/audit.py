"""The audit log: who did what and when, one JSON object per line, append-only, in
``<data>/audit.jsonl``. Written by the web app and the command line alike.

>>> entry = {"time": "2024-05-14T10:00:00+00:00", "user": "alice", "action": "publish",
...          "document": "nice-fr", "detail": {}}
>>> describe(entry)
'2024-05-14T10:00:00+00:00  alice  publish  nice-fr'
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Iterator

from .config import Settings
from .storage import locked

ACTIONS = ("login", "login-failed", "login-locked", "logout", "scan-queued", "scan-failed", "upload",
           "discard", "publish", "update", "unpublish", "republish", "delete", "restore", "user-add",
           "user-remove", "user-password", "check-repair")


def log_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "audit.jsonl"


def record(settings: Settings, user: str, action: str, document: str | None = None,
           **detail: Any) -> dict[str, Any]:
    """Append one entry (a whole line in one write, under a lock) and return it."""
    entry = {"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
             "user": user, "action": action, "document": document,
             "detail": {k: v for k, v in detail.items() if v is not None}}
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    path = log_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path.with_name(path.name + ".lock")):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    return entry


def entries(settings: Settings) -> Iterator[dict[str, Any]]:
    """Every entry, oldest first. A damaged line (a disk full, a hand edit) is skipped."""
    try:
        handle = log_file(settings).open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    with handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                yield entry


def latest(settings: Settings, limit: int = 100, user: str | None = None,
           document: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
    """The most recent entries first, optionally only one user's, document's or action's."""
    found = [e for e in entries(settings)
             if (user is None or e.get("user") == user)
             and (document is None or e.get("document") == document)
             and (action is None or e.get("action") == action)]
    return found[::-1][:limit]


def describe(entry: dict[str, Any]) -> str:
    parts = [entry.get("time", ""), entry.get("user", ""), entry.get("action", "")]
    if entry.get("document"):
        parts.append(entry["document"])
    detail = entry.get("detail") or {}
    if detail:
        parts.append(" ".join(f"{k}={v}" for k, v in detail.items()))
    return "  ".join(str(p) for p in parts)
