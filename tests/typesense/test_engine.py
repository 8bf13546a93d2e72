"""The Typesense engine's own parts: documents and back, query trees to filters, settings;
and, on the session's cluster, where its answers differ from the embedded engine's."""
from __future__ import annotations

import json

import pytest

from kb.config import ConfigError, load_settings
from kb.index.typesense.connection import Connection, EmptyAnswer, NotFound, api_key, imported, parse_nodes
from kb.index.typesense.querying import Translator, quote, render, tokens
from kb.index.typesense.ranking import Scoring, body_statistics, reranked, tree_score
from kb.index.typesense.schema import date_key, fields_for, record_of
from kb.query import And, Or, Phrase, QueryError, Relaxed, Word, parse_query
from kb.search import SearchRequest, search
from model.record import City, Commitment, Extraction, Record

RECORD = Record(id="fr-1", title="Déclaration de Québec", type="declaration", language="fr",
                body="Les maires s’engagent contre l'extrémisme violent.", path="declaration/fr-1.md",
                fingerprint="abc", date="2016-04", translation_key="quebec", source_url="https://example.org",
                organisations=("Strong Cities Network",),
                extraction=Extraction(cities=(City("Quebec City", "CA", 6325494, 46.8, -71.2, ("Québec",), 1,
                                                   ("venue",)),),
                                      commitments=(Commitment("Les maires s’engagent.", "les maires"),),
                                      themes=("violent-extremism",)))


def translate(query: str, prefixes=lambda ns, prefix: []):
    translation = Translator(prefixes).translate(parse_query(query))
    return render(translation.filter), translation


def test_a_record_comes_back_from_its_document():
    document = fields_for(RECORD)
    assert record_of(document) == RECORD
    assert {"f.mair", "f.engagent", "f.extrem", "f.extrem.violent", "t.quebec", "c.quebec", "k.doc"} <= set(document["terms"])
    assert document["city"] == ["Quebec City"] and document["year"] == "2016"
    assert "f.s" not in document["terms"]       # elision with a typographic apostrophe


def test_dates_keep_the_order_of_iso_prefixes():
    assert date_key("2018") < date_key("2018-01") < date_key("2018-01-01") < date_key("2018-02")
    assert date_key(None) == 0


def test_words_become_lookups_in_every_field():
    condition, translation = translate("haine")
    assert condition == "terms:=[`t.haine`,`f.hain`,`e.hain`,`o.haine`,`c.haine`]"   # any of them
    assert translation.searched["body_fr"] == ["hain"]


def test_alternatives_of_terms_are_one_list_whatever_their_number():
    """A translated more like this is an OR of a few hundred terms: one list, which
    Typesense takes, where a few hundred ``||`` are refused."""
    condition, _ = translate(" OR ".join(f"mot{n}" for n in range(120)) + " OR title:québec")
    assert "||" not in condition and condition.count("`") == 2 * 5 * 121 - 8


def test_operators_negations_phrases_and_fields():
    condition, _ = translate('title:québec NOT "extrémisme violent" type:guide')
    # a phrase of two words: its pair of terms, in no field (one condition)
    assert "terms:!=[`t.extremisme.violent`,`f.extrem.violent`," in condition
    assert "type:=[`guide`]" in condition
    assert "terms:=[`t.quebec`]" in condition
    negated, _ = translate("NOT (haine OR hate)")
    # De Morgan down to the leaves: each word in none of the five fields, one condition a word
    assert "||" not in negated and negated.count("!=") == 2 and negated.count("`") == 2 * 10


def test_prefixes_come_from_the_vocabulary():
    condition, _ = translate("radical*", lambda ns, prefix: ["radicalis", "radical"] if ns == "f" else [])
    assert "terms:=[`f.radicalis`,`f.radical`]" in condition
    nothing, _ = translate("zzz*")
    assert nothing == "terms:=`k.none`"


def test_relaxed_needs_any_word_in_one_condition():
    """As the embedded engines relax: any word (documents with more of them rank first),
    in one condition however many words there are."""
    translation = Translator(lambda ns, p: []).translate(Relaxed(parse_query("haine jeunes ville écoles maires")))
    condition = render(translation.filter)
    assert tokens(condition) == 1 and all(f"f.{stem}" in condition for stem in ("hain", "jeun", "vill", "ecol"))


def test_tokens_are_counted_as_typesense_counts_them():
    assert tokens("(terms:=[`a:b`,`c`] && date_key:[1..9]) || status:!=`draft`") == 7


def test_the_first_results_are_reranked_by_rarity_frequency_and_length():
    """Three documents that Typesense lists as equals (each holds one of two words that
    translate each other, newest first): the one holding the rarer term comes first, then
    the one saying the common term three times in a short body, then the long one saying
    it once."""
    documents = [{"id": "long", **body_statistics(["e.hate"] + ["e.other"] * 300)},
                 {"id": "short", **body_statistics(["e.hate"] * 3 + ["e.other"] * 20)},
                 {"id": "rare", **body_statistics(["e.hatr"] + ["e.other"] * 100)}]
    hate, hatred = Word("hate"), Word("hatred", boost=0.9)
    scoring = Scoring([], {}, Or((hate, hatred)), {hate: [("e.hate",)], hatred: [("e.hatr",)]}, ["e.hate", "e.hatr"])
    asked = []

    def ask(searches):          # what Typesense answers: who holds each term, how many do, of 50
        asked.extend(searches)
        return ([{"hits": [{"document": {"id": "long"}}, {"document": {"id": "short"}}]},
                 {"hits": [{"document": {"id": "rare"}}]}, {"found": 40}, {"found": 2}, {"found": 50}])
    order = [d["id"] for d, _ in reranked([[(d, 2.0)] for d in documents], scoring, ask, quote)]
    assert order == ["rare", "short", "long"]
    assert asked[0]["filter_by"] == "id:=[`long`,`short`,`rare`] && terms:=[`e.hate`]"
    assert json.loads(documents[1]["counts"]) == {"e.hate": 3, "e.other": 20} and documents[1]["length"] == 23


def test_scores_combine_as_tantivys_queries_do():
    """An And sums its parts; an Or takes its best part and a tenth of the others; a
    phrase counts only with all its pairs of words."""
    a, b, c = Word("a"), Word("b", boost=0.5), Phrase("c d")
    leaves = {a: [("e.a",), ("t.a",)], b: [("e.b",)], c: [("e.c.d", "e.d.e")]}
    held = {"e.a": 1.0, "t.a": 1.0, "e.b": 1.0, "e.c.d": 1.0}
    weight = held.get
    assert tree_score(And((a, b)), leaves, lambda t: weight(t, 0.0)) == 2.0 + 0.5
    assert tree_score(Or((a, b)), leaves, lambda t: weight(t, 0.0)) == pytest.approx(2.0 + 0.05)
    assert tree_score(c, leaves, lambda t: weight(t, 0.0)) == 0.0


def test_only_common_words_is_a_query_error():
    with pytest.raises(QueryError):
        translate("the and")


def test_an_empty_import_answer_is_tried_again_other_errors_are_not(tmp_path):
    """A follower that fails to forward an import answers with an empty body (seen on three
    nodes): the import (an upsert) is sent again; a real refusal is not."""
    from typesense.exceptions import TypesenseClientError

    answers = [TypesenseClientError("Invalid response - "), NotFound("no collection"), [{"success": True}]]

    def answer():
        found = answers.pop(0)
        if isinstance(found, Exception):
            raise found
        return found
    settings = load_settings({"data_dir": tmp_path, "typesense_api_key": "k", "typesense_write_timeout": 5},
                             environ={})
    connection = Connection(settings)
    with pytest.raises(NotFound):       # the empty answer was tried again, the refusal is raised
        connection.write(lambda: imported(answer), "import")
    assert connection.write(lambda: imported(answer), "import") == [{"success": True}]
    answers.append(TypesenseClientError("Invalid response - "))
    with pytest.raises(EmptyAnswer):
        imported(answer)


def test_nodes_and_key_settings(tmp_path):
    assert parse_nodes("a:1,https://b") == [{"host": "a", "port": 1, "protocol": "http"},
                                            {"host": "b", "port": 443, "protocol": "https"}]
    with pytest.raises(ConfigError):
        parse_nodes(" , ")
    settings = load_settings({"data_dir": tmp_path}, environ={})
    with pytest.raises(ConfigError, match="KB_TYPESENSE_API_KEY"):
        api_key(settings)
    (tmp_path / "cluster").mkdir()
    (tmp_path / "cluster" / "api-key").write_text("secret\n")
    assert api_key(settings) == "secret"
    assert api_key(load_settings({"data_dir": tmp_path}, environ={"KB_TYPESENSE_API_KEY": "env"})) == "env"
    assert "typesense_api_key=" not in repr(settings.replace(typesense_api_key="hidden"))


@pytest.mark.typesense
def test_where_the_cluster_differs_from_the_embedded_engine(corpus, tmp_path, typesense_settings):
    """A phrase of three words or more matches when each pair of consecutive words is in
    the text, where Whoosh wants them all in a row: "lutte contre la haine des jeunes"
    is found by "lutte haine jeunes" as a phrase when "lutte haine" and "haine
    jeunes" both occur (here "Lutte et haine. Haine des jeunes.") — rare in real text, and never a document missed. Acceptable:
    the phrase's words are all there, in pairs."""
    from kb.index import open_index
    from kb.sync import sync_index
    corpus.make_document("Lutte et haine. Haine des jeunes.", id="pairs")
    settings = load_settings({"corpus_dir": corpus.root, "data_dir": tmp_path / "data", **typesense_settings},
                             environ={})
    index = open_index(settings)
    try:
        sync_index(settings, index)
        found = search(index, SearchRequest(query='"lutte haine jeunes"', expand=False, relax=False))
        assert [h.id for h in found.hits] == ["pairs"]        # Whoosh: none
    finally:
        index.close()


def test_an_unreachable_cluster_is_a_503_not_a_traceback(settings, make_app, monkeypatch):
    from kb.index import IndexUnavailableError
    from webapp.views import search as search_view

    def down(*args, **kwargs):
        raise IndexUnavailableError("the Typesense cluster cannot be reached (http://10.0.0.1:8108)")
    app = make_app({"KB_SETTINGS": settings, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})
    monkeypatch.setattr(search_view, "search", down)
    page = app.test_client().get("/search?q=haine", headers={"Accept-Language": "fr"})
    assert page.status_code == 503 and "indisponible" in page.get_data(as_text=True)
    assert "10.0.0.1" not in page.get_data(as_text=True)
    from webapp.views import api
    monkeypatch.setattr(api, "search", down, raising=False)
    answer = app.test_client().get("/api/search?q=haine")
    assert answer.status_code == 503 and "unavailable" in answer.get_json()["error"]["message"]


def test_commands_say_when_the_cluster_cannot_be_reached(tmp_path, runner, monkeypatch):
    from kb.cli import cli
    from tests.typesense.fixtures import free_base_port
    (tmp_path / "corpus").mkdir()
    monkeypatch.setenv("KB_ENGINE", "typesense")
    monkeypatch.setenv("KB_TYPESENSE_NODES", f"127.0.0.1:{free_base_port(1)}")
    monkeypatch.setenv("KB_TYPESENSE_API_KEY", "k")
    monkeypatch.setenv("KB_TYPESENSE_TIMEOUT", "0.5")
    for command in (["index"], ["search", "haine"], ["check", "--repair"]):
        result = runner.invoke(cli, ["--corpus", str(tmp_path / "corpus"), "--data", str(tmp_path / "data"),
                                     *command])
        assert result.exit_code == 1 and "cannot be reached" in result.output, (command, result.output)
        assert "Traceback" not in result.output


def test_a_phrase_costs_one_condition_per_pair_of_words_whatever_the_fields():
    """Typesense 0.24 refuses a filter of about 50 conditions: a phrase asks each pair of
    its words once, in any field, rather than once per field."""
    condition, _ = translate('"strong cities network"')
    assert condition.count("terms:=") == 2 and "||" not in condition
    assert "`f.strong.cit`" in condition and "`t.strong.cities`" in condition
