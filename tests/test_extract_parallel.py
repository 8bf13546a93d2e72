"""Large batches are extracted in two forked processes, with the same results as in one."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

from indexer.extract import ExtractInput, parallel
from tests.conftest import REPO


def test_two_processes_give_the_same_extractions_in_the_same_order():
    """In a fresh process (forking needs a single thread). French and English gold
    documents mixed: tasks are split by language and put back in the caller's order."""
    script = (
        "from pathlib import Path\n"
        "from indexer.read import read_source\n"
        "from indexer.extract import ExtractInput, extract_batch\n"
        "root = Path('tests/gold/extraction/docs')\n"
        "sources = [read_source(p, root) for p in sorted(root.rglob('*.md'))]\n"
        "items = [ExtractInput(s.text, s.language, s.title, s.meta.get('date')) for s in sources] * 3\n"
        "one = extract_batch(items, processes=1)\n"
        "two = extract_batch(items, processes=2)\n"
        "print(len(items), len({i.language for i in items}), one == two,\n"
        "      sum(len(e.cities) for e in two) > 0)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    count, languages, same, cities = done.stdout.split()
    assert int(count) >= 15 and int(languages) == 2
    assert same == "True" and cities == "True"


def test_small_batches_and_threaded_callers_stay_in_one_process(monkeypatch):
    small = [ExtractInput("Réunis à Paris.", "fr")] * 3
    large = [ExtractInput("x" * parallel.MIN_CHARS, "fr")] * 2
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parallel.usable_processes(small, None) == 1
    assert parallel.usable_processes(large, None) == min(parallel.PROCESSES, os.cpu_count())
    assert parallel.usable_processes(small, 2) == 2
    # a web app has other threads: forking there could copy a held lock into the child
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    assert parallel.usable_processes(large, None) == 1
    assert parallel.usable_processes(small, 2) == 1


def test_tasks_hold_one_language_each_and_cover_every_item():
    items = [ExtractInput(str(n), "fr" if n % 3 else "en") for n in range(50)]
    tasks = parallel.chunks(items, 2)
    assert sorted(n for task in tasks for n in task) == list(range(50))
    assert all(len({items[n].language for n in task}) == 1 for task in tasks)
    assert max(len(task) for task in tasks) <= parallel.MAX_CHUNK
