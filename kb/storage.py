"""Writing files so that a crash never leaves half of one: a temporary file in the same
folder, flushed to disk, then renamed over the target (``os.replace`` is atomic). And a
lock file for read-modify-write sequences shared by threads and processes.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")
TEMP_SUFFIX = ".kbtmp"     # never a document suffix: temporary files are not indexed
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def temp_path(target: Path) -> Path:
    """A hidden temporary name beside ``target`` (same folder, so same file system)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def atomic_write(target: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write ``data`` to ``target`` all at once or not at all."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file``: one holder at a time across threads (an
    in-process lock) and processes (``flock``, released by the OS if the process dies).
    Not re-entrant: never take the same lock twice in one thread."""
    lock_file = Path(lock_file)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    key = str(lock_file.resolve())
    with _THREAD_LOCKS_GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(key, threading.Lock())
    with thread_lock:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


@contextmanager
def building(folder: Path, mode: int = 0o755) -> Iterator[Path]:
    """A folder that appears whole or not at all: built under a hidden name beside it,
    renamed to ``folder`` when the block ends, removed if the block raises."""
    temp = folder.with_name(f".building-{folder.name}")
    temp.mkdir(mode=mode, parents=True)
    try:
        yield temp
        temp.rename(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def load_folder(root: Path, name: str, pattern: re.Pattern, file: str, make: Callable[..., T]) -> T | None:
    """``make(**data)`` of the JSON ``root/name/file``, with ``folder`` set to ``root/name``;
    None when ``name`` does not match ``pattern`` or the file is missing or damaged."""
    if not pattern.match(name or ""):
        return None
    folder = Path(root) / name
    try:
        found = make(**json.loads((folder / file).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    found.folder = folder
    return found
