"""What the engines whose index is a folder of the data folder share: waiting for the
one writer's lock, and setting a broken index aside."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Callable, TypeVar

from .interface import IndexBusyError

T = TypeVar("T")


class Busy(Exception):
    """Raised by an attempt that found the writer's lock taken."""


def when_free(attempt: Callable[[], T], index_dir: Path, timeout: float) -> T:
    """``attempt()`` again, waiting longer each time (up to a second), while it raises
    ``Busy``; IndexBusyError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            return attempt()
        except Busy:
            if time.monotonic() >= deadline:
                raise IndexBusyError(f"the index at {index_dir} is locked by another writer; "
                                     f"gave up after {timeout:g}s") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def move_aside(index_dir: Path) -> Path:
    """Move ``index_dir`` to ``<name>.broken-<UTC time>`` beside it (if it exists); the
    new name."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    broken = index_dir.with_name(f"{index_dir.name}.broken-{stamp}")
    if index_dir.exists():
        shutil.move(str(index_dir), broken)
    return broken
