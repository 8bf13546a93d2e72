"""The search engine behind the knowledge base (Whoosh). Only this package and
``kb/schema.py`` know Whoosh: replacing the engine means replacing this package.

- ``store``: opening, writing (one writer, all-or-nothing commits) and reading the index
  (a small pool of searchers, one thread each)
- ``generation``: one index generation as arrays (live documents, facet table, lengths)
- ``parsing``: a checked query string → an engine query over every language's fields
- ``scoring``: a whole query's matches and BM25F scores, on posting arrays
- ``searching``: matching, facet counts, grouping of language versions, ranking, snippets
- ``facets``, ``highlight``, ``spelling``, ``similar``: the parts ``searching`` uses
"""
from .store import IndexBusyError, IndexedDocument, IndexStore, IndexWriter

__all__ = ["IndexBusyError", "IndexedDocument", "IndexStore", "IndexWriter"]
