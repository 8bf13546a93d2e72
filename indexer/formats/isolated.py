"""Reading a file nobody vouches for (a staff upload, ``kb add``) where it cannot hurt the
server: ``read_upload`` in a process of its own, limited in memory (``RLIMIT_AS``) and in
time (``RLIMIT_CPU``, and a wall-clock timeout), and a limit hit turned into a refusal
with a message. A PDF whose content stream inflates to gigabytes, a page of 100,000
nested elements or a library's crash then ends that process, not the web app; and the
text read is refused when it is larger than a text limit (the same for the upload page,
pasted text and ``kb add``).

The parent sends the file on the child's standard input after a JSON header; the child
answers one JSON object on its standard output: the ``ReadText``, or the kind of
``FormatError`` and its message (a ``model.messages.Message`` kept translatable).

>>> read_isolated("Nous, les maires, nous engageons.".encode(), "appel.txt", Limits(seconds=30)).text
'Nous, les maires, nous engageons.'
"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from model.messages import Message

from . import pdf
from .content import EmptyFile, FormatError, ReadText, TooLarge, UnsupportedFormat

MB = 1024 * 1024
KINDS = {kind.__name__: kind for kind in (FormatError, UnsupportedFormat, EmptyFile, TooLarge)}
_ROOT = Path(__file__).resolve().parents[2]      # where the indexer package is, for the child


@dataclass(frozen=True)
class Limits:
    """What reading one file may take (the settings ``max_pdf_pages``, ``max_text_mb``,
    ``reader_memory_mb`` and ``reader_timeout``)."""
    max_pages: int = pdf.MAX_PAGES
    max_text_mb: float = 2
    memory_mb: int = 1024
    seconds: float = 60.0


class OverLimit(FormatError):
    """Reading the file needed more memory or time than a reader may take."""


def read_isolated(data: bytes, filename: str | None, limits: Limits = Limits()) -> ReadText:
    """``read_upload(data, filename)`` (``text_from_bytes`` when ``filename`` is None:
    pasted text) in a child process within ``limits``; raises the child's ``FormatError``,
    ``TooLarge`` for text over ``limits.max_text_mb``, ``OverLimit`` when the child ran
    out of memory or time."""
    header = json.dumps({"filename": filename, "limits": asdict(limits)}).encode()
    command = [sys.executable, "-m", "indexer.formats.isolated"]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    try:
        done = subprocess.run(command, input=len(header).to_bytes(4, "big") + header + data,
                              capture_output=True, timeout=limits.seconds, env=environment)
    except subprocess.TimeoutExpired:
        raise _out_of_time(limits) from None
    answer = _answer(done.stdout)
    if answer is None:
        if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _out_of_time(limits)
        # PDFium and other native readers abort when an allocation fails under the limit.
        raise OverLimit(Message("reading the file needed more than %(limit)s MB of memory, or its reader "
                                "failed (the file may be damaged or built to exhaust memory): it was not "
                                "accepted", limit=limits.memory_mb))
    if "error" in answer:
        kind = KINDS.get(answer["error"], FormatError)
        raise kind(_message(answer["message"]))
    return ReadText(**answer["read"])


def _out_of_time(limits: Limits) -> OverLimit:
    return OverLimit(Message("reading the file took more than %(seconds)s seconds (the file may be built to "
                             "make its reader work without end): it was not accepted",
                             seconds=f"{limits.seconds:g}"))


def _answer(output: bytes) -> dict | None:
    try:
        answer = json.loads(output)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) and ("read" in answer or "error" in answer) else None


# -- messages through JSON ----------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return {"template": value.template, "values": {k: _plain(v) for k, v in value.values.items()}}
    return value if isinstance(value, (int, float)) or value is None else str(value)


def _message(data: Any) -> Any:
    if isinstance(data, dict) and "template" in data:
        return Message(data["template"], **{k: _message(v) for k, v in data["values"].items()})
    return data


# -- the child ------------------------------------------------------------------------------
def check_text_size(text: str, max_text_mb: float) -> None:
    """``TooLarge`` for text of more than ``max_text_mb`` MB (UTF-8)."""
    size = len(text.encode("utf-8"))
    if size > max_text_mb * MB:
        raise TooLarge(Message("its text is %(size)s MB; at most %(limit)s MB of text is accepted (split the "
                               "document)", size=f"{size / MB:.1f}", limit=f"{max_text_mb:g}"))


def _limit_self(limits: Limits) -> None:
    memory = int(limits.memory_mb * MB)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _child() -> None:
    raw = sys.stdin.buffer.read()
    size = int.from_bytes(raw[:4], "big")
    header = json.loads(raw[4:4 + size])
    limits = Limits(**header["limits"])
    data = raw[4 + size:]
    del raw
    _limit_self(limits)
    from . import read_upload, text_from_bytes
    try:
        filename = header["filename"]
        read = read_upload(data, filename, limits.max_pages) if filename is not None else text_from_bytes(data)
        check_text_size(read.text, limits.max_text_mb)
        answer: dict[str, Any] = {"read": asdict(read)}
    except FormatError as exc:
        answer = {"error": type(exc).__name__ if type(exc).__name__ in KINDS else "FormatError",
                  "message": _plain(exc.args[0] if exc.args else str(exc))}
    except (MemoryError, RecursionError):
        sys.exit(3)
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    _child()
