"""The web app served by Waitress in a subprocess on a free loopback port, as in
production (``webapp.create_app`` under Waitress), for HTTP latency and load tests."""
from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb.config import Settings

HOST = "127.0.0.1"   # loopback only: benchmarks never send traffic elsewhere
REPO = Path(__file__).resolve().parent.parent
SERVE = ("import sys; from kb.config import load_settings; from webapp.serving import serve_app; "
         "serve_app(load_settings(), sys.argv[1], int(sys.argv[2]), threads=int(sys.argv[3]), "
         "workers=int(sys.argv[4]), connection_limit=200, channel_timeout=30, _quiet=True)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """``with Server(settings) as server:`` serves until the block ends.

    ``started_s``: seconds from launching the process to the first search answered.
    """

    def __init__(self, settings: Settings, threads: int = 8, timeout: float = 120.0, workers: int = 1):
        self.settings = settings
        self.threads = threads
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.started_s = float("nan")

    def __enter__(self) -> "Server":
        env = {**os.environ, "KB_DATA_DIR": str(self.settings.data_dir),
               "KB_CORPUS_DIR": str(self.settings.corpus_dir), "KB_ENGINE": self.settings.engine,
               "KB_CONFIG": os.devnull, "PYTHONPATH": str(REPO)}
        # A file, not a pipe: a full pipe would block the server's logging.
        self.log = tempfile.TemporaryFile()
        launched = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, HOST, str(self.port), str(self.threads), str(self.workers)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        try:
            self._wait_for_first_answer(launched + self.timeout)
        except BaseException:
            self.__exit__(None, None, None)     # `with` does not, when __enter__ raises
            raise
        self.started_s = time.perf_counter() - launched
        return self

    def _wait_for_first_answer(self, deadline: float) -> None:
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the server stopped: " + self.errors())
            try:
                status, _ = self.get("/search?q=ville", timeout=self.timeout)
                if status == 200:
                    return
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the server did not answer within {self.timeout:g}s")
            time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def errors(self) -> str:
        """The end of what the server wrote to its standard error, without Waitress's
        queue-depth warnings (expected when a load test sends more than it has threads)."""
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").splitlines()
        return "\n".join(line for line in lines if "Task queue depth" not in line)[-4000:]

    def connection(self, timeout: float = 30.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
        """One request on a new connection: (status, body)."""
        conn = self.connection(timeout)
        try:
            return fetch(conn, path)
        finally:
            conn.close()

    def processes(self) -> list[int]:
        """The server's process and its workers."""
        if self.process is None:
            return []
        found = [self.process.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def rss_mb(self) -> float:
        """Resident memory of the server's processes (all its workers), in MiB (Linux), or
        NaN. Pages of the memory-mapped index that several workers share count once per
        worker here; ``pss_mb`` shares them out."""
        return self._memory("/proc/{}/status", "VmRSS:")

    def pss_mb(self) -> float:
        """Proportional set size of the server's processes: shared pages divided among the
        processes that map them, so the sum is what the server really holds."""
        return self._memory("/proc/{}/smaps_rollup", "Pss:")

    def _memory(self, path: str, field: str) -> float:
        total, seen = 0, False
        for pid in self.processes():
            try:
                for line in Path(path.format(pid)).read_text().splitlines():
                    if line.startswith(field):
                        total += int(line.split()[1])
                        seen = True
                        break
            except OSError:
                continue
        return total / 1024 if seen else float("nan")


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """GET ``path`` on a kept-alive connection: (status, body)."""
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()
