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

A scan is recognised (OCR, ``indexer.formats.scan``) in that same process, Tesseract
its child under the same memory limit: the child reports each page done as a line
``progress DONE TOTAL`` on its standard error, the parent hands it to the ``OcrOptions``
progress callback (which may raise to stop the reading: the child is then killed), and
every page gets the time limit afresh (both the wall clock and the child's CPU time), so
that a 100-page scan is not refused for taking the minutes it takes while no single page
may take more than the limit.

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
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable

from model.messages import Message, message_data, message_of

from . import pdf
from .content import EmptyFile, FormatError, ReadText, TooLarge, UnsupportedFormat
from .scan import NeedsOcr, OcrOptions

MB = 1024 * 1024
KINDS = {kind.__name__: kind for kind in (FormatError, UnsupportedFormat, EmptyFile, TooLarge)}
PROGRESS = b"progress "        # a line of the child's standard error: a page recognised
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


def read_isolated(data: bytes, filename: str | None, limits: Limits = Limits(),
                  ocr: OcrOptions | None = None) -> ReadText:
    """``read_upload(data, filename, ocr, max_pages=limits.max_pages)`` (``text_from_bytes`` when
    ``filename`` is None: pasted text) in a child process within ``limits``; raises the
    child's ``FormatError`` (``NeedsOcr`` with its page counts), ``TooLarge`` for text
    over ``limits.max_text_mb``, ``OverLimit`` when the child ran out of memory or time.
    A scan's pages are reported to ``ocr.progress`` as the child recognises them; what
    that callback raises stops the child and is raised here."""
    from . import ocr as tesseract

    ocr = ocr or OcrOptions()
    wanted = {"language": ocr.language, "max_pages": ocr.max_pages, "run": ocr.run}
    header = json.dumps({"filename": filename, "limits": asdict(limits), "ocr": wanted,
                         "tesseract": sorted(tesseract.installed_languages())}).encode()
    command = [sys.executable, "-m", "indexer.formats.isolated"]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=environment)
    threads: list[threading.Thread] = []
    try:
        returncode, output = _follow(child, len(header).to_bytes(4, "big") + header + data, limits,
                                     ocr.progress, threads)
    finally:
        if child.poll() is None:       # out of time, or the progress callback raised
            child.kill()
        child.wait()
        for thread in threads:         # at the end of the child's output
            thread.join(10)
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()
    if returncode is None:
        raise _out_of_time(limits)
    answer = _answer(output)
    if answer is None:
        if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _out_of_time(limits)
        # PDFium and other native readers abort when an allocation fails under the limit.
        raise OverLimit(Message("reading the file needed more than %(limit)s MB of memory, or its reader "
                                "failed (the file may be damaged or built to exhaust memory): it was not "
                                "accepted", limit=limits.memory_mb))
    if "error" in answer:
        if answer["error"] == "NeedsOcr":
            raise NeedsOcr(answer["pages"], answer["total"])
        kind = KINDS.get(answer["error"], FormatError)
        raise kind(message_of(answer["message"]))
    return ReadText(**answer["read"])


def _follow(child: subprocess.Popen, sent: bytes, limits: Limits, progress: Callable[[int, int], None] | None,
            threads: list[threading.Thread]) -> tuple[int | None, bytes]:
    """Feed the child, pass on its progress, and wait for it: its return code (None when
    it ran out of wall-clock time: ``limits.seconds`` from the start or from its last page
    done) and its standard output. ``threads``: those it starts, to be joined."""
    output: list[bytes] = []

    def feed() -> None:
        try:
            child.stdin.write(sent)
            child.stdin.close()
        except OSError:            # it ended without reading everything
            pass

    def collect() -> None:
        output.append(child.stdout.read())

    reports: list[tuple[int, int] | None] = []
    ready = threading.Condition()

    def listen() -> None:            # standard error, line by line: the progress reports
        for line in child.stderr:
            if line.startswith(PROGRESS):
                try:
                    done, total = (int(n) for n in line[len(PROGRESS):].split())
                except ValueError:
                    continue
                with ready:
                    reports.append((done, total))
                    ready.notify()
        with ready:
            reports.append(None)     # the child closed its standard error: it has ended
            ready.notify()

    threads += [threading.Thread(target=work, daemon=True) for work in (feed, collect, listen)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + limits.seconds
    while True:
        with ready:
            left = deadline - time.monotonic()
            if not reports and left > 0:
                ready.wait(left)
            got, reports[:] = list(reports), []
        for report in got:
            if report is None:
                continue
            if progress is not None:
                progress(*report)
            deadline = time.monotonic() + limits.seconds      # each page gets the time afresh
        if None in got:
            break
        if time.monotonic() >= deadline:
            return None, b""
    try:
        returncode = child.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return None, b""
    threads[1].join(max(0.0, deadline - time.monotonic()))     # its standard output, to the end
    return returncode, b"".join(output)


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


# -- the child ------------------------------------------------------------------------------
def check_text_size(text: str, max_text_mb: float) -> None:
    """``TooLarge`` for text of more than ``max_text_mb`` MB (UTF-8)."""
    size = len(text.encode("utf-8"))
    if size > max_text_mb * MB:
        raise TooLarge(Message("its text is %(size)s MB; at most %(limit)s MB of text is accepted (split the "
                               "document)", size=f"{size / MB:.1f}", limit=f"{max_text_mb:g}"))


def _limit_self(limits: Limits, pages: int = 0) -> None:
    """The child's memory and CPU time limits; ``pages`` to recognise by OCR (at most):
    the hard CPU limit leaves each of them the time too, the soft one moving on page by
    page (``_reporting``)."""
    memory = int(limits.memory_mb * MB)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds * (pages + 1) + 1))


def _reporting(limits: Limits) -> Callable[[int, int], None]:
    """The child's OCR progress callback: the page said on standard error, and the soft
    CPU time limit moved on to ``limits.seconds`` from now (each page gets the time
    afresh; the hard limit, set at the start, bounds them all)."""
    seconds = max(1, int(limits.seconds + 0.999))

    def report(done: int, total: int) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = int(usage.ru_utime + usage.ru_stime + 0.999)
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        resource.setrlimit(resource.RLIMIT_CPU, (min(used + seconds, hard), hard))
        sys.stderr.buffer.write(PROGRESS + f"{done} {total}\n".encode())
        sys.stderr.buffer.flush()

    return report


def _child() -> None:
    raw = sys.stdin.buffer.read()
    size = int.from_bytes(raw[:4], "big")
    header = json.loads(raw[4:4 + size])
    limits = Limits(**header["limits"])
    data = raw[4 + size:]
    del raw
    ocr = OcrOptions(**header.get("ocr", {}))
    _limit_self(limits, ocr.max_pages if ocr.run else 0)
    if ocr.run:
        ocr = replace(ocr, progress=_reporting(limits))
    from . import ocr as tesseract

    tesseract.trust_installed(header.get("tesseract", ()))      # what the parent found: asked once
    from . import read_upload, text_from_bytes
    try:
        filename = header["filename"]
        read = (read_upload(data, filename, ocr, max_pages=limits.max_pages) if filename is not None
                else text_from_bytes(data))
        check_text_size(read.text, limits.max_text_mb)
        answer: dict[str, Any] = {"read": asdict(read)}
    except NeedsOcr as exc:
        answer = {"error": "NeedsOcr", "pages": exc.pages, "total": exc.total}
    except FormatError as exc:
        answer = {"error": type(exc).__name__ if type(exc).__name__ in KINDS else "FormatError",
                  "message": message_data(exc.args[0] if exc.args else str(exc))}
    except (MemoryError, RecursionError):
        sys.exit(3)
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    _child()
