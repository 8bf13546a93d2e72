"""The array scorer (kb/index/whoosh/scoring.py) gives exactly Whoosh's matches and scores, on
an index of several segments with deleted documents, for every kind of query the search
page builds: words, phrases, exclusions, prefixes, field queries, expansions, relaxed.
The generation arrays it stands on (kb/index/whoosh/generation.py) hold every live document's
values, and a new generation reads only the segments it does not share with the last."""
from __future__ import annotations

import numpy as np
import pytest
from whoosh import qparser

from kb.expansion import expand
from kb.index.whoosh.generation import Generation, SegmentArrays
from kb.index.whoosh.parsing import to_whoosh
from kb.index.whoosh.schema import SEARCH_FIELDS
from kb.index.whoosh.scoring import best_first, score
from kb.index.whoosh.similar import similar, similar_query
from kb.index.whoosh.store import IndexStore
from kb.query import Every, Relaxed, fold_wildcards, parse_query, quote_hyphenated, weaken
from kb.relevance import load_queries
from kb.search import EXPANSION_WEIGHT, default_lookups
from tests.conftest import REPO

RELEVANCE = REPO / "tests" / "gold" / "relevance"
DELETED = 3   # documents removed after indexing, so that postings point at deleted documents

CRAFTED = [
    '"strong cities"', '"prévention de la radicalisation" maires', "radicalisation -jeunes",
    "radical*", "extrémisme OR polarisation", "title:déclaration", "maire NOT haine",
    "(haine OR hate) AND (ville OR city)", "Bruxelles", "Le Cap", "vivre-ensemble",
    "cohesion sociale jeunesse formation", "l'extrémisme violent", "engag*", '"we commit"',
    "radicalisaton", "Strasbourg dialogue transatlantique", "+maires -Paris",
    "radicalisation -jeunes -Paris", 'maires -"vivre ensemble"',
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, relevance_records):
    store = IndexStore(tmp_path_factory.mktemp("scoring") / "index")
    records = relevance_records
    third = len(records) // 3
    for batch in (records[:third], records[third:2 * third], records[2 * third:]):
        with store.writer() as writer:       # one segment per transaction
            for record in batch:
                writer.put(record)
    with store.writer() as writer:
        for record in records[1:1 + DELETED]:
            writer.remove(record.id)
    yield store
    store.close()


def _queries(store, searcher) -> list:
    vocabulary, cities = default_lookups()
    parsed = [to_whoosh(Every(), searcher.schema)]          # every document
    for text in _texts():
        parsed.append(to_whoosh(parse_query(text), searcher.schema))
        expanded = expand(text, vocabulary, cities)
        tree = parse_query(expanded.text, expanded.alternatives, EXPANSION_WEIGHT)
        parsed.append(to_whoosh(tree, searcher.schema))
        parsed.append(to_whoosh(Relaxed(tree), searcher.schema))
    return parsed


def _texts() -> list[str]:
    return [q.query for q in load_queries(RELEVANCE / "queries.yaml")] + CRAFTED


def test_the_parsed_tree_gives_the_query_whooshs_own_parser_gave(store):
    """kb.query.parse_query and the Whoosh engine's translation of its tree make the very
    query Whoosh's parser made of the same string (the way queries were parsed before)."""
    with store.reading() as searcher:
        parser = qparser.MultifieldParser(list(SEARCH_FIELDS), searcher.schema, group=qparser.AndGroup)
        parser.remove_plugin_class(qparser.SingleQuotePlugin)
        parser.add_plugin(qparser.PlusMinusPlugin())
        for text in _texts():
            expected = parser.parse(fold_wildcards(quote_hyphenated(text)))
            assert to_whoosh(parse_query(text), searcher.schema) == expected, text


def test_weighted_alternatives_score_as_whooshs_parser_weighted_them(store):
    """Expansion alternatives carry weights (a translation's, an organisation's other name,
    a language not required): their trees, weakened by the expansion weight, score as
    Whoosh's parser made them before (its Or boosted, each leaf weakened)."""
    with store.reading() as searcher:
        parser = qparser.MultifieldParser(list(SEARCH_FIELDS), searcher.schema, group=qparser.AndGroup)
        parser.remove_plugin_class(qparser.SingleQuotePlugin)
        generation = store.generation(searcher)
        for alternative in ("mayor^2.5", '"strong cities"^2.5', '"extrémisme violent"^0.75',
                            '"violent extremism"~2^1.5', "language:en^0.0001"):
            before = parser.parse(alternative)
            for leaf in before.leaves():
                leaf.boost *= EXPANSION_WEIGHT
            now = to_whoosh(weaken(parse_query(alternative), EXPANSION_WEIGHT), searcher.schema)
            expected, got = score(searcher, generation, before), score(searcher, generation, now)
            assert len(got) and got.ids.tolist() == expected.ids.tolist(), alternative
            assert got.scores.tolist() == pytest.approx(expected.scores.tolist(), rel=1e-9), alternative


def test_the_index_has_several_segments_and_deleted_documents(store):
    with store.reading() as searcher:
        assert len(searcher.leaf_searchers()) >= 2
        assert searcher.doc_count_all() - searcher.doc_count() == DELETED


def test_matches_and_scores_equal_whoosh_for_every_kind_of_query(store):
    with store.reading() as searcher:
        queries = _queries(store, searcher)
        assert len(queries) >= 200
        matched_something = 0
        for parsed in queries:
            expected = {hit.docnum: hit.score for hit in searcher.search(parsed, limit=None)}
            got = score(searcher, store.generation(searcher), parsed)
            assert sorted(expected) == got.ids.tolist(), str(parsed)
            for docnum, value in zip(got.ids.tolist(), got.scores.tolist()):
                assert value == pytest.approx(expected[docnum], rel=1e-9), str(parsed)
            matched_something += bool(expected)
    assert matched_something >= len(queries) * 0.8


def test_ranking_is_whooshs_order_and_the_best_few_are_its_first_ones(store):
    with store.reading() as searcher:
        parsed = to_whoosh(parse_query("ville OR city OR maire OR mayor"), searcher.schema)
        scored = score(searcher, store.generation(searcher), parsed)
        expected = [hit.docnum for hit in searcher.search(parsed, limit=None)]
    assert len(expected) > 10
    assert best_first(scored.ids, scored.scores, len(scored)).tolist() == expected
    for limit in (1, 3, 7):
        best = best_first(scored.ids, scored.scores, limit).tolist()
        assert best[:limit] == expected[:limit]


def test_the_best_few_keep_every_document_tied_with_the_last():
    docnums = np.array([0, 1, 2, 3, 4])
    keys = np.array([1.0, 3.0, 2.0, 3.0, 2.0])
    assert best_first(docnums, keys, 3).tolist() == [1, 3, 2, 4]
    assert best_first(docnums, keys, 1).tolist() == [1, 3]


def test_the_facet_table_holds_each_live_documents_values_and_nothing_for_deleted_ones(store):
    with store.reading() as searcher:
        table = store.generation(searcher).table
        live = set(searcher.reader().all_doc_ids())
        for docnum in range(searcher.doc_count_all()):
            if docnum not in live:
                assert table["type"][docnum] == table["language"][docnum] == ()
                continue
            stored = searcher.stored_fields(docnum)
            assert table["type"][docnum] == (stored["type"],)
            assert table["language"][docnum] == (stored["language"],)
            assert table["group"][docnum] == (stored["translation_key"] or stored["id"],)
    assert len(live) == searcher.doc_count_all() - DELETED


class _CountingSegments(SegmentArrays):
    def __init__(self):
        super().__init__()
        self.computed: list[str] = []

    def get(self, reader, what, compute):
        def counted(r):
            self.computed.append(what)
            return compute(r)
        return super().get(reader, what, counted)


def test_a_new_generation_reads_only_its_new_segment_and_equals_one_built_afresh(tmp_path,
                                                                                relevance_records):
    store = IndexStore(tmp_path / "index")
    records = relevance_records
    with store.writer() as writer:
        for record in records[:20]:
            writer.put(record)
    segments = _CountingSegments()
    with store.reading() as searcher:
        Generation(searcher, segments).lengths(searcher, "body_fr")
    assert segments.computed == ["table", "lengths body_fr"]
    with store.writer() as writer:           # one new document, one deleted
        writer.put(records[20])
        writer.remove(records[0].id)
    with store.reading() as searcher:
        segments.computed.clear()
        again = Generation(searcher, segments)
        lengths = again.lengths(searcher, "body_fr")
        assert segments.computed == ["table", "lengths body_fr"]     # the new segment's only
        afresh = Generation(searcher)
        assert again.table == afresh.table
        assert lengths.tolist() == afresh.lengths(searcher, "body_fr").tolist()
        assert again.live.sum() == searcher.doc_count() == 20
    store.close()


def test_more_like_this_equals_whooshs_own_search_of_the_same_query(store):
    checked = 0
    with store.reading() as searcher:
        for docnum in searcher.reader().all_doc_ids():
            doc_id = searcher.stored_fields(docnum)["id"]
            wanted, excluded = similar_query(searcher, docnum)
            expected = [(hit["id"], round(hit.score, 4))
                        for hit in searcher.search(wanted, limit=5, mask=excluded)] if wanted else []
            got = [(hit.id, hit.score) for hit in similar(store, doc_id)]
            assert got == expected, doc_id
            checked += bool(expected)
    assert checked >= 20
