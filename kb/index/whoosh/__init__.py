"""The Whoosh engine (whoosh-reloaded): the only package that imports Whoosh.

- ``engine``: ``WhooshIndex``, the ``kb.index.Index`` this package offers
- ``schema``: fields and analyzers; a Record → fields, and back
- ``store``: opening, writing (one writer, all-or-nothing commits) and reading the index
  (a small pool of searchers, one thread each)
- ``generation``: one index generation as arrays (live documents, facet table, lengths)
- ``parsing``: a ``kb.query`` tree → a Whoosh query over every language's fields
- ``scoring``: a whole query's matches and BM25F scores, on posting arrays
- ``searching``: matching, facet counts, grouping of language versions, ranking, snippets
- ``facets``, ``highlight`` (the shared kb/index/highlighting.py over Whoosh's analyzers),
  ``spelling``, ``similar``: the parts ``searching`` uses
"""
from .engine import WhooshIndex

__all__ = ["WhooshIndex"]
