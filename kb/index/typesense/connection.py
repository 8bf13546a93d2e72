"""The connection to a Typesense cluster: nodes, API key and timeouts from the settings,
and what a failure means to the knowledge base.

Reads go to any node (the official client takes them in turn and skips, for a while, a
node that failed): a dead node costs one connection attempt. Writes reach the leader
(a follower forwards them); while the cluster has none (an election, a majority of
nodes down) Typesense refuses them, and they are retried until
``typesense_write_timeout``, then refused with ``IndexUnavailableError``.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Callable, TypeVar
from urllib.parse import urlsplit

import httpx
import typesense
from typesense import exceptions as ts_errors

from ...config import ConfigError, Settings
from ..interface import IndexUnavailableError

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_PAUSE = 0.25
# What a node answers while it cannot serve (no leader, lagging, starting): try again.
TRANSIENT = (ts_errors.ServerError, ts_errors.ServiceUnavailable, ts_errors.HTTPStatus0Error,
             ts_errors.Timeout, httpx.TransportError)
NotFound = ts_errors.ObjectNotFound
AlreadyExists = ts_errors.ObjectAlreadyExists


class EmptyAnswer(ts_errors.ServiceUnavailable):
    """An import answered with an empty body: a follower that forwarded it to the leader
    returns that when the forwarding fails (seen on three nodes; typesense-python #27).
    Imports upsert, so it is tried again as a node that cannot serve."""


def imported(call: Callable[[], T]) -> T:
    """``call()`` (an import), its empty answer raised as EmptyAnswer."""
    try:
        return call()
    except ts_errors.TypesenseClientError as exc:
        if type(exc) is ts_errors.TypesenseClientError and str(exc).startswith("Invalid response"):
            raise EmptyAnswer(str(exc)) from exc
        raise


def parse_nodes(text: str) -> list[dict[str, Any]]:
    """``host:port,https://host:port`` → the client's node dicts.

    >>> parse_nodes("127.0.0.1:8108, https://search.example.org")
    [{'host': '127.0.0.1', 'port': 8108, 'protocol': 'http'}, {'host': 'search.example.org', 'port': 443, 'protocol': 'https'}]
    """
    nodes = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        url = urlsplit(item if "://" in item else f"http://{item}")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(f"setting 'typesense_nodes': cannot use {item!r} (expected host:port)")
        try:
            port = url.port or (443 if url.scheme == "https" else 8108)
        except ValueError:
            raise ConfigError(f"setting 'typesense_nodes': bad port in {item!r}") from None
        nodes.append({"host": url.hostname, "port": port, "protocol": url.scheme})
    if not nodes:
        raise ConfigError("setting 'typesense_nodes' is empty: name at least one host:port")
    return nodes


def api_key(settings: Settings) -> str:
    """The key from ``typesense_api_key`` (``KB_TYPESENSE_API_KEY``), else from the file."""
    if settings.typesense_api_key:
        return settings.typesense_api_key
    path = Path(settings.typesense_api_key_file or Path(settings.data_dir) / "cluster" / "api-key")
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError:
        key = ""
    if not key:
        raise ConfigError(f"no Typesense API key: set KB_TYPESENSE_API_KEY, or put the key in {path} "
                          "(`make cluster` writes one there for the local cluster)")
    return key


def describe(nodes: list[dict[str, Any]]) -> str:
    return ", ".join(f"{n['protocol']}://{n['host']}:{n['port']}" for n in nodes)


class Connection:
    """One client for the whole process (it keeps connections open, and is thread-safe)."""

    def __init__(self, settings: Settings):
        self.nodes = parse_nodes(settings.typesense_nodes)
        self.timeout = settings.typesense_timeout
        self.write_timeout = settings.typesense_write_timeout
        self.key = api_key(settings)
        self._direct: httpx.Client | None = None      # one connection per node, for on_each_node
        options = {
            "nodes": self.nodes,
            "api_key": self.key,
            "connection_timeout_seconds": self.timeout,
            "num_retries": len(self.nodes),       # each retry goes to the next node
            "retry_interval_seconds": 0.05,
            "healthcheck_interval_seconds": 5,    # a failed node is skipped that long
        }
        # Two clients: a follower that refuses writes while there is no leader would be
        # marked unhealthy, and searches, which it still answers, would skip it.
        self.client = typesense.Client(options)
        self.writer = typesense.Client(options)

    def read(self, call: Callable[[], T]) -> T:
        """``call()`` on any node; IndexUnavailableError when none answers."""
        try:
            return call()
        except TRANSIENT as exc:
            raise self.unavailable(exc) from None

    def write(self, call: Callable[[], T], what: str = "write") -> T:
        """``call()`` (idempotent) retried while the cluster cannot take writes, up to
        ``write_timeout``; then IndexUnavailableError."""
        deadline = time.monotonic() + self.write_timeout
        while True:
            try:
                return call()
            except TRANSIENT as exc:
                if time.monotonic() >= deadline:
                    raise IndexUnavailableError(
                        f"the Typesense cluster ({describe(self.nodes)}) refused the {what} for "
                        f"{self.write_timeout:g}s ({_reason(exc)}): it has no leader, or not enough "
                        "nodes are up. The corpus keeps the file; run `kb index` once the cluster "
                        "is back") from None
                log.warning("Typesense %s failed (%s); retrying", what, _reason(exc))
                time.sleep(RETRY_PAUSE)

    def on_each_node(self, path: str, raw: bool = False) -> list:
        """GET ``path`` from every node itself (not through the client's rotation): each
        node's answer ({} when it has no such thing), None for a node that does not answer."""
        if self._direct is None:
            self._direct = httpx.Client(headers={"X-TYPESENSE-API-KEY": self.key}, timeout=self.timeout)
        out = []
        for node in self.nodes:
            url = f"{node['protocol']}://{node['host']}:{node['port']}{path}"
            try:
                answer = self._direct.get(url)
                if raw:
                    out.append(answer.text if answer.status_code == 200 else "")
                else:
                    out.append(answer.json() if answer.status_code == 200 else {})
            except (httpx.HTTPError, ValueError):
                out.append(None)
        return out

    def unavailable(self, exc: BaseException) -> IndexUnavailableError:
        return IndexUnavailableError(
            f"the Typesense cluster cannot be reached ({describe(self.nodes)}): {_reason(exc)}. "
            "Is it running (`make cluster`), and do typesense_nodes and the API key name it?")

    def close(self) -> None:
        if self._direct is not None:
            self._direct.close()
        for client in (self.client, self.writer):
            closer = getattr(getattr(client, "api_call", None), "close", None)
            if closer is not None:
                closer()


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"
