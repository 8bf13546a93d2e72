"""Upload jobs: a scan waiting to be read (OCR) in the background, and how far it got.

Each job is a folder ``<data>/jobs/<id>/`` named by a random id, holding ``job.json``
(who sent what, the state, pages done out of pages, and why it failed) and, until it is
read, the file as sent (``input``). States: ``queued`` → ``running`` → ``done`` (the
upload draft it made, ``upload``) or ``failed`` (``problem``, a message; the file is
removed: nothing of it is kept). The queue that runs them is ``kb.background``.

A job is claimed (``queued`` → ``running``) under a lock, so that it never runs twice at
once; the same file sent again while its job is waiting or running gets that job back
(``active``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

from model.messages import Message, message_data, message_of

from .config import Settings
from .storage import atomic_write, building, load_folder, locked

TOKEN = secrets.token_hex(8)          # this process, told apart from an earlier one of its id


def _new_token() -> None:
    global TOKEN
    TOKEN = secrets.token_hex(8)


os.register_at_fork(after_in_child=_new_token)      # kb serve --workers forks processes
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")
JOB_FILE = "job.json"
INPUT_FILE = "input"
STATES = ("queued", "running", "done", "failed")
ACTIVE = ("queued", "running")
KEEP_DONE_DAYS = 7          # a done job's record (its job page leads to its upload) kept so long


def jobs_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "jobs"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    user: str
    created: str
    filename: str                  # as sent, for display only
    claim: str                     # the extension the name claims (".pdf"), all that is used of it
    digest: str                    # of the file and how it is to be read: the same upload is one job
    language: str = ""             # of the scan, as staff chose ("" to tell it)
    type: str = ""                 # the document type chosen on the form
    state: str = "queued"
    pages: int = 0                 # pages to recognise
    done: int = 0                  # pages recognised so far
    upload: str | None = None      # the draft made, once done
    problem: dict[str, Any] | None = None    # why it failed: a Message's template and values
    worker: str | None = None      # the process running it: "<pid>:<token of that process>"
    updated: str = ""
    folder: Path | None = field(default=None, compare=False)

    def to_json(self) -> str:
        import json

        data = asdict(self)
        data.pop("folder")
        return json.dumps(data, ensure_ascii=False, indent=1)

    @property
    def input_path(self) -> Path:
        assert self.folder is not None
        return self.folder / INPUT_FILE

    @property
    def message(self) -> Message | None:
        """Why it failed, as a ``Message`` the interface translates."""
        return message_of(self.problem) if self.problem else None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.pages) if self.pages else 0


def digest_of(data: bytes, language: str, type_: str) -> str:
    return hashlib.sha256(b"%s\0%s\0" % (language.encode(), type_.encode()) + data).hexdigest()


def create(settings: Settings, user: str, data: bytes, *, filename: str, claim: str, pages: int,
           language: str = "", type_: str = "") -> tuple[Job, bool]:
    """A new queued job for ``data``, or the job already waiting or running for the same
    file read the same way; and whether it is new."""
    root = jobs_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    digest = digest_of(data, language, type_)
    with locked(root / ".lock"):
        found = next((job for job in every(settings) if job.digest == digest and job.state in ACTIVE), None)
        if found is not None:
            return found, False
        job = Job(id=secrets.token_urlsafe(16), user=user, created=_now(), filename=filename, claim=claim,
                  digest=digest, language=language, type=type_, pages=pages, updated=_now())
        with building(root / job.id, mode=0o700) as folder:
            atomic_write(folder / INPUT_FILE, data, mode=0o600)
            atomic_write(folder / JOB_FILE, job.to_json())
    job.folder = root / job.id
    return job, True


def load(settings: Settings, job_id: str) -> Job | None:
    job = load_folder(jobs_dir(settings), job_id, ID_PATTERN, JOB_FILE, Job)
    if job is None or job.id != job_id or job.state not in STATES:
        return None
    return job


def every(settings: Settings) -> Iterator[Job]:
    root = jobs_dir(settings)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        job = load(settings, folder.name) if folder.is_dir() else None
        if job is not None:
            yield job


def listed(settings: Settings) -> list[Job]:
    """The jobs staff follow (waiting, running, failed), newest first; done ones have
    become uploads waiting for review."""
    return sorted((job for job in every(settings) if job.state != "done"), key=lambda j: j.created, reverse=True)


def _save(job: Job) -> None:
    job.updated = _now()
    assert job.folder is not None
    atomic_write(job.folder / JOB_FILE, job.to_json())


def claim(settings: Settings, job_id: str) -> Job | None:
    """The job, now ``running`` in this process, if it was queued (else None: it runs or
    ran elsewhere)."""
    with locked(jobs_dir(settings) / ".lock"):
        job = load(settings, job_id)
        if job is None or job.state != "queued" or not job.input_path.is_file():
            return None
        job.state, job.worker, job.done = "running", f"{os.getpid()}:{TOKEN}", 0
        _save(job)
    return job


def progress(job: Job, done: int, pages: int) -> None:
    job.done, job.pages = done, pages
    _save(job)


def requeue(job: Job) -> None:
    """Back in the queue (the server stopped while it ran): it starts again from the top."""
    job.state, job.done, job.worker = "queued", 0, None
    _save(job)


def finish(job: Job, upload: str) -> None:
    job.state, job.upload, job.worker = "done", upload, None
    job.done = job.pages
    _save(job)
    job.input_path.unlink(missing_ok=True)


def fail(job: Job, message: str) -> None:
    """Failed because of ``message``; the file sent is removed."""
    job.state, job.worker = "failed", None
    job.problem = message_data(message)
    _save(job)
    job.input_path.unlink(missing_ok=True)


def interrupted(settings: Settings) -> list[Job]:
    """Jobs left ``running`` by a process that is gone, put back in the queue."""
    found = []
    with locked(jobs_dir(settings) / ".lock"):
        for job in every(settings):
            if job.state == "running" and not _alive(job.worker):
                requeue(job)
                found.append(job)
    return found


def _alive(worker: str | int | None) -> bool:
    """Whether the process that claimed a job still runs. A process of this one's id but
    another token is an earlier one (a container's server is often pid 1 at every start)."""
    if not worker:
        return False
    pid, _, token = str(worker).partition(":")
    if int(pid) == os.getpid():
        return token == TOKEN
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune(settings: Settings, days: int = KEEP_DONE_DAYS) -> list[str]:
    """Forget the jobs done more than ``days`` ago (their uploads are drafts, or published
    or discarded since); their ids."""
    limit = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    old = [job.id for job in every(settings) if job.state == "done" and job.updated < limit]
    return [job_id for job_id in old if remove(settings, job_id)]


def remove(settings: Settings, job_id: str) -> bool:
    """Forget a job that is not running (a failed one staff have read)."""
    job = load(settings, job_id)
    if job is None or job.state == "running":
        return False
    doomed = job.folder.with_name(f".removed-{job.id}")
    job.folder.rename(doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True
