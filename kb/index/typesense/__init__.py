"""The Typesense engine: the knowledge base's documents on a replicated Typesense cluster
(``engine: typesense``). ``engine.py``: the ``Index``; ``schema.py``: a Record to a
Typesense document (analysed terms beside the raw text) and back; ``querying.py``: a
query tree to a filter and ranking terms; ``searching.py``: searches, facets, snippets,
corrections, more like this; ``connection.py``: nodes, key, timeouts and failures;
``cluster.py``: a local cluster of nodes on 127.0.0.1 (``make cluster``, the tests)."""
from .engine import TypesenseIndex

__all__ = ["TypesenseIndex"]
