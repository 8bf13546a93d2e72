"""The audit log: who did what and when, one JSON object per line, append-only, in
``<data>/audit.jsonl``. Written by the web app and the command line alike.

>>> entry = {"time": "2024-05-14T10:00:00+00:00", "user": "alice", "action": "publish",
...          "document": "nice-fr", "detail": {}}
>>> describe(entry)
'2024-05-14T10:00:00+00:00  alice  publish  nice-fr'
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from pathlib import Path
from typing import Any, Iterator

from model.messages import Message

from .config import Settings
from .storage import locked

# Every action the log records, with its name in the interface.
ACTIONS = {"login": Message("Logged in"), "login-failed": Message("Login refused"),
           "login-locked": Message("Login locked"), "logout": Message("Logged out"),
           "scan-queued": Message("Scan queued for OCR"), "scan-failed": Message("Scan failed"),
           "upload": Message("Uploaded (draft)"), "discard": Message("Discarded an upload"),
           "publish": Message("Published"), "update": Message("Corrected"),
           "unpublish": Message("Unpublished"), "republish": Message("Published again"),
           "delete": Message("Deleted"), "restore": Message("Restored"),
           "user-add": Message("Account added"), "user-remove": Message("Account removed"),
           "user-password": Message("Password changed"), "check-repair": Message("Index repaired")}
MAX_DIFF_LINES = 80        # of a text diff kept in the log


def text_diff(before: str, after: str) -> list[str]:
    """What changed in a document's text: the lines of a unified diff (one line of
    context), at most MAX_DIFF_LINES of them; [] when nothing did.

    >>> text_diff("Un.\\nDeux.\\nTrois.", "Un.\\nDeux !\\nTrois.")
    ['@@ -1,3 +1,3 @@', ' Un.', '-Deux.', '+Deux !', ' Trois.']
    """
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))[2:]
    return lines[:MAX_DIFF_LINES] + ([f"… ({len(lines) - MAX_DIFF_LINES} more lines)"]
                                     if len(lines) > MAX_DIFF_LINES else [])


def corrections_change(before: dict, after: dict) -> dict[str, dict[str, list[str]]]:
    """Which corrections a save made, by section: ``added`` (an item staff added),
    ``removed`` (an extracted item staff removed), ``undone`` (a correction withdrawn).

    >>> corrections_change({"cities": {"remove": ["Paris"]}},
    ...                    {"cities": {"add": [{"name": "Nice", "country": "FR"}]}})
    {'cities': {'added': ['Nice'], 'undone': ['Paris']}}
    """
    def items(corrections: dict, section: str, kind: str) -> list[str]:
        out = []
        for item in (corrections.get(section) or {}).get(kind) or []:
            out.append(str(item.get("name") or item.get("value") or item.get("text") or "")
                       if isinstance(item, dict) else str(item))
        return out

    changes: dict[str, dict[str, list[str]]] = {}
    for section in sorted(set(before or {}) | set(after or {})):
        old_add, new_add = items(before or {}, section, "add"), items(after or {}, section, "add")
        old_remove, new_remove = items(before or {}, section, "remove"), items(after or {}, section, "remove")
        change = {"added": [i for i in new_add if i not in old_add],
                  "removed": [i for i in new_remove if i not in old_remove],
                  "undone": [i for i in old_add + old_remove if i not in new_add + new_remove]}
        change = {k: v for k, v in change.items() if v}
        if change:
            changes[section] = change
    return changes


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
