"""One index generation as arrays: live documents, the facet table, field lengths, sort
codes, facet columns; and posting lists read block by block.

A Generation holds no searcher: Whoosh searchers read their files with seek and read, so
each thread reads with its own (``IndexStore.searcher``), and passes it in.

This is the code that reads whoosh-reloaded 2.7.5's posting blocks and length columns
directly (``_terms``, ``_perdoc`` and the block reads of its leaf matchers);
tests/test_scoring.py checks the scores built on them against Whoosh's own.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import _length_byte_cache

from ..schema import FACET_FIELDS, GROUP_FIELD
from .facets import FacetColumn

TABLE_FIELDS = (*FACET_FIELDS, GROUP_FIELD, "date")

_BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float64)


class Generation:
    """Arrays of one index generation, each built on first use and kept: which documents
    are live, the facet table, every document's field lengths (as a search engine keeps
    its norms in memory), sort codes and facet columns. Postings are read per query."""

    def __init__(self, searcher):
        self.number = generation_number(searcher)
        self.size = searcher.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        self.live[list(searcher.reader().all_doc_ids())] = True
        self.table = _facet_table(searcher.reader(), TABLE_FIELDS, self.live)
        self._lengths: dict[str, np.ndarray] = {}
        self._codes: dict[str, np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}
        self._facets: dict[str, FacetColumn] = {}
        self._members: dict[str, dict[str, list[int]]] = {}

    def lengths(self, searcher, field: str) -> np.ndarray:
        """Every document's length in ``field`` as Whoosh stores it (one byte, decoded)."""
        found = self._lengths.get(field)
        if found is None:
            codes = np.zeros(self.size, dtype=np.int64)
            for leaf, offset in searcher.leaf_searchers():
                column = leaf.reader()._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                if column is not None:
                    count = leaf.doc_count_all()
                    codes[offset:offset + count] = np.fromiter(
                        (column[d] for d in range(count)), dtype=np.int64, count=count)
            found = _BYTE_TO_LENGTH[codes]
            found[codes == 0] = 1.0     # Whoosh's default for a document without the field
            self._lengths[field] = found   # a race only computes the same array twice
        return found

    def values(self, name: str) -> np.ndarray:
        """A one-value-per-document column of the table as an array ("" where none)."""
        found = self._values.get(name)
        if found is None:
            found = np.asarray([v[0] if v else "" for v in self.table[name]], dtype=object)
            self._values[name] = found
        return found

    def codes(self, name: str) -> np.ndarray:
        """Integer codes in the order of a one-value-per-document column of the table:
        equal values share a code, a missing value is -1."""
        found = self._codes.get(name)
        if found is None:
            values = self.values(name)
            _, codes = np.unique(values, return_inverse=True)
            found = np.where(values == "", -1, codes).astype(np.int64)
            self._codes[name] = found
        return found

    def members(self, name: str) -> dict[str, list[int]]:
        """Value → its document numbers, for a one-value-per-document column of the table."""
        found = self._members.get(name)
        if found is None:
            found = {}
            for docnum, values in enumerate(self.table[name]):
                if values:
                    found.setdefault(values[0], []).append(docnum)
            self._members[name] = found
        return found

    def facet(self, name: str) -> FacetColumn:
        """The facet column ``name``, from the table."""
        found = self._facets.get(name)
        if found is None:
            found = self._facets[name] = FacetColumn.of(self.table[name])
        return found

    def postings(self, searcher, field: str, text: bytes, values: bool = False) -> Postings:
        """A term's postings on live documents (empty when the index lacks the term);
        with ``values``, each posting's encoded value too (positions, for phrases)."""
        ids: list[int] = []
        weights: list[float] = []
        encoded: list[bytes] = []
        for leaf, offset in searcher.leaf_searchers():
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


def generation_number(searcher) -> int:
    """The index generation ``searcher`` reads (-1 for an empty index)."""
    number = searcher.reader().generation()
    return -1 if number is None else number


@dataclass(frozen=True)
class Postings:
    ids: np.ndarray
    weights: np.ndarray
    values: list[bytes]


def _facet_table(reader, field_names, live: np.ndarray) -> dict[str, list[tuple[str, ...]]]:
    """Per field, the values of every document number (``()`` for a deleted document)."""
    size = len(live)
    table = {}
    for name in field_names:
        if reader.has_column(name):
            # One value per document, read straight from the column (profiled: the group
            # field's posting lists took 0.3 s at 10,000 documents).
            table[name] = [(value,) if value and live[docnum] else ()
                           for docnum, value in enumerate(reader.column_reader(name))]
            continue
        values: list[list[str]] = [[] for _ in range(size)]
        for term in reader.lexicon(name):
            value = term.decode("utf-8")
            for docnum in reader.postings(name, term).all_ids():
                values[docnum].append(value)
        table[name] = [tuple(v) for v in values]
    return table
