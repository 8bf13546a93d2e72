"""Nothing lost, nothing half-done: many staff publishing at once beside a `kb index`
process, and `kb index` killed (SIGKILL, with its worker processes) at several points of
a run on a generated corpus."""
from __future__ import annotations

import hashlib
import html as html_module
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.corpus import list_documents, load_records
from kb.check import check
from kb.index import Index, open_index
from kb.search import SearchRequest, search
from kb.sync import sync_index
from tests.conftest import engine_environment
from tests.staff_support import AuthActions

KB = str(Path(sys.executable).with_name("kb"))
WORDS = ("ville maires jeunesse prévention dialogue quartier écoles sport culture formation "
         "associations citoyens haine solidarité médiation laïcité réseau observatoire").split()


def kb_command(settings, *args) -> list[str]:
    return ["env", *(f"{k}={v}" for k, v in engine_environment(settings).items()), KB,
            "--corpus", str(settings.corpus_dir),
            "--data", str(settings.data_dir), *args]


def token(n: int) -> str:
    """A word found in one generated document only, far (in letters) from every other
    such word, so that search's typo tolerance never takes one for another."""
    digest = hashlib.sha256(str(n).encode()).digest()
    return "zq" + "".join("bcdfghjklmnpqrstvwxz"[b % 20] for b in digest[:10])


def generated_body(n: int, rng: random.Random) -> str:
    sentences = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(4)]
    return f"Document {token(n)}.\n\n" + " ".join(sentences)


def write_generated(corpus, numbers, seed=7) -> None:
    rng = random.Random(seed)
    for n in numbers:
        corpus.make_document(generated_body(n, rng), id=f"gen-{n:04d}", title=f"Document généré {n}",
                             path=f"generated/gen-{n:04d}.md", type="report")


def ids_of(store: Index) -> set[str]:
    return {doc.id for doc in store.indexed().values()}


def hits(store: Index, query: str) -> list[str]:
    return [h.id for h in search(store, SearchRequest(query=query, expand=False, page_size=50)).hits]


# -- concurrent publishing ----------------------------------------------------------------
THREADS = 6
PER_THREAD = 2


def publish_through_the_web(app, worker: int, results: list, errors: list) -> None:
    client = app.test_client()
    auth = AuthActions(app, client)
    try:
        assert auth.login().status_code == 303
        for k in range(PER_THREAD):
            n = 1000 + worker * 10 + k
            text = (f"Déclaration {token(n)} de la ville\n\nLes maires se sont réunis pour la "
                    f"séance {n}. Nous nous engageons à soutenir la médiation dans les quartiers.")
            response = auth.post("/staff/add", {"text": text, "type": "declaration"},
                                 content_type="multipart/form-data")
            assert response.status_code == 303, response.status_code
            location = response.headers["Location"]
            page = client.get(location).get_data(as_text=True)
            form = {name: html_module.unescape(value) for name, value in
                    re.findall(r'<input[^>]*name="(title|language|date)"[^>]*value="([^"]*)"', page)}
            response = auth.post(location, {**form, "action": "publish", "type": "declaration",
                                            "status": "published", "organisations": "", "text": text})
            assert response.status_code == 303, (response.status_code, re.findall(
                r'role="alert">(.*?)</', response.get_data(as_text=True), re.S), form)
            results.append((n, response.headers["Location"].rsplit("/", 1)[1]))
    except BaseException as exc:   # noqa: BLE001 — reported by the test
        errors.append(exc)


@pytest.mark.every_engine
def test_concurrent_publishing_beside_kb_index_loses_nothing(app, corpus, index, settings, store):
    from kb.users import UserStore

    UserStore.for_settings(settings).add("alice", "correct horse battery staple")
    write_generated(corpus, range(20))
    index()                                  # extracted once here; the cache serves kb index
    write_generated(corpus, range(20, 40))   # work for the kb index process
    index_runs: list[int] = []
    stop = threading.Event()

    def run_kb_index():
        while not stop.is_set() or not index_runs:
            done = subprocess.run(kb_command(settings, "index"), capture_output=True, text=True,
                                  env={**os.environ, "KB_INDEX_LOCK_TIMEOUT": "120"}, timeout=300)
            index_runs.append(done.returncode)

    indexer = threading.Thread(target=run_kb_index)
    indexer.start()
    results: list = []
    errors: list = []
    workers = [threading.Thread(target=publish_through_the_web, args=(app, w, results, errors))
               for w in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    stop.set()
    indexer.join(timeout=300)
    assert errors == []
    assert len(results) == THREADS * PER_THREAD
    assert index_runs and set(index_runs) == {0}
    published = {doc_id for _, doc_id in results}
    assert len(published) == len(results)                       # every one its own file
    files = {p.name for p in settings.corpus_dir.glob("declaration/*.md")}
    assert len(files) == len(results)
    fresh = open_index(settings)                     # what a new process sees
    try:
        assert published | {f"gen-{n:04d}" for n in range(40)} == ids_of(fresh)
        for n, doc_id in results:
            assert hits(fresh, token(n)) == [doc_id]
    finally:
        fresh.close()
    assert check(settings, store).ok


# -- kb index killed mid-run --------------------------------------------------------------
BEFORE = range(0, 110)          # indexed and committed: the last good state
AFTER_ADDED = range(110, 240)   # new files the killed run was indexing
CHANGED = range(0, 10)
DELETED = range(100, 110)


@pytest.fixture
def interrupted_corpus(corpus, settings, store):
    """A data folder whose index holds BEFORE, a corpus that wants AFTER, and the
    extraction cache warm for both (extraction is not what is tested here)."""
    write_generated(corpus, BEFORE)
    sync_index(settings, store)
    store.close()
    write_generated(corpus, AFTER_ADDED)
    rng = random.Random(99)
    for n in CHANGED:
        path = corpus.root / f"generated/gen-{n:04d}.md"
        path.write_text(path.read_text() + f"\nAjout {token(5000 + n)} {rng.choice(WORDS)}.\n")
    for n in DELETED:
        (corpus.root / f"generated/gen-{n:04d}.md").unlink()
    load_records(list_documents(corpus.root), corpus.root, cache_dir=settings.cache_dir)
    template = settings.data_dir.with_name("data-template")
    shutil.copytree(settings.data_dir, template)
    before = {f"gen-{n:04d}" for n in BEFORE}
    after = {f"gen-{n:04d}" for n in (*BEFORE, *AFTER_ADDED)} - {f"gen-{n:04d}" for n in DELETED}
    return template, before, after


def start_kb_index(settings) -> subprocess.Popen:
    # A session of its own, so that SIGKILL reaches the writer's worker processes too.
    return subprocess.Popen(kb_command(settings, "index"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=60)


def writer_started(index_dir: Path, known: set[str]) -> bool:
    return any(name not in known for name in os.listdir(index_dir))


@pytest.mark.every_engine
def test_kb_index_killed_mid_run_leaves_the_last_good_state_and_the_next_run_completes(
        index_files, interrupted_corpus, settings, tmp_path):
    """On each engine with an index folder (copied for each kill point; a cluster's
    faults are tests/typesense/test_faults.py's)."""
    template, before, after = interrupted_corpus
    # An uninterrupted run, timed: the kill points are spread over it.
    run_settings = settings.replace(data_dir=tmp_path / "data-full")
    shutil.copytree(template, run_settings.data_dir)
    started = time.monotonic()
    done = subprocess.run(kb_command(run_settings, "index"), capture_output=True, text=True, timeout=300)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "130 added, 10 updated, 10 removed" in done.stdout

    seen = []
    # Killed while writing (the writer's first files appeared, then a little later), and
    # at fractions of a whole run (reading, extraction from the cache, writing, committing).
    kill_points = [("writing", 0.0), ("writing", 0.08), ("time", 0.5), ("time", 0.8)]
    for number, (kind, delay) in enumerate(kill_points):
        point = settings.replace(data_dir=tmp_path / f"data-kill-{number}")
        shutil.copytree(template, point.data_dir)
        known = set(os.listdir(point.index_dir))
        process = start_kb_index(point)
        started = time.monotonic()
        if kind == "writing":
            while not writer_started(point.index_dir, known) and process.poll() is None:
                time.sleep(0.002)
            time.sleep(delay)
        else:
            time.sleep(delay * duration)
        kill_group(process)
        elapsed = time.monotonic() - started

        store = open_index(point.replace(index_lock_timeout=10))
        try:
            ids = ids_of(store)
            assert ids in (before, after), f"a half-written index after a kill at {elapsed:.2f}s"
            state = "before" if ids == before else "after"
            seen.append((kind, delay, round(elapsed, 2), state, process.returncode))
            # Search works on the state it has.
            assert hits(store, token(50)) == ["gen-0050"]
            assert hits(store, token(150)) == ([] if state == "before" else ["gen-0150"])
        finally:
            store.close()

        # The next run completes the job.
        rerun = subprocess.run(kb_command(point, "index"), capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        store = open_index(point)
        try:
            assert ids_of(store) == after
            assert hits(store, token(150)) == ["gen-0150"]
            assert hits(store, token(5003)) == ["gen-0003"]          # the changed text
            assert hits(store, token(105)) == []                     # the deleted file
            assert check(point, store).ok
        finally:
            store.close()
    print("kill points (kind, delay, elapsed s, state found, return code):", seen,
          f"uninterrupted run {duration:.2f}s")
    assert any(state == "before" for *_, state, _ in seen), seen      # killed before its commit
    assert any(code == -signal.SIGKILL for *_, code in seen), seen     # and really killed


def test_language_detection_from_many_threads_at_once():
    """langdetect is not thread-safe (lazy profile loading, a shared random): every
    detection takes one lock. In a fresh process, where the profiles are not loaded."""
    script = (
        "import threading\n"
        "from indexer.language import detect_language\n"
        "text = 'Les maires se sont réunis. Nous nous engageons à soutenir la médiation.'\n"
        "found = []\n"
        "threads = [threading.Thread(target=lambda: found.append(detect_language(text))) for _ in range(8)]\n"
        "[t.start() for t in threads]\n[t.join() for t in threads]\n"
        "print(' '.join(found))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["fr"] * 8, done.stdout + done.stderr
