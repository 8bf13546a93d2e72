"""Scans uploaded by staff: read (OCR) as background jobs whose state and progress staff
follow, then reviewed and published like any upload; bad scans refused at once with nothing
stored, or failing with the reason; jobs that survive a restart and never run twice."""
from __future__ import annotations

import os

import re
import time

import pytest

from kb import audit, jobs
from kb.background import Background
from kb.cli import cli
from kb.uploads import uploads_dir
from tests.scans import image_bytes
from tests.staff_support import pdf_bytes, publish, upload
from tests.test_ocr import ENGLISH, FRENCH, tesseract  # noqa: F401  (the fixture: skip without OCR)
from tests.test_staff_upload import ids_found, stored_files

pytestmark = pytest.mark.slow      # the review's extraction loads spaCy


@pytest.fixture
def staff(auth):
    auth.login()
    return auth


def finished(settings, job_id: str, timeout: float = 90.0) -> jobs.Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.load(settings, job_id)
        if job is not None and job.state in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job and job.state} after {timeout} s")


def job_id_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    match = re.match(r"^/staff/jobs/([A-Za-z0-9_-]{22})$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def test_a_scan_is_read_in_the_background_reviewed_published_and_found(client, staff, store, settings,
                                                                       monkeypatch):
    states = []
    save = jobs._save
    monkeypatch.setattr(jobs, "_save", lambda job: (states.append((job.state, job.done, job.pages)), save(job)))
    scan = image_bytes([FRENCH, "Fait à Grenoble, signé par le maire : Xylophonique Dupont."], "TIFF")
    job_id = job_id_of(upload(staff, scan, "grenoble.tiff", type="declaration"))
    page = client.get(f"/staff/jobs/{job_id}")
    if page.status_code == 200:                     # still being read: its progress, refreshed
        html = page.get_data(as_text=True)
        assert "<progress" in html and 'http-equiv="refresh"' in html and "grenoble.tiff" in html
    job = finished(settings, job_id)
    assert job.state == "done" and (job.done, job.pages) == (2, 2)
    assert states[0] == ("running", 0, 2) and ("running", 1, 2) in states and states[-1] == ("done", 2, 2)
    assert not job.input_path.exists()                            # the file now lives in its draft
    review = client.get(f"/staff/jobs/{job_id}")
    assert review.status_code == 303 and review.headers["Location"].startswith("/staff/uploads/")
    html = client.get(review.headers["Location"]).get_data(as_text=True)
    assert "Déclaration de Grenoble sur la jeunesse" in html and "Grenoble (France)" in html
    response = publish(staff, review.headers["Location"])
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    assert ids_found(store, "xylophonique") == [doc_id]           # a word only in the image
    assert (settings.corpus_dir / "declaration" / f"{doc_id.removesuffix('-fr')}.fr.tiff").is_file()
    assert jobs.listed(settings) == []
    assert [e["action"] for e in audit.entries(settings)] == ["login", "scan-queued", "upload", "publish"]


def test_the_staff_home_lists_jobs_with_their_progress(client, staff, settings):
    job, new = jobs.create(settings, "alice", b"...", filename="scan <b>.pdf", claim=".pdf", pages=20)
    jobs.progress(job, 7, 20)
    html = client.get("/staff/").get_data(as_text=True)
    assert new and "Scans being read" in html
    assert '<progress max="20" value="7"' in html and "7 / 20 pages" in html
    assert "scan &lt;b&gt;.pdf" in html and "scan <b>.pdf" not in html


def test_the_same_scan_sent_twice_is_one_job(client, staff, app, settings):
    app.extensions["kb"].jobs.start = lambda: None                # the queue is not consumed here
    scan = image_bytes([FRENCH])
    first = job_id_of(upload(staff, scan, "a.png"))
    again = upload(staff, scan, "b.png")
    assert job_id_of(again) == first
    assert "already being read" in client.get(f"/staff/jobs/{first}").get_data(as_text=True)
    assert len(list(jobs.every(settings))) == 1


def test_a_scan_in_which_nothing_can_be_read_fails_saying_why(client, staff, settings):
    job_id = job_id_of(upload(staff, image_bytes(["", ""], "TIFF", noise=0.05), "blank.tiff"))
    job = finished(settings, job_id)
    assert job.state == "failed" and "nothing could be read in the scan" in job.message
    assert not job.input_path.exists() and not any(uploads_dir(settings).glob("*/*"))   # nothing kept
    html = client.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
    assert "It could not be read: nothing could be read in the scan" in html and "being recognised" not in html
    assert "failed" in client.get("/staff/").get_data(as_text=True)
    failed = [e for e in audit.entries(settings) if e["action"] == "scan-failed"]
    assert len(failed) == 1 and "nothing could be read" in failed[0]["detail"]["problem"]
    response = staff.post(f"/staff/jobs/{job_id}/dismiss")
    assert response.status_code == 303 and jobs.load(settings, job_id) is None


@pytest.mark.parametrize("name, make, status, says", [
    ("scan.png", lambda: b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, 422, "not an image"),
    ("scan.tiff", lambda: image_bytes([FRENCH, ENGLISH], "TIFF"), 413, "at most 1 are accepted"),
    ("secret.pdf", lambda: pdf_bytes([""], encrypt=True), 422, "protected by a password"),
])
def test_bad_scans_are_refused_at_once_with_nothing_stored(client, staff, settings, make_app, name, make,
                                                           status, says):
    from tests.staff_support import AuthActions

    app = make_app({"KB_SETTINGS": settings.replace(max_ocr_pages=1), "TESTING": True})
    auth = AuthActions(app, app.test_client())
    auth.create()
    auth.login()
    response = upload(auth, make(), name)
    assert response.status_code == status
    assert says in response.get_data(as_text=True)
    assert stored_files(settings) == [] and list(jobs.every(settings)) == []


def test_a_job_of_an_earlier_process_with_this_ones_id_is_read_again(settings, store):
    """A server restarted in a container is often the same process id as the one that
    stopped: its job is not taken for one running here, and is queued again."""
    earlier, _ = jobs.create(settings, "alice", image_bytes([FRENCH]), filename="a.png", claim=".png", pages=1)
    earlier.state, earlier.worker = "running", f"{os.getpid()}:earlier"
    jobs._save(earlier)
    claimed_here = jobs.claim(settings, jobs.create(settings, "alice", image_bytes([ENGLISH]), filename="b.png",
                                                    claim=".png", pages=1)[0].id)
    assert [job.id for job in jobs.interrupted(settings)] == [earlier.id]
    assert jobs.load(settings, earlier.id).state == "queued"
    assert jobs.load(settings, claimed_here.id).state == "running"      # this process runs it
    assert jobs.remove(settings, claimed_here.id) is False              # a running job stays


def test_jobs_survive_a_restart(settings, store):
    """A job a stopped server left running, and one its queue lost, are read at the next start."""
    running, _ = jobs.create(settings, "alice", image_bytes([FRENCH]), filename="a.png", claim=".png", pages=1)
    lost, _ = jobs.create(settings, "alice", image_bytes([ENGLISH]), filename="b.png", claim=".png", pages=1)
    running.state, running.worker = "running", f"{2 ** 22 + 12345}:gone"   # no such process
    jobs._save(running)
    background = Background(settings, store)
    try:
        assert sorted(background.recover()) == sorted([running.id, lost.id])
        background.start()
        assert finished(settings, running.id).state == "done"
        assert finished(settings, lost.id).state == "done"
    finally:
        background.stop()


def test_a_job_is_claimed_once(settings):
    job, _ = jobs.create(settings, "alice", b"...", filename="a.pdf", claim=".pdf", pages=1)
    assert jobs.claim(settings, job.id).state == "running"
    assert jobs.claim(settings, job.id) is None


def test_kb_add_shows_the_progress_of_a_scan(settings, tmp_path):
    from click.testing import CliRunner

    path = tmp_path / "scan.png"
    path.write_bytes(image_bytes([FRENCH]))
    result = CliRunner().invoke(cli, ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir),
                                      "add", str(path), "--yes", "--type", "declaration", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Recognising the scan (OCR)" in result.stderr
    assert "image/png, 1 pages, 1 recognised by OCR" in result.stdout
    assert (settings.corpus_dir / "declaration" / "declaration-de-grenoble-sur-la-jeunesse.fr.png").is_file()


def test_without_ocr_the_add_page_says_so_and_a_scan_is_refused(client, staff, settings, monkeypatch):
    from indexer.formats import ocr

    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset())
    assert "cannot be read on this server" in client.get("/staff/add").get_data(as_text=True)
    response = upload(staff, image_bytes([FRENCH]), "scan.png")
    assert response.status_code == 422
    assert "sudo apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng" in response.get_data(as_text=True)
    assert stored_files(settings) == [] and list(jobs.every(settings)) == []


def test_a_job_whose_server_was_killed_is_read_at_the_next_start(settings, store, tmp_path):
    """A real process reading a scan is killed (SIGKILL) after its first page; the next
    process to start the queue reads the scan from its first page, to the end."""
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import REPO

    scan = tmp_path / "scan.tiff"
    scan.write_bytes(image_bytes([FRENCH, ENGLISH, FRENCH, ENGLISH], "TIFF"))
    child = subprocess.Popen([sys.executable, "-c", f"""
import time
from pathlib import Path
from kb.background import Background
from kb.config import load_settings
from kb.index import open_index
settings = load_settings({{"corpus_dir": {str(settings.corpus_dir)!r}, "data_dir": {str(settings.data_dir)!r}}}, environ={{}})
background = Background(settings, open_index(settings))
background.submit("alice", Path({str(scan)!r}).read_bytes(), filename="scan.tiff", claim=".tiff", pages=4)
time.sleep(600)
"""], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = next(iter(jobs.every(settings)), None)
            if job is not None and job.done >= 1:
                break
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    job = jobs.load(settings, job.id)
    assert job.state == "running" and 1 <= job.done < 4            # left half-read
    background = Background(settings, store)
    try:
        background.start_if_waiting()
        job = finished(settings, job.id)
    finally:
        background.stop()
    assert (job.state, job.done, job.pages) == ("done", 4, 4)


def test_done_jobs_are_forgotten_after_a_week(settings):
    old, _ = jobs.create(settings, "alice", b"old", filename="a.pdf", claim=".pdf", pages=1)
    recent, _ = jobs.create(settings, "alice", b"new", filename="b.pdf", claim=".pdf", pages=1)
    for job in (old, recent):
        jobs.finish(job, "U" * 22)
    old.updated = "2020-01-01T00:00:00+00:00"
    jobs.atomic_write(old.folder / jobs.JOB_FILE, old.to_json())
    assert jobs.prune(settings) == [old.id]
    assert [job.id for job in jobs.every(settings)] == [recent.id]
