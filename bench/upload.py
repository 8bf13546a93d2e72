"""Upload → searchable: a staff member adds a 20-page PDF to an index of generated
documents, reviews what was extracted and publishes; how long until search finds it. Then
the same for a scanned 20-page PDF, read by OCR in the background.

In-process, through the web app's own routes (Flask test client, CSRF tokens and all),
on a copy of the query benchmark's index. The first upload after start-up loads the
spaCy model and is reported apart. Baseline in the same run: the same text inserted into
a copy of the SQLite FTS5 database and committed, then matched.
"""
from __future__ import annotations

import io
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Sequence

from kb.config import load_settings
from kb.index import EMBEDDED_ENGINES
from kb.search import SearchRequest, search

from . import corpus
from .indexes import BuiltIndex, fts_index, query_index
from .report import Spread, Table, ratio

SCAN_TIMEOUT = 600          # seconds a 20-page scan may take to be read
LINES_PER_PAGE = 40
LINE_CHARACTERS = 90


def pdf_pages(number: int, pages: int) -> tuple[list[str], str]:
    """``pages`` pages of generated French text, and a word found only in
    them (on the last page): each run's PDF is new to the index."""
    marker = "zorblax" + "".join("abcdefghij"[int(d)] for d in str(number))
    wanted = pages * LINES_PER_PAGE - 1
    lines, line = [], ""
    start = 10_000_000 + number * 1_000     # far beyond the indexed documents
    while len(lines) < wanted:
        (doc,) = corpus.documents(start + 1, start=start)
        start += 1
        if doc["language"] != "fr":
            continue    # one language, as a real guide
        for word in re.sub(r"[#*_>`|-]", " ", doc["body"]).split():
            if len(line) + len(word) >= LINE_CHARACTERS:
                lines.append(line)
                line = ""
            line = f"{line} {word}".strip()
    # Helvetica in a hand-made PDF: Windows-1252 text only
    lines = [text.encode("cp1252", "replace").decode("cp1252") for text in lines]
    lines = lines[:wanted] + [f"Contact: {marker}."]
    return ["\n".join(lines[i:i + LINES_PER_PAGE]) for i in range(0, len(lines), LINES_PER_PAGE)], marker


def _staff_client(settings):
    from tests.staff_support import AuthActions   # the tests' login helper: CSRF tokens from the forms
    from webapp import create_app

    app = create_app({"KB_SETTINGS": settings, "TESTING": True})
    client = app.test_client()
    auth = AuthActions(app, client)
    auth.create("bench")
    response = auth.login("bench")
    if response.status_code != 303:
        raise RuntimeError(f"bench login failed: HTTP {response.status_code}")
    return app, auth


def _form_values(html: str) -> dict[str, str]:
    import html as html_module

    values = {name: html_module.unescape(value) for name, value in
              re.findall(r'name="(title|type|language|date|organisations|source_url|translation_key)"'
                         r'[^>]*value="([^"]*)"', html)}
    text = re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>', html, re.S)
    values["text"] = html_module.unescape(text.group(1)) if text else ""
    return values


def _send(auth, pdf: bytes) -> str:
    response = auth.post("/staff/add", {"file": (io.BytesIO(pdf), "report.pdf"), "type": "guide"},
                         content_type="multipart/form-data")
    if response.status_code != 303:
        raise RuntimeError(f"upload refused: HTTP {response.status_code}")
    return response.headers["Location"]


def add_pdf(auth, store, pdf: bytes, marker: str) -> dict[str, float]:
    """Upload, review, publish, search: the seconds of each step, and the document found."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    location = _send(auth, pdf)
    times["upload"] = time.perf_counter() - started
    return _review_publish_find(auth, store, location, marker, times)


def add_scan(auth, store, pdf: bytes, marker: str) -> dict[str, float]:
    """Upload a scanned PDF (back at once, on its job's page), wait for its job to read it
    (OCR, the intake's extraction), then review, publish, search."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    location = _send(auth, pdf)
    times["upload"] = time.perf_counter() - started
    if not location.startswith("/staff/jobs/"):
        raise RuntimeError(f"the scan was not queued: {location}")
    started = time.perf_counter()
    while (response := auth.client.get(location)).status_code == 200:
        if time.perf_counter() - started > SCAN_TIMEOUT:
            raise RuntimeError(f"the scan was not read in {SCAN_TIMEOUT} s: {location}")
        time.sleep(0.2)
    times["OCR"] = time.perf_counter() - started
    location = response.headers["Location"]
    if not location.startswith("/staff/uploads/"):
        raise RuntimeError(f"the scan's job failed: {auth.client.get(location).get_data(as_text=True)[:500]}")
    return _review_publish_find(auth, store, location, marker, times)


def _review_publish_find(auth, store, location: str, marker: str, times: dict[str, float]) -> dict[str, float]:
    started = time.perf_counter()
    html = auth.client.get(location).get_data(as_text=True)
    times["review"] = time.perf_counter() - started
    form = {"action": "publish", "status": "published", **_form_values(html)}
    form["type"] = "guide"
    started = time.perf_counter()
    response = auth.post(location, form)
    if response.status_code != 303:
        raise RuntimeError(f"publish refused: HTTP {response.status_code}")
    times["publish"] = time.perf_counter() - started
    started = time.perf_counter()
    hits = search(store, SearchRequest(query=marker, expand=False)).hits
    times["search"] = time.perf_counter() - started
    if not hits:
        raise RuntimeError(f"the published PDF is not found by {marker!r}")
    return times


def fts_add(path: Path, text: str, marker: str) -> float:
    """Seconds to insert ``text`` into the FTS5 copy at ``path``, commit, and match it."""
    started = time.perf_counter()
    db = sqlite3.connect(path)
    with db:
        db.execute("INSERT INTO docs(title, body) VALUES (?, ?)", ("report", text))
    found = db.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (marker,)).fetchall()
    db.close()
    if not found:
        raise RuntimeError("FTS5 did not find the inserted text")
    return time.perf_counter() - started


def run(docs: int = 10_000, pages: int = 20, runs: int = 3, built: BuiltIndex | None = None,
        scans: bool = True, engines: Sequence[str] = EMBEDDED_ENGINES) -> list[Table]:
    """One row per engine (``built``: that index only), and FTS5's; then (``scans``, when
    OCR is installed) the scanned PDF's table, with the first engine."""
    from indexer.formats import ocr

    scans = scans and ocr.missing() is None
    steps = ("upload", "review", "publish", "search")
    table = Table("upload", f"Upload → searchable: a {pages}-page PDF added by staff to {docs:,} "
                  f"documents (seconds; median (min–max) of {runs} runs)",
                  ["engine", "runs", *steps, "total", "vs FTS5"])
    documents = [pdf_pages(n, pages) for n in range(runs + 1)]
    with tempfile.TemporaryDirectory(prefix="kb-bench-upload-") as tmp:
        shutil.copy(fts_index(docs, root=built.root if built else None).path,
                    Path(tmp) / "fts.sqlite")
        fts = [fts_add(Path(tmp) / "fts.sqlite", "\n".join(text), marker) for text, marker in documents[1:]]
    fts_spread = Spread.of(fts)
    scan_table = None
    for number, engine in enumerate([built.engine] if built else engines):
        measured, first, scanned = _engine_run(built or query_index(docs, engine), documents,
                                               scans=scans and number == 0, pages=pages, docs=docs)
        scan_table = scan_table or scanned
        totals = Spread.of([sum(m.values()) for m in measured])
        table.add(f"{engine} (web app)", runs, *(Spread.of([m[s] for m in measured]).text(2) for s in steps),
                  totals.text(2), ratio(totals.median, fts_spread.median),
                  engine=engine, steps={s: [m[s] for m in measured] for s in steps},
                  totals=[sum(m.values()) for m in measured], first=first)
        table.notes.append(f"{engine}: first upload after start-up (loads the spaCy model for the "
                           f"preview): {sum(first.values()):.2f} s "
                           f"({', '.join(f'{s} {first[s]:.2f}' for s in steps)})")
    table.add("SQLite FTS5 (insert, commit, match; no extraction)", runs, "–", "–", "–", "–",
              fts_spread.text(3), "1.0×", engine="fts5", seconds=fts)
    table.notes.append(
        "upload: the file's type sniffed, text read from the PDF (PDFium), language detected; "
        "review: the form with the extraction preview (cities, dates, commitments); publish: "
        "the corpus file written atomically with the PDF beside it, extracted and indexed (one "
        "commit); search: the first search that finds it (tantivy: its reader reloaded; Whoosh: "
        "a new searcher and the new segment's arrays)")
    return [table, scan_table] if scan_table else [table]


def _engine_run(built: BuiltIndex, documents, scans: bool = False, pages: int = 20, docs: int = 0
                ) -> tuple[list[dict[str, float]], dict[str, float], Table | None]:
    """The first upload (spaCy loads), and the measured ones, on a copy of ``built``; then
    (``scans``) the scanned PDF's table."""
    from tests.staff_support import pdf_bytes

    with tempfile.TemporaryDirectory(prefix="kb-bench-upload-") as tmp:
        root = Path(tmp)
        shutil.copytree(built.settings.index_dir, root / "data" / "index")
        (root / "corpus").mkdir()
        settings = load_settings({"corpus_dir": root / "corpus", "data_dir": root / "data",
                                  "engine": built.engine}, environ={})
        app, auth = _staff_client(settings)
        try:
            store = app.extensions["kb"].index
            search(store, SearchRequest(query="ville"))            # a served index is warm
            first = add_pdf(auth, store, pdf_bytes(documents[0][0]), documents[0][1])
            measured = [add_pdf(auth, store, pdf_bytes(text), marker) for text, marker in documents[1:]]
            scan_table = scan(auth, store, pages, docs, built.engine) if scans else None
        finally:
            app.extensions["kb"].close()          # its job thread stops before the folder goes
    return measured, first, scan_table


def scan(auth, store, pages: int, docs: int, engine: str) -> Table:
    """One scanned PDF of ``pages`` pages through the web app (the text-layer PDFs before
    it have loaded spaCy): seconds to searchable, pages/s, memory."""
    import resource

    from tests.scans import image_bytes

    from .ocr import tesseract_peak_mb

    texts, marker = pdf_pages(1234, pages)          # "zorblaxbcde": no j, which OCR may read as "]"
    pdf = image_bytes(texts, "PDF", size=22, width=LINE_CHARACTERS, bilevel=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = add_scan(auth, store, pdf, marker)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps = ("upload", "OCR", "review", "publish", "search")
    table = Table("upload-scan", f"Upload → searchable: a scanned {pages}-page PDF (no text layer) added by staff "
                  f"to {docs:,} documents ({engine}; seconds)",
                  ["pages", *steps, "total", "pages/s (OCR)", "peak memory (app / tesseract)"])
    total = sum(times.values())
    table.add(pages, *(f"{times[s]:.2f}" for s in steps), f"{total:.1f}", f"{pages / times['OCR']:.2f}",
              f"{after:.0f} MB ({after - before:+.0f}) / {tesseract_peak_mb():.0f} MB",
              pages=pages, seconds=times, total=total, rss_mb=after, rss_growth_mb=after - before,
              engine=engine)
    table.notes += [
        f"pages: A4 at 200 dpi, {LINES_PER_PAGE} lines of generated French text (DejaVu Sans 10.5 pt), turned "
        f"0.8°, 0.4% of pixels flipped, black and white (CCITT G4); {len(pdf) / 1e6:.1f} MB",
        "upload: the page comes back at once, on the job's page; OCR: until the job is done (Tesseract page by "
        "page in the app's worker thread, then the intake: language, duplicates, extraction preview); then "
        "review, publish and search as for a text PDF; found by a word that is only on its last page",
        "peak memory: the app's process (its growth during the scan), and one page's tesseract process",
    ]
    return table
