"""One index generation as arrays: live documents, field lengths, sort codes, facet
columns, and posting lists read block by block.

This is the code that reads whoosh-reloaded 2.7.5's posting blocks and length columns
directly (``_terms``, ``_perdoc`` and the block reads of its leaf matchers);
tests/test_scoring.py checks the scores built on them against Whoosh's own.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import _length_byte_cache

from .facets import FacetColumn

_BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float64)


class Generation:
    """Arrays of one index generation (one searcher), each built on first use and kept:
    which documents are live, every document's field lengths (as a search engine keeps
    its norms in memory), sort codes and facet columns. Postings are read per query."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.leaves = list(searcher.leaf_searchers())
        self.live = np.zeros(self.size, dtype=bool)
        self.live[list(searcher.reader().all_doc_ids())] = True
        self._lengths: dict[str, np.ndarray] = {}
        self._codes: dict[str, np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}
        self._facets: dict[str, FacetColumn] = {}

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in ``field`` as Whoosh stores it (one byte, decoded)."""
        found = self._lengths.get(field)
        if found is None:
            codes = np.zeros(self.size, dtype=np.int64)
            for leaf, offset in self.leaves:
                column = leaf.reader()._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                if column is not None:
                    count = leaf.doc_count_all()
                    codes[offset:offset + count] = np.fromiter(
                        (column[d] for d in range(count)), dtype=np.int64, count=count)
            found = _BYTE_TO_LENGTH[codes]
            found[codes == 0] = 1.0     # Whoosh's default for a document without the field
            self._lengths[field] = found   # a race only computes the same array twice
        return found

    def values(self, name: str, column: list[tuple[str, ...]]) -> np.ndarray:
        """A one-value-per-document column as an array ("" where a document has none)."""
        found = self._values.get(name)
        if found is None:
            found = self._values[name] = np.asarray([v[0] if v else "" for v in column], dtype=object)
        return found

    def codes(self, name: str, column: list[tuple[str, ...]]) -> np.ndarray:
        """Integer codes in the order of a one-value-per-document column (``column[d]`` is
        ``(value,)`` or ``()``): equal values share a code, a missing value is -1."""
        found = self._codes.get(name)
        if found is None:
            values = self.values(name, column)
            _, codes = np.unique(values, return_inverse=True)
            found = np.where(values == "", -1, codes).astype(np.int64)
            self._codes[name] = found
        return found

    def facet(self, name: str, column: list[tuple[str, ...]]) -> FacetColumn:
        """The facet column ``name`` built from the generation's value table ``column``."""
        found = self._facets.get(name)
        if found is None:
            found = self._facets[name] = FacetColumn.of(column)
        return found

    def postings(self, field: str, text: bytes, values: bool = False) -> Postings:
        """A term's postings on live documents (empty when the index lacks the term);
        with ``values``, each posting's encoded value too (positions, for phrases)."""
        ids: list[int] = []
        weights: list[float] = []
        encoded: list[bytes] = []
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            if (field, text) not in reader:
                continue
            matcher = reader._terms.matcher(field, text, reader.schema[field].format)
            while matcher.is_active():     # one block of postings at a time
                matcher._read_ids()
                matcher._read_weights()
                ids.extend(d + offset for d in matcher._ids)
                weights.extend(matcher._weights)
                if values:
                    matcher._read_values()
                    encoded.extend(matcher._values)
                matcher._next_block()
        id_array = np.asarray(ids, dtype=np.int64)
        keep = self.live[id_array] if len(id_array) else np.zeros(0, dtype=bool)
        kept_values = [v for v, k in zip(encoded, keep) if k] if values else []
        return Postings(id_array[keep], np.asarray(weights, dtype=np.float64)[keep], kept_values)


@dataclass(frozen=True)
class Postings:
    ids: np.ndarray
    weights: np.ndarray
    values: list[bytes]


_GENERATIONS: dict[int, Generation] = {}
_GENERATIONS_LOCK = threading.Lock()


def generation_of(searcher) -> Generation:
    """The Generation of ``searcher``, built once; the last few searchers are kept."""
    with _GENERATIONS_LOCK:
        found = _GENERATIONS.get(id(searcher))
        if found is not None and found.searcher is searcher:
            return found
    found = Generation(searcher)
    with _GENERATIONS_LOCK:
        if len(_GENERATIONS) >= 4:
            _GENERATIONS.clear()
        _GENERATIONS[id(searcher)] = found
    return found
