"""The local Typesense cluster the tests run against (a pytest plugin, named in
``tests/conftest.py``): started once per session on free ports of 127.0.0.1 when a test
asks for it, stopped at the end. Tests marked ``typesense`` use it; ``-m "not typesense"``
skips them."""
from __future__ import annotations

import secrets
import socket

import pytest

from kb.index.typesense.cluster import PORT_STEP, LocalCluster

NODES = 1     # see typesense_cluster


def free_base_port(nodes: int) -> int:
    """An API port p such that p + 10 i and p - 1 + 10 i are free for every node i."""
    for _ in range(200):
        base = 20000 + secrets.randbelow(2000) * PORT_STEP + 8
        ports = [p for i in range(nodes) for p in (base + PORT_STEP * i, base - 1 + PORT_STEP * i)]
        try:
            for port in ports:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports for a Typesense cluster")


class LocalTestCluster(LocalCluster):
    """A LocalCluster, and the settings of one test's own collection on it."""

    def settings_for(self, name: str, **more) -> dict:
        """Settings overrides naming a fresh collection ``name`` on this cluster."""
        return {"engine": "typesense", "typesense_nodes": self.addresses, "typesense_api_key": self.api_key,
                "typesense_collection": name, "typesense_timeout": 2.0, "typesense_write_timeout": 20.0,
                **more}

    def drop_collections(self, prefix: str) -> None:
        """Remove the collections (and the alias) a test made."""
        import typesense
        client = typesense.Client({"nodes": [{"host": "127.0.0.1", "port": n.api_port, "protocol": "http"}
                                             for n in self.nodes],
                                   "api_key": self.api_key, "connection_timeout_seconds": 5})
        try:
            try:
                client.aliases[prefix].delete()
            except Exception:       # noqa: BLE001 — not made, or already gone
                pass
            for collection in client.collections.retrieve():
                if collection["name"].startswith(prefix + "-"):
                    client.collections[collection["name"]].delete()
        finally:
            client.api_call.close()


@pytest.fixture(scope="session")
def typesense_cluster(tmp_path_factory):
    """A one-node cluster for the whole session. The every-engine tests check Typesense's
    answers, not its replication (tests/typesense/test_faults.py runs three nodes of its
    own): on three nodes each write waits for the followers, and they took about four times as
    long."""
    cluster = LocalTestCluster(tmp_path_factory.mktemp("typesense"), NODES, base_port=free_base_port(NODES))
    try:
        cluster.start(wait=90)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def typesense_settings(typesense_cluster):
    """Settings overrides for a collection of this test's own on the session's cluster,
    removed afterwards (tests/conftest.py: EngineCase "typesense")."""
    name = "t" + secrets.token_hex(5)
    yield typesense_cluster.settings_for(name)
    typesense_cluster.drop_collections(name)


@pytest.fixture(scope="module")
def typesense_module_settings(typesense_cluster):
    """As ``typesense_settings``, one collection for a whole module (for fixtures of module
    scope, such as the relevance tests' index)."""
    name = "m" + secrets.token_hex(5)
    yield typesense_cluster.settings_for(name)
    typesense_cluster.drop_collections(name)
