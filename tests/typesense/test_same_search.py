"""The cluster gives the same search as the default engine (issue 20's measure): on the
relevance set (seeds and written documents), each query by relevance, by date and in
English only finds the same results, counts, facets and kinds of match on Typesense as on
tantivy, and mostly the same first results (ranking differs a little, as Whoosh's does)."""
from __future__ import annotations

import pytest

from kb.config import load_settings
from kb.relevance import build_index, load_queries
from kb.search import SearchRequest, search
from tests.conftest import REPO

RELEVANCE = REPO / "tests" / "gold" / "relevance"
pytestmark = pytest.mark.typesense


def _results(answer) -> list[str]:
    """The results listed, by translation group (the version shown aside)."""
    return [hit.translation_key or hit.id for hit in answer.hits]


@pytest.fixture(scope="module")
def both(tmp_path_factory, typesense_module_settings):
    sources = [REPO / "corpus", RELEVANCE / "docs"]
    stores = [build_index(sources, load_settings(overrides, environ={}), tmp_path_factory.mktemp(name))
              for name, overrides in (("tantivy", {"engine": "tantivy"}),
                                      ("typesense", {"engine": "typesense", **typesense_module_settings}))]
    yield stores
    for store in stores:
        store.close()


def test_the_cluster_finds_what_tantivy_finds(both):
    tantivy, typesense = both
    requests = [SearchRequest(query=q.query, **options) for q in load_queries(RELEVANCE / "queries.yaml")
                for options in ({}, {"sort": "newest"}, {"filters": {"language": ["en"]}})]
    first = first_ten = 0
    for request in requests:
        expected, found = search(tantivy, request), search(typesense, request)
        assert (found.total, found.documents, found.matches) == (expected.total, expected.documents,
                                                                 expected.matches), request
        assert found.facets == expected.facets, request
        first += _results(found)[:1] == _results(expected)[:1]
        first_ten += set(_results(found)) == set(_results(expected))
    # measured: 145 and 138 of 153 (Whoosh against tantivy: 148 and 140)
    assert first >= 0.9 * len(requests) and first_ten >= 0.85 * len(requests)
