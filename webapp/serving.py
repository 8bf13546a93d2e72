"""Serving the web app with Waitress, in one process or in several.

Several worker processes share one listening socket, opened before they start: the
kernel gives each connection to one of them. Each worker builds its own app once it is
forked, so no thread, open index or spaCy model crosses a fork. With tantivy the workers
share the index through the page cache (its segments are memory-mapped); Whoosh copies
its index into each searcher, so with Whoosh one process is the right number.
"""
from __future__ import annotations

import os
import signal
import socket
import sys
from typing import Callable

from waitress import serve

from kb.config import Settings


def serve_app(settings: Settings, host: str, port: int, threads: int = 8, workers: int = 1,
              say: Callable[[str], None] = print, **options) -> None:
    """Serve until interrupted (SIGINT, SIGTERM): ``workers`` processes of ``threads``
    threads each. ``options``: more Waitress settings."""
    from . import create_app

    if workers <= 1:
        serve(create_app({"KB_SETTINGS": settings}), host=host, port=port, threads=threads, **options)
        return
    _prepare(settings, say)
    listener = socket.create_server((host, port), backlog=1024)
    children: list[int] = []

    def stop(signum, frame) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(workers):
            pid = os.fork()
            if pid == 0:                       # a worker: its own app on the shared socket
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
                status = 0
                try:
                    serve(create_app({"KB_SETTINGS": settings}), sockets=[listener],
                          threads=threads, **options)
                except BaseException:          # noqa: BLE001 — reported, then the worker ends
                    import traceback
                    traceback.print_exc()
                    status = 1
                finally:
                    sys.stderr.flush()
                    os._exit(status)
            children.append(pid)
        for pid in children:
            _wait(pid)
    finally:
        stop(None, None)
        listener.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _prepare(settings: Settings, say: Callable[[str], None]) -> None:
    """What the workers would otherwise all do at once: rebuild an index that another
    engine built (``kb.sync.open_current_index``) and compile the dictionary into the
    data folder (``kb.translation``), in a process of its own so that this one starts no
    engine thread before it forks."""
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            from indexer.extract.gazetteer import use_data_folder
            from kb.sync import open_current_index
            from kb.translation import load_translator
            use_data_folder(settings.data_dir)
            open_current_index(settings, say=say).close()
            load_translator(settings.data_dir)
        except BaseException:                  # noqa: BLE001 — reported, then the process ends
            import traceback
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    if _wait(pid) != 0:
        raise RuntimeError("preparing the index failed (see above)")


def _wait(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status)
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0
