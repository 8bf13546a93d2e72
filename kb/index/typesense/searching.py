"""Running a search on Typesense: one ``multi_search`` request holds the page (grouped by
translation, ranked or sorted by date), the facet counts under every filter, and, for
each facet with selected values, its counts under the other filters only (OR within a
facet, AND across facets). Snippets, passages and highlighted commitments are marked on
the stored raw text by the project's highlighter (``kb.index.highlighting``) with
the same analysers that made the terms, so a query for ``ville`` marks ``villes``,
which Typesense's own highlighter (no stemming) would not."""
from __future__ import annotations

import dataclasses
import fnmatch
import functools
import re
from collections import Counter
from typing import Any, Callable, Protocol, Sequence

from model.fields import FACETS, organisations
from model.messages import Message

from ...query import Every, Node, Or, Pattern, QueryError, wanted_leaves
from ..highlighting import highlights, term_spans
from ..interface import Hit, IndexAnswer, IndexQuery, SimilarDocument, facet_entries
from ..spelling import LONG_WORD, MIN_LENGTH, best, correctable, max_edits
from ..whoosh.highlight import analysis_of
from ..whoosh.schema import BODY_FIELDS, OTHER_BODY_FIELD
from .querying import (MAX_FILTER_TOKENS, MAX_RANKING_TERMS, Translator, conjunction, cumulative_tiers,
                       date_filter, facet_filter, quote, tokens)
from .ranking import RERANKED, Scoring, reranked
from .schema import (EVERY, SEARCH_FIELDS, STORED_ONLY, WHOOSH_SCHEMA, WORD, analyse, hashed, query_terms,
                     record_of, term)


class Collection(Protocol):
    """What searching asks of the engine (``engine.TypesenseIndex``): the client, the
    collection's name, the connection that retries reads, the documents' endpoint."""
    client: Any
    name: str
    connection: Any

    def documents(self) -> Any: ...

    def get(self, doc_id: str, include_drafts: bool = False) -> Any: ...


MAX_PAGE = 250                    # Typesense's largest page
FACET_VALUES = 200                # counted per facet (pages show the first 50)
ALL_DROPPED = 1_000_000_000       # drop ranking terms until every match is found
VISIBLE = "status:!=`draft`"
TEXT_MATCH_UNIT = 2 ** 59         # Typesense 0.24's text_match keeps the terms matched above this bit
KEY_TERMS = 15


MAX_SEARCHES = 50                 # Typesense's limit_multi_searches: searches in one request


def _search(index: Collection, searches: list[dict], collection: str | None = None) -> list[dict]:
    """The answers of ``searches`` (one request, or one per MAX_SEARCHES) in
    ``collection`` (the documents' by default: Typesense 0.24 lets the request's
    collection win over a search's own); an error in any of them is raised."""
    if any(tokens(search.get("filter_by", "")) > MAX_FILTER_TOKENS for search in searches):
        raise QueryError(Message("This query has too many parts for the search cluster: search fewer words "
                                 "or phrases, or without the other language (expand=0)."))
    results = []
    for start in range(0, len(searches), MAX_SEARCHES):
        part = searches[start:start + MAX_SEARCHES]
        answer = index.connection.read(lambda part=part: index.client.multi_search.perform(
            {"searches": part}, {"collection": collection or index.name}))
        results += answer["results"]
    for result in results:
        if "error" in result:
            raise RuntimeError(f"Typesense: {result['error']}")
    return results


def prefixes(index: Collection, namespace: str, prefix: str) -> list[str]:
    """The vocabulary's terms of ``namespace`` that begin with ``prefix``."""
    if not prefix:
        return []
    index.documents()
    vocabulary = index.client.collections[f"{index.name}-vocabulary"].documents
    found = index.connection.read(lambda: vocabulary.search({
        "q": prefix, "query_by": "term", "filter_by": f"ns:={quote(namespace)}", "prefix": True,
        "num_typos": 0, "per_page": MAX_PAGE, "max_candidates": 1000, "drop_tokens_threshold": 0}))
    return sorted({h["document"]["term"] for h in found["hits"] if h["document"]["term"].startswith(prefix)})


def known(index: Collection, terms: list[str]) -> list[str]:
    """The single terms of ``terms`` that some document holds (the vocabulary knows
    them), in their order: a term nobody holds would only stop the ranking query short."""
    single = [t for t in terms if t.count(".") == 1]
    if not single:
        return []
    keys = {hashed(t): t for t in single}
    (found,) = _search(index, [{"q": "*", "filter_by": f"id:=[{','.join(keys)}]",      # long: not in a URL
                                "per_page": min(MAX_PAGE, len(keys))}], collection=f"{index.name}-vocabulary")
    known = {f"{h['document']['ns']}.{h['document']['term']}" for h in found["hits"]}
    return [t for t in single if t in known]


def matching(index: Collection, filter_by: str, fields: str = "") -> list[dict]:
    """Every document that ``filter_by`` selects (its stored fields, or only ``fields``)."""
    index.documents()
    out, page = [], 1
    shown = {"include_fields": fields} if fields else {"exclude_fields": STORED_ONLY}
    while True:
        (found,) = _search(index, [{"q": "*", "filter_by": filter_by, "per_page": MAX_PAGE, "page": page,
                                    **shown}])
        out += [h["document"] for h in found["hits"]]
        if len(out) >= found["found"] or not found["hits"]:
            return out
        page += 1


def run(index: Collection, query: IndexQuery) -> IndexAnswer:
    if query.limit == 0:            # the counts only: Typesense pages need one hit at least
        return dataclasses.replace(run(index, dataclasses.replace(query, limit=1)), hits=[])
    index.documents()
    # the query, its tiers and its words as typed are translated apart: each prefix's
    # terms are asked of the vocabulary once
    expand = functools.lru_cache(maxsize=None)(lambda ns, prefix: prefixes(index, ns, prefix))
    translation = Translator(expand).translate(query.query)
    has_text = not isinstance(query.query, Every)
    base = [date_filter(query.date_from, query.date_to)] + ([] if query.include_drafts else [VISIBLE])
    selected = {name: [v for v in values if v] for name, values in query.filters.items()}
    selected = {name: values for name, values in selected.items() if values}
    chosen = {name: facet_filter(name, values) for name, values in selected.items()}

    scoring = _scoring(index, query, translation, expand) if query.sort == "relevance" and has_text else None
    condition = conjunction(translation.filter, *base, *chosen.values())
    # a tier is within the query: its documents are selected without the query's filter,
    # which keeps a relaxed query and its tiers within Typesense's length of a filter
    tiers = [conjunction(inside, *base, *chosen.values())
             for inside in cumulative_tiers([node for _, node in query.tiers], expand)]
    front = _front(query)
    lanes: list[list[str]] = []
    listings = _listings(index, query, condition, scoring, lanes) if front is None else []
    facet_values = max(FACET_VALUES, query.facet_limit)
    searches = [*listings, {"q": "*", "filter_by": condition,
                            "facet_by": ",".join(FACETS), "max_facet_values": facet_values, "per_page": 0}]
    for name in selected:
        others = [condition for other, condition in chosen.items() if other != name]
        searches.append({"q": "*", "filter_by": conjunction(translation.filter, *base, *others), "facet_by": name,
                         "max_facet_values": facet_values, "per_page": 0})
    searches += [_groups_search(inside) for inside in tiers]
    if front is not None:            # the results in all: the listings that count them are not run
        searches.append(_groups_search(condition))
    results = _search(index, searches)
    listed, counted = results[:len(listings)], results[len(listings)]
    counts = _facet_counts(counted)
    for name, result in zip(selected, results[len(listings) + 1:]):
        counts[name] = _facet_counts(result).get(name, {})
    counted_tiers = results[len(listings) + 1 + len(selected):][:len(tiers)]
    in_tiers = [result["found"] for result in counted_tiers]
    facets = {name: facet_entries(name, counts.get(name, {}), selected.get(name, ()), query.facet_limit)
              for name in FACETS}
    if front is None:
        total, best = _page(index, query, listed, lanes, scoring)
    else:
        total = results[-1]["found"]
        best = _front_first(index, query, condition, tiers[front], in_tiers[front], total, scoring)
    levels, in_best_tier = _levels(index, query, tiers, best)
    best = [(_shown_version(document, in_best_tier), score) for document, score in best]
    hits = _hits(index, best, translation.searched if has_text and query.snippets else None,
                 query.include_drafts, levels)
    return IndexAnswer(total=total, documents=counted["found"], hits=hits, facets=facets,
                       terms=translation.searched if has_text else {},
                       matches=_matches(query, in_tiers, total))


# Terms the first results are scored on, strongest first: two searches each, in one
# request of at most MAX_SEARCHES (a long translated query has 50 to 80 terms; those past
# it count as not held)
MAX_SCORED_TERMS = (MAX_SEARCHES - 1) // 2


def _scoring(index: Collection, query: IndexQuery, translation, expand) -> Scoring:
    """What the ranked search of ``query`` is ordered by (``ranking.Scoring``)."""
    held = known(index, translation.ranking)
    pairs = [t for fields in translation.leaves.values() for terms in fields for t in terms if t.count(".") > 1]
    scored = (held + list(dict.fromkeys(pairs)))[:MAX_SCORED_TERMS]
    return Scoring(held[:MAX_RANKING_TERMS], _typed_weigh_more(query, translation.boosts, expand), query.query,
                   translation.leaves, scored)


# -- tiers (IndexQuery.tiers) -----------------------------------------------------------
TYPED = 0.5        # what a word as typed adds to its boost, over a translation of the same boost


def _typed_weigh_more(query: IndexQuery, boosts: dict[str, float],
                      expand: Callable[[str, str], list[str]]) -> dict[str, float]:
    """The ranking terms' boosts, those of the narrowest tier (the words as typed)
    weighing more than a translation of the same boost, as they rank on the embedded
    engines; unchanged without tiers."""
    if not query.tiers:
        return boosts
    try:
        typed = set(Translator(expand).translate(query.tiers[0][1]).ranking)
    except QueryError:                 # only common words typed
        return boosts
    return {term: boost + (TYPED if term in typed else 0.0) for term, boost in boosts.items()}


def _groups_search(condition: str) -> dict:
    """A search whose ``found`` is the number of groups (results) ``condition`` selects."""
    return {"q": "*", "filter_by": condition, "group_by": "group", "group_limit": 1, "per_page": 1,
            "exclude_fields": STORED_ONLY}


def _front(query: IndexQuery) -> int | None:
    """The tier whose results (with an earlier one's) are listed first, or None."""
    names = [name for name, _ in query.tiers]
    return names.index(query.first) if query.first in names else None


def _listed(index, query: IndexQuery, condition: str, scoring: Scoring | None) -> list[tuple[dict, float]]:
    """The page ``query`` asks for among the documents ``condition`` selects."""
    lanes: list[list[str]] = []
    listings = _listings(index, query, condition, scoring, lanes)
    return _page(index, query, _search(index, listings), lanes, scoring)[1]


def _front_first(index, query: IndexQuery, condition: str, inside: str, in_front: int, total: int,
                 scoring: Scoring | None) -> list[tuple[dict, float]]:
    """The page when the results of a tier (``in_front`` of the ``total``; ``inside``
    selects them, under the query's other filters) come first: its part among them, then
    its part among the others, each in the query's order."""
    best: list[tuple[dict, float]] = []
    if query.offset < in_front:
        part = dataclasses.replace(query, limit=min(query.limit, in_front - query.offset))
        best += _listed(index, part, inside, scoring)
    wanted = query.limit - len(best)
    if wanted > 0 and total > in_front:
        # the others are the results whose groups (all their language versions) are not
        # the tier's: a filter of the groups, as a filter of what is outside the tier would
        # be the tier's negated, past what Typesense takes for a long query
        groups = sorted({d["group"] for d in matching(index, inside, "group")}) if in_front else []
        others = [condition] + ([f"group:!=[{','.join(quote(g) for g in groups)}]"] if groups else [])
        part = dataclasses.replace(query, offset=max(0, query.offset - in_front), limit=wanted)
        best += _listed(index, part, conjunction(*others), scoring)
    return best


MAX_VERSIONS = 10                 # language versions of one result read at once


def _levels(index, query: IndexQuery, tiers: list[str],
            best: list[tuple[dict, float]]) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """The tier of each listed group, by name: the first its best matching version is in
    (``IndexQuery.rest`` when none); and the group's versions in that tier. Empty without
    tiers."""
    if not tiers or not best:
        return {}, {}
    groups = sorted({document["group"] for document, _ in best})
    within = f"group:=[{','.join(quote(g) for g in groups)}]"
    searches = [{**_groups_search(conjunction(inside, within)), "per_page": len(groups),
                 "group_limit": MAX_VERSIONS} for inside in tiers]
    levels: dict[str, str] = {group: query.rest for group in groups}
    versions: dict[str, list[dict]] = {}
    names = [name for name, _ in query.tiers]
    for name, result in reversed(list(zip(names, _search(index, searches)))):
        for group in result.get("grouped_hits", []):
            levels[group["group_key"][0]] = name
            versions[group["group_key"][0]] = [hit["document"] for hit in group["hits"]]
    return levels, versions


def _shown_version(document: dict, in_best_tier: dict[str, list[dict]]) -> dict:
    """The version a result is shown by: the one listed, unless it is not in the result's
    best tier and another is ("hate" typed: the English version of a pair)."""
    versions = in_best_tier.get(document["group"])
    if not versions or any(version["id"] == document["id"] for version in versions):
        return document
    return versions[0]


def _matches(query: IndexQuery, in_tiers: list[int], total: int) -> dict[str, int]:
    """Results per tier (``in_tiers``: the results of each tier or an earlier one)."""
    if not query.tiers:
        return {}
    counts: dict[str, int] = {}
    before = 0
    for (name, _), upto in zip(query.tiers, in_tiers):
        counts[name] = counts.get(name, 0) + upto - before
        before = upto
    counts[query.rest] = counts.get(query.rest, 0) + total - before
    return counts


def match_spans(index: "TypesenseIndex", doc_id: str, node: Node) -> list[tuple[int, int]] | None:
    """Where the document's body has the terms ``node`` searches in its language's field,
    analysed as the search analysed them (a prefix or wildcard: the body's words whose
    terms fit it); the words it excludes are not matches."""
    record = index.get(doc_id, include_drafts=True)
    if record is None:
        return None
    field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    analysis = analysis_of(WHOOSH_SCHEMA[field].analyzer)
    leaves = [leaf for leaf in wanted_leaves(node) if leaf.field in (None, field)]
    patterns = [leaf.text for leaf in leaves if isinstance(leaf, Pattern)]
    words = [leaf for leaf in leaves if not isinstance(leaf, Pattern)]
    terms: set[str] = set()
    if words:
        try:
            translation = Translator(lambda ns, prefix: []).translate(
                words[0] if len(words) == 1 else Or(tuple(words)))
            terms = set(translation.searched.get(field, ()))
        except QueryError:          # only common words
            pass
    if patterns:
        body_words = set(re.findall(r"[^\W_]+", record.body))
        terms |= {t for word in body_words for t in analysis.terms(word)
                  if any(fnmatch.fnmatchcase(t, p) for p in patterns)}
    return term_spans(record.body, terms, analysis)


# Each language ranked by its own terms: Typesense drops a query's terms from the right
# until documents are found, so a French document would rank as if it matched nothing
# when the English form of a word came first. One listing per language, merged by score.
LANES = (("language:=`fr`", "f"), ("language:=`en`", "e"), ("language:!=[`fr`,`en`]", "o"))
RANKED_FIELDS = "id,group,date_key,order_key,length,counts"


def _listings(index, query: IndexQuery, condition: str, scoring: Scoring | None,
              lanes: list[list[str]]) -> list[dict]:
    """The searches of the page: one, sorted by date, or one per language, ranked, each
    from its first group to the last of the page (merged in ``_page``; ``lanes`` gets
    each one's ranking terms); past Typesense's largest page, one search ranked by every
    term."""
    common = {"query_by": "terms", "group_by": "group", "group_limit": 1, "exclude_fields": STORED_ONLY}
    ranking = scoring.ranking if scoring else None
    needed = query.offset + query.limit
    if ranking is None or needed > MAX_PAGE:
        # Typesense pages by groups of ``per_page``: an offset that is not a multiple of
        # the limit is read from the first page on, and cut in ``_page``.
        pages_before, misaligned = divmod(query.offset, query.limit)
        per_page, page = ((query.limit, pages_before + 1) if not misaligned
                          else (min(MAX_PAGE, needed), 1))
        listing = {**common, "q": "*", "filter_by": condition, "per_page": per_page, "page": page,
                   "sort_by": f"date_key:{'asc' if query.sort == 'oldest' else 'desc'},order_key:asc"}
        if ranking is not None:
            listing.update(_ranked(ranking))
            lanes.append(ranking)
        return [listing]
    searches = []
    for lane, namespace in LANES:        # what ranking reads: the page's documents are read in _hits
        lanes.append([t for t in ranking if t[0] in (namespace, "c", "t")])
        searches.append({**common, "filter_by": f"{condition} && {lane}", "per_page": max(needed, RERANKED),
                         "page": 1, "include_fields": RANKED_FIELDS, **_ranked(lanes[-1])})
    return [*searches, {**common, "q": "*", "filter_by": condition, "per_page": 1}]    # the groups


def _ranked(terms: list[str]) -> dict:
    return {"q": " ".join([EVERY, *terms]), "prefix": False, "num_typos": 0,
            "drop_tokens_threshold": ALL_DROPPED, "sort_by": "_text_match:desc,date_key:desc,order_key:asc"}


def _page(index, query: IndexQuery, listed: list[dict], lanes: list[list[str]],
          scoring: Scoring | None) -> tuple[int, list[tuple[dict, float]]]:
    """(groups in all, the page's best documents with their scores).

    As Typesense lists them, a document's score is the sum of the boosts of the ranking
    terms it holds (plus Typesense's own finer order, under 1): since terms are dropped
    from the right, the terms a document holds are the first ``matched - 1`` of its
    listing (after ``EVERY``), and the words as typed weigh more than their translations.
    The first results by that score are then scored again (``ranking.reranked``)."""
    boosts = scoring.boosts if scoring else {}

    def scored(result, terms):
        out = []
        for group in result.get("grouped_hits", []):
            hit = group["hits"][0]
            if scoring is None:
                out.append((hit["document"], 0.0))
                continue
            match = hit.get("text_match", 0) / TEXT_MATCH_UNIT
            held_terms = terms[:max(0, int(match) - 1)]
            out.append((hit["document"], sum(boosts.get(t, 1.0) for t in held_terms) + (match % 1)))
        return out
    if len(listed) == 1:
        found = scored(listed[0], lanes[0] if lanes else [])
        if query.offset % query.limit:               # a misaligned offset: read from the start
            found = found[query.offset:query.offset + query.limit]
        return listed[0]["found"], found
    def order(pair):
        document, score = pair
        return -score, -document.get("date_key", 0), document.get("order_key", 0)
    versions: dict[str, list[tuple[dict, float]]] = {}       # a result's versions, one a language
    for result, terms in zip(listed[:-1], lanes):
        for document, score in scored(result, terms):
            versions.setdefault(document["group"], []).append((document, score))
    groups = sorted((sorted(found, key=order) for found in versions.values()), key=lambda found: order(found[0]))
    merged = reranked(groups, scoring, lambda searches: _search(index, searches), quote)
    return listed[-1]["found"], merged[query.offset:query.offset + query.limit]



def _facet_counts(result: dict) -> dict[str, dict[str, int]]:
    return {facet["field_name"]: {c["value"]: c["count"] for c in facet["counts"]}
            for facet in result.get("facet_counts", [])}


def _hits(index, best: list[tuple[dict, float]], searched, include_drafts: bool,
          levels: dict[str, str] | None = None) -> list[Hit]:
    if not best:
        return []
    groups = sorted({document["group"] for document, _ in best})
    condition = f"group:=[{','.join(quote(g) for g in groups)}]"
    members: dict[str, list[dict]] = {}
    for document in matching(index, condition if include_drafts else f"{condition} && {VISIBLE}"):
        members.setdefault(document["group"], []).append(document)
    hits = []
    read = {d["id"]: d for documents in members.values() for d in documents}
    for document, score in best:
        document = read.get(document["id"], document)       # listed with some fields only
        record = record_of(document)
        others = [record_of(d) for d in members.get(document["group"], []) if d["id"] != record.id]
        marked, passage, commitment = "", None, None
        if searched is not None:
            field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
            analyzer = analysis_of(WHOOSH_SCHEMA[field].analyzer)
            terms = set(searched.get(field, ()))
            marked, passage, commitment = highlights(
                record.body, [c.to_dict() for c in record.extraction.commitments], terms, analyzer)
        hits.append(Hit.of(record, float(score), others, snippet=marked, passage=passage,
                           commitment=commitment, match=(levels or {}).get(document["group"])))
    return hits


# -- typo tolerance ---------------------------------------------------------------------
def _forms(word: str) -> list[str]:
    """Every field's analysed form of ``word`` (as the terms array holds them)."""
    return [term(name, t) for name in SEARCH_FIELDS for t in query_terms(name, word)]


def corrections(index: Collection, words: Sequence[str]) -> dict[str, list[str]]:
    """For each unknown word of 5+ letters, the closest words of the vocabulary (1 edit
    under 8 letters, else 2), most frequent first (visible documents holding them: a word
    only drafts hold is neither known nor offered), at most 3."""
    index.documents()
    wanted = [w for w in dict.fromkeys(words) if correctable(w)]
    if not wanted:
        return {}
    known = _counts(index, [_forms(w) for w in wanted], within=VISIBLE)
    unknown = [w for w, count in zip(wanted, known) if not count]
    vocabulary = index.client.collections[f"{index.name}-vocabulary"].documents
    out = {}
    for word in unknown:
        lowered = word.lower()
        found = index.connection.read(lambda: vocabulary.search({
            "q": lowered, "query_by": "term", "filter_by": f"ns:={quote(WORD)}", "prefix": False,
            "num_typos": max_edits(lowered), "min_len_1typo": MIN_LENGTH, "min_len_2typo": LONG_WORD, "per_page": 20,
            "max_candidates": 20, "typo_tokens_threshold": 20, "drop_tokens_threshold": 0}))
        candidates = [c for c in dict.fromkeys(h["document"]["term"] for h in found["hits"])
                      if c != lowered and " " not in c]
        if not candidates:
            continue
        offered = best(dict(zip(candidates, _counts(index, [_forms(c) for c in candidates], within=VISIBLE))))
        if offered:
            out[word] = offered
    return out


def word_counts(index: Collection, language: str, words: Sequence[str]) -> list[int | None]:
    """For each word, the visible documents whose body field of ``language`` (title and
    body, that language's analyser) has it, as tantivy counts: a word the analyser cuts in
    several terms counts by its rarest, one it drops entirely is None. (Not in titles or
    city names, read without stemming: "Prevention" in an English title is no English use
    of "prévention".)"""
    index.documents()
    field = BODY_FIELDS.get(language, OTHER_BODY_FIELD)
    analysed = [[term(field, t) for t in analyse(field, word)] for word in words]
    wanted = list(dict.fromkeys(t for terms in analysed for t in terms))
    if not wanted:
        return [None] * len(words)
    holders = dict(zip(wanted, _counts(index, [[t] for t in wanted], within=VISIBLE)))
    return [min((holders[t] for t in terms), default=None) for terms in analysed]


def _counts(index, forms: list[list[str]], within: str = "") -> list[int]:
    """How many documents hold any of each list of terms (among those ``within`` selects)."""
    also = f" && {within}" if within else ""
    searches = [{"q": "*", "filter_by": (f"terms:=[{','.join(quote(f) for f in terms)}]" if terms
                                         else "terms:=`k.none`") + also, "per_page": 0} for terms in forms]
    return [r["found"] for r in _search(index, searches)]


# -- more like this ------------------------------------------------------------------------
def similar(index: Collection, doc_id: str, limit: int = 5) -> list[SimilarDocument] | None:
    """Documents sharing the key terms of ``doc_id`` (its most frequent terms) in its
    language, or its themes, cities and organisations in any; never its own group."""
    record = index.get(doc_id, include_drafts=True)
    if record is None:
        return None
    field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    frequency = Counter(analyse(field, record.body))
    key_terms = [term(field, t) for t, _ in frequency.most_common(KEY_TERMS)]
    shared = {"theme": list(record.extraction.themes), "city": [c.name for c in record.extraction.cities],
              "organisation": organisations(record)}
    wanted = [f"terms:=[{','.join(quote(t) for t in key_terms)}]"] if key_terms else []
    wanted += [facet_filter(name, values) for name, values in shared.items() if values]
    if not wanted:
        return []
    own_group = hashed(record.translation_key or record.id)
    condition = "(" + " || ".join(wanted) + f") && group:!={quote(own_group)} && {VISIBLE}"
    documents = index.documents()
    found = index.connection.read(lambda: documents.search({
        "q": " ".join([EVERY, *key_terms[:8]]), "query_by": "terms", "filter_by": condition,
        "prefix": False, "num_typos": 0, "drop_tokens_threshold": ALL_DROPPED,
        "per_page": limit, "include_fields": "id,title,doc_language,doc_type,date"}))
    top = max((h.get("text_match", 0) for h in found["hits"]), default=1) or 1
    return [SimilarDocument(h["document"]["id"], h["document"].get("title", ""),
                            h["document"].get("doc_language", ""), h["document"].get("doc_type", ""),
                            h["document"].get("date") or None, round(h.get("text_match", 0) / top, 4))
            for h in found["hits"]]

