"""The tantivy engine (PyPI ``tantivy``, Rust): the only package that imports tantivy.

- ``engine``: ``TantivyIndex``, the ``kb.index.Index`` this package offers
- ``analysis``: the analyzers (French, English, neutral, words), in Rust and for highlighting
- ``schema``: fields; a Record → a tantivy document, and back
- ``store``: opening, writing (one writer, all-or-nothing commits) and reading (one
  searcher per commit, shared by threads)
- ``parsing``: a ``kb.query`` tree → a tantivy query over every language's fields
- ``searching``: matching, facet counts (aggregations), grouping, ranking, snippets
- ``spelling``, ``similar``: "did you mean" and more like this
"""
from .engine import TantivyIndex

__all__ = ["TantivyIndex"]
