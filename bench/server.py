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
SERVE = ("import sys; from waitress import serve; from webapp import create_app; "
         "serve(create_app(), host=sys.argv[1], port=int(sys.argv[2]), threads=int(sys.argv[3]), "
         "connection_limit=200, channel_timeout=30, _quiet=True)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """``with Server(settings) as server:`` serves until the block ends.

    ``started_s``: seconds from launching the process to the first search answered.
    """

    def __init__(self, settings: Settings, threads: int = 8, timeout: float = 120.0):
        self.settings = settings
        self.threads = threads
        self.timeout = timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.started_s = float("nan")

    def __enter__(self) -> "Server":
        env = {**os.environ, "KB_DATA_DIR": str(self.settings.data_dir),
               "KB_CORPUS_DIR": str(self.settings.corpus_dir), "KB_CONFIG": os.devnull,
               "PYTHONPATH": str(REPO)}
        # A file, not a pipe: a full pipe would block the server's logging.
        self.log = tempfile.TemporaryFile()
        launched = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, HOST, str(self.port), str(self.threads)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = launched + self.timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the server stopped: " + self.errors())
            try:
                status, _ = self.get("/search?q=ville", timeout=self.timeout)
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"the server did not answer within {self.timeout:g}s")
            time.sleep(0.05)
        self.started_s = time.perf_counter() - launched
        return self

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

    def rss_mb(self) -> float:
        """Resident memory of the server process, in MiB (Linux), or NaN."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, AttributeError):
            pass
        return float("nan")


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """GET ``path`` on a kept-alive connection: (status, body)."""
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()
