"""Large batches in two processes: extraction is CPU-bound and the machine has two cores.

Workers are forked from this process once it has loaded the models and data, so they
start in milliseconds and share those pages until they write to them. Forking is safe
only while no other thread runs (a lock another thread holds would stay locked in the
child), so a threaded caller (the web app) extracts in its own process; so does a small
batch (a web upload of one document), which would not repay the processes.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Sequence, TypeVar

PROCESSES = 2
# A batch this large (about 30,000 words, a few seconds in one process) gets PROCESSES.
MIN_CHARS = 200_000
# Documents per task, at most: small tasks keep both processes busy to the end.
MAX_CHUNK = 8

Item = TypeVar("Item")
Result = TypeVar("Result")


def can_fork() -> bool:
    """Whether worker processes can be forked safely from here."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def usable_processes(items: Sequence, wanted: int | None) -> int:
    """How many processes extract ``items``: ``wanted``, or by default PROCESSES for a
    large batch on a machine with as many cores; one whenever forking is not safe."""
    if wanted is None:
        large = len(items) > 1 and sum(len(item.text) for item in items) >= MIN_CHARS
        wanted = min(PROCESSES, os.cpu_count() or 1) if large else 1
    return wanted if wanted > 1 and can_fork() else 1


def chunks(items: Sequence[Item], processes: int) -> list[list[int]]:
    """Positions of ``items`` in tasks of one language each (``item.language``), about
    four tasks per process and at most MAX_CHUNK documents a task.

    >>> from indexer.extract import ExtractInput
    >>> chunks([ExtractInput("a", "fr"), ExtractInput("b", "en"), ExtractInput("c", "fr")], 2)
    [[1], [0], [2]]
    """
    size = max(1, min(MAX_CHUNK, len(items) // (processes * 4)))
    out: list[list[int]] = []
    for language in sorted({item.language for item in items}):
        numbers = [n for n, item in enumerate(items) if item.language == language]
        out += [numbers[i:i + size] for i in range(0, len(numbers), size)]
    return out


def map_in_processes(extract: Callable[[list[Item]], list[Result]], items: Sequence[Item],
                     processes: int, prepare: Callable[[], None]) -> list[Result]:
    """``extract(items)`` split over ``processes`` forked workers, results in order.

    ``prepare`` loads, in this process and before forking, what every worker needs.
    ``extract`` must be a module-level function (workers find it by name).
    """
    prepare()
    tasks = chunks(items, processes)
    results: list[Result | None] = [None] * len(items)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        done = pool.map(extract, [[items[n] for n in task] for task in tasks], chunksize=1)
    for task, found in zip(tasks, done):
        for number, result in zip(task, found):
            results[number] = result
    return results  # type: ignore[return-value]
