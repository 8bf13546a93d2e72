"""Background work: scans read (OCR) by a queue, while staff get their page back at once.

The queue is Huey on SQLite (``<data>/jobs.sqlite3``): no server to run. Its consumer runs
as threads of the process that owns the ``Background`` (the web app), started when a job
is sent or, at start-up, when jobs are waiting; so ``make run`` needs nothing more. What
each job is and how far it got is in ``kb.jobs``; a job reads its file through the same
intake as every upload (``kb.intake``) and leaves an upload draft for review.

Surviving a restart: Huey keeps the queued tasks in SQLite; a job that was running when
the process stopped (Huey had taken it off the queue) is put back in the queue at the
next start, and starts again from its first page.
"""
from __future__ import annotations

import logging
import threading

from huey import SqliteHuey
from huey.consumer import Consumer

from indexer.formats import FormatError, OcrOptions
from model.messages import Message

from . import audit, jobs
from .config import Settings
from .errors import PublishError
from .index import Index
from .intake import keep_draft, take_in

log = logging.getLogger(__name__)
QUEUE_FILE = "jobs.sqlite3"
WORKERS = 1               # one scan at a time: Tesseract keeps one core busy, the app has the other


class Stopped(Exception):
    """The process is stopping: the job goes back in the queue."""


class InProcessConsumer(Consumer):
    """Huey's consumer as threads of a server, which owns the process's signals."""

    def _set_signal_handlers(self):
        pass


class Background:
    """The job queue of one process: ``submit`` a scan, ``start``/``stop`` the consumer."""

    def __init__(self, settings: Settings, index: Index):
        self.settings = settings
        self.index = index
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.huey = SqliteHuey(name="kb-jobs", filename=str(settings.data_dir / QUEUE_FILE), results=False)
        self._read = self.huey.task(name="read-upload")(self._run)
        self._consumer = None
        self._guard = threading.Lock()
        self._stopping = threading.Event()

    # -- sending work --------------------------------------------------------------------
    def submit(self, user: str, data: bytes, *, filename: str, claim: str, pages: int,
               language: str = "", type_: str = "") -> tuple[jobs.Job, bool]:
        """Queue the reading of a scan (or find the job already reading the same file);
        the job, and whether it is new."""
        job, new = jobs.create(self.settings, user, data, filename=filename, claim=claim, pages=pages,
                               language=language, type_=type_)
        if new:
            audit.record(self.settings, user, "scan-queued", None, job=job.id, file=filename, pages=pages)
            self._read(job.id)
        self.start()
        return job, new

    # -- the consumer --------------------------------------------------------------------
    def start(self) -> None:
        """Start the consumer threads, once; first putting back in the queue the jobs a
        stopped process left running or that the queue lost."""
        with self._guard:
            if self._consumer is not None:
                return
            self._stopping.clear()
            self.recover()
            self._consumer = InProcessConsumer(self.huey, workers=WORKERS, periodic=False, worker_type="thread",
                                               check_worker_health=False, max_delay=2.0)
            self._consumer.start()

    def start_if_waiting(self) -> None:
        """At start-up: the consumer, when jobs wait (else it starts with the first job)."""
        if any(job.state in jobs.ACTIVE for job in jobs.every(self.settings)):
            self.start()

    def recover(self) -> list[str]:
        """Queue again the jobs that are waiting but not in Huey's queue (taken off it by a
        process that stopped); their ids."""
        jobs.interrupted(self.settings)
        jobs.prune(self.settings)
        queued = {task.args[0] for task in self.huey.pending() if task.args}
        lost = [job.id for job in jobs.every(self.settings) if job.state == "queued" and job.id not in queued]
        for job_id in lost:
            self._read(job_id)
        return lost

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking jobs; a job being read goes back in the queue at its next page."""
        with self._guard:
            consumer, self._consumer = self._consumer, None
        if consumer is not None:
            self._stopping.set()
            consumer.stop_flag.set()
            for _, thread in consumer.worker_threads:
                thread.join(timeout)
            consumer.scheduler.join(timeout)
        self.huey.storage.close()

    # -- the work ------------------------------------------------------------------------
    def _run(self, job_id: str) -> None:
        job = jobs.claim(self.settings, job_id)
        if job is None:
            return                  # done, failed, removed, or running elsewhere
        try:
            self.read(job)
        except Stopped:
            jobs.requeue(job)
        except Exception:           # a bug, not the file: said as such, logged in full
            log.exception("job %s failed", job_id)
            self._failed(job, Message("an unexpected error stopped the reading; the server log says more"))

    def _failed(self, job: jobs.Job, message: str) -> None:
        jobs.fail(job, message)
        audit.record(self.settings, job.user, "scan-failed", None, job=job.id, file=job.filename, problem=str(message))

    def read(self, job: jobs.Job) -> None:
        """Read the job's file (OCR, then the intake's checks and extraction) into a draft."""
        data = job.input_path.read_bytes()

        def progress(done: int, pages: int) -> None:
            if self._stopping.is_set():
                raise Stopped()
            jobs.progress(job, done, pages)

        try:
            intake = take_in(self.settings, self.index, data, "upload" + job.claim,
                             given={"status": "published"}, default_type=job.type,
                             ocr=OcrOptions(language=job.language, progress=progress))
        except (FormatError, PublishError) as exc:
            self._failed(job, exc.args[0] if exc.args else str(exc))
            return
        draft = keep_draft(self.settings, job.user, intake, job.filename, data)
        jobs.finish(job, draft.token)
