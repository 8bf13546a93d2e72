"""One index generation as arrays: live documents, the facet table, field lengths, sort
codes, facet columns; and posting lists read block by block.

What a generation reads from a segment (its facet values, its field lengths) is kept per
segment (``SegmentArrays``) and reused by the next generations: a commit that adds one
document reads only the new small segment, not the whole index again. Whoosh never
changes a segment's documents, only marks some deleted, which the live mask covers.

A Generation holds no searcher: Whoosh searchers read their files with seek and read, so
each thread reads with its own (``IndexStore.reading``), and passes it in.

This is the code that reads whoosh-reloaded 2.7.5's posting blocks and length columns
directly (``_terms``, ``_perdoc`` and the block reads of its leaf matchers);
tests/test_scoring.py checks the scores built on them against Whoosh's own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import _length_byte_cache

from .schema import FACET_FIELDS, GROUP_FIELD
from .facets import FacetColumn

TABLE_FIELDS = (*FACET_FIELDS, GROUP_FIELD, "date")

_BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float64)


class Generation:
    """Arrays of one index generation, each built on first use and kept: which documents
    are live, the facet table, every document's field lengths (as a search engine keeps
    its norms in memory), sort codes and facet columns. Postings are read per query."""

    def __init__(self, searcher, segments: SegmentArrays | None = None):
        self.number = generation_number(searcher)
        self.size = searcher.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        self.live[list(searcher.reader().all_doc_ids())] = True
        self.segments = segments or SegmentArrays()
        self.table = self._facet_table(searcher)
        self._lengths: dict[str, np.ndarray] = {}
        self._codes: dict[str, np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}
        self._facets: dict[str, FacetColumn] = {}
        self._members: dict[str, dict[str, list[int]]] = {}
        # More like this (similar.py): a document's key terms, asked for twice when they
        # are translated (kb.search.similar), depend on nothing else than the generation.
        self.key_terms: dict[int, list[tuple[str, float]]] = {}

    def lengths(self, searcher, field: str) -> np.ndarray:
        """Every document's length in ``field`` as Whoosh stores it (one byte, decoded)."""
        found = self._lengths.get(field)
        if found is None:
            codes = np.zeros(self.size, dtype=np.int64)
            for leaf, offset in searcher.leaf_searchers():
                part = self.segments.get(leaf.reader(), f"lengths {field}", lambda r: _length_codes(r, field))
                codes[offset:offset + len(part)] = part
            found = _BYTE_TO_LENGTH[codes]
            found[codes == 0] = 1.0     # Whoosh's default for a document without the field
            self._lengths[field] = found   # a race only computes the same array twice
        return found

    def _facet_table(self, searcher) -> dict[str, list[tuple[str, ...]]]:
        """Per field, the values of every document number (``()`` for a deleted document)."""
        table: dict[str, list[tuple[str, ...]]] = {name: [] for name in TABLE_FIELDS}
        for leaf, _ in searcher.leaf_searchers():      # in document number order
            part = self.segments.get(leaf.reader(), "table", _segment_table)
            for name, values in part.items():
                table[name].extend(values)
        for docnum in np.flatnonzero(~self.live):
            for values in table.values():
                values[docnum] = ()
        return table

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


class SegmentArrays:
    """What generations read from each segment, by segment id, kept while the segment is
    in the index (``keep_only``). Threads may compute the same entry at once: the same
    value, computed twice."""

    def __init__(self):
        self._found: dict[tuple[str, str], object] = {}

    def get(self, reader, what: str, compute: Callable):
        """``compute(reader)`` for the segment ``reader`` reads, computed once."""
        segment = reader.segment()
        if segment is None:             # an empty index has no segment
            return compute(reader)
        key = (segment.segment_id(), what)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = compute(reader)
        return found

    def keep_only(self, searcher) -> None:
        """Forget the segments that ``searcher``'s generation no longer has."""
        segments = (leaf.reader().segment() for leaf, _ in searcher.leaf_searchers())
        current = {segment.segment_id() for segment in segments if segment is not None}
        self._found = {key: value for key, value in self._found.items() if key[0] in current}


def _segment_table(reader) -> dict[str, list[tuple[str, ...]]]:
    """Per field of TABLE_FIELDS, the values of each document of one segment."""
    size = reader.doc_count_all()
    table = {}
    for name in TABLE_FIELDS:
        if reader.has_column(name):
            # One value per document, read straight from the column (profiled: the group
            # field's posting lists took 0.3 s at 10,000 documents).
            table[name] = [(value,) if value else () for value in reader.column_reader(name)]
            continue
        values: list[list[str]] = [[] for _ in range(size)]
        for term in reader.lexicon(name):
            value = term.decode("utf-8")
            for docnum in reader.postings(name, term).all_ids():
                values[docnum].append(value)
        table[name] = [tuple(v) for v in values]
    return table


def _length_codes(reader, field: str) -> np.ndarray:
    """The length byte of ``field`` for each document of one segment (0: none)."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, dtype=np.int64)
    return np.fromiter((column[d] for d in range(count)), dtype=np.int64, count=count)
