"""Facet counts over a whole result set.

Within a facet, selected values combine with OR; across facets, with AND. The counts of
one facet reflect every other active filter but not its own, so a user sees how many
documents each alternative value would give. Result sets are boolean masks over the
index's document numbers; counting is one ``bincount`` per facet.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from model.fields import FACETS, NO_VALUE

from ..interface import MAX_FACET_VALUES, FacetCount, facet_entries



@dataclass(frozen=True)
class FacetColumn:
    """The (document, value) pairs of one facet field in one index generation."""
    labels: np.ndarray      # distinct values
    owners: np.ndarray      # document number of each pair
    codes: np.ndarray       # index into labels of each pair

    @classmethod
    def of(cls, column: Sequence[tuple[str, ...]]) -> "FacetColumn":
        """From a per-document list of value tuples (``()`` for a deleted document)."""
        owners = [docnum for docnum, values in enumerate(column) for _ in values]
        values = [value for values in column for value in values]
        labels, codes = np.unique(np.asarray(values, dtype=object), return_inverse=True)
        return cls(labels, np.asarray(owners, dtype=np.int64), codes.astype(np.int64))

    def documents_with(self, values: Sequence[str], size: int) -> np.ndarray:
        """Mask of the documents having any of ``values``."""
        wanted = np.isin(self.labels, np.asarray(list(values), dtype=object))
        mask = np.zeros(size, dtype=bool)
        mask[self.owners[wanted[self.codes]]] = True
        return mask

    def counts(self, pool: np.ndarray) -> dict[str, int]:
        """Documents of mask ``pool`` per value."""
        counted = np.bincount(self.codes[pool[self.owners]], minlength=len(self.labels))
        present = np.flatnonzero(counted)
        return dict(zip(self.labels[present].tolist(), counted[present].tolist()))


def count_facets(columns: Mapping[str, FacetColumn], base: np.ndarray, filters: Mapping[str, Sequence[str]],
                 limit: int = MAX_FACET_VALUES) -> tuple[np.ndarray, dict[str, list[FacetCount]]]:
    """(mask of matching documents, facet counts) for mask ``base`` narrowed by ``filters``."""
    selected = {name: [v for v in values if v] for name, values in filters.items()}
    selected = {name: values for name, values in selected.items() if values}
    allowed = {name: columns[name].documents_with(values, len(base))
               for name, values in selected.items()}
    matched = base.copy()
    for mask in allowed.values():
        matched &= mask
    facets = {}
    for name in FACETS:
        pool = base.copy()
        for other, mask in allowed.items():
            if other != name:
                pool &= mask
        counts = columns[name].counts(pool)
        counts.pop(NO_VALUE, None)
        facets[name] = facet_entries(name, counts, selected.get(name, ()), limit)
    return matched, facets
