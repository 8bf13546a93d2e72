"""Running a search on the tantivy index: matching, facet counts, grouping of language
versions, ranking, snippets. ``kb/search.py`` decides what to run; this module runs it.

Per search, tantivy is asked twice, both times in Rust without the GIL: one search for the
page (the best documents, and how many match) and one aggregation for the counts. The
aggregation runs the query with the filters that are not facets (drafts, dates) and
counts each facet's values in the pool its counts need: the documents matching every
selected facet for the facets without a selection, every other selected facet for a
facet with one (values of one facet combine with OR, facets with AND). Filters inside
the aggregation are query strings over hashed facet values (``schema.facet_key``), which
any value can be. Groups of language versions are counted from the translation keys
that more than one matching document shares.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

import tantivy

from model.fields import FACETS
from model.record import Record

from ...query import Every, Node, Pattern, QueryError, wanted_leaves
from ..highlighting import highlights, term_spans
from ..interface import FacetCount, Hit, IndexAnswer, IndexQuery, facet_entries
from .analysis import analyses
from .parsing import MUST, MUST_NOT, SHOULD, Built, _Builder, _regex, boolean, to_tantivy
from .schema import (BODY_FIELDS, DATE_FIELD, FILTER_FIELD, GROUP_FIELD, GROUP_NUMBER,
                     OTHER_BODY_FIELD, TEXT_ANALYZERS, TRANSLATION_FIELD, facet_key, record_of)
from .store import IndexStore

SEGMENT_VALUES = 10_000      # values per segment and facet merged for exact counts


def run(store: IndexStore, query: IndexQuery) -> IndexAnswer:
    """``query`` on the latest commit."""
    searcher, _ = store.reading()
    return Execution(searcher, store.schema, query).answer()


def date_bounds(date_from: str, date_to: str) -> tuple[int, int]:
    """ISO prefixes → inclusive bounds of ``schema.date_number`` (undated documents out)."""
    def number(date: str, fill: str) -> int:
        parts = (date.split("-") + [fill, fill])[:3]
        return int(parts[0]) * 10000 + int(parts[1]) * 100 + int(parts[2])
    low = number(date_from, "0") if date_from else 1
    high = number(date_to, "99") if date_to else 99999999
    return max(low, 1), high


def draft_query(schema: tantivy.Schema) -> tantivy.Query:
    return tantivy.Query.term_query(schema, "status", "draft")


def word_counts(searcher: tantivy.Searcher, schema: tantivy.Schema, language: str,
                words: Sequence[str]) -> list[int | None]:
    """For each word, the visible documents whose body field of ``language`` (title and
    body, that language's analyzer) has it; a word the analyzer cuts in several terms
    counts by its rarest, one it drops entirely is None."""
    field = BODY_FIELDS.get(language, OTHER_BODY_FIELD)
    analysis = analyses()[TEXT_ANALYZERS[field]]
    holders = visible_holders(searcher, schema)
    return [min((holders(field, term) for term in analysis.analyze(word)), default=None) for word in words]


def visible_holders(searcher: tantivy.Searcher, schema: tantivy.Schema):
    """``holders(field, term)``: how many documents that are not drafts hold the term."""
    hidden = (MUST_NOT, draft_query(schema))

    def holders(field: str, term: str) -> int:
        query = boolean([(MUST, tantivy.Query.term_query(schema, field, term)), hidden])
        return searcher.search(query, 1, count=True).count
    return holders


def match_spans(searcher: tantivy.Searcher, schema: tantivy.Schema, doc_id: str,
                node: Node) -> list[tuple[int, int]] | None:
    """Where the document's body has the terms ``node`` searches in its language's field,
    analysed as the search analysed them (a prefix or wildcard: the body's words whose
    terms it matches); the words it excludes are not matches."""
    found = search_addresses(searcher, tantivy.Query.term_query(schema, "id", doc_id))
    if not found:
        return None
    record = record_of(searcher.doc(found[0]).get_first("record"))
    field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
    analysis = analyses()[TEXT_ANALYZERS[field]]
    builder = _Builder(schema)
    patterns = []
    for leaf in wanted_leaves(node):
        if leaf.field not in (None, field):
            continue
        if isinstance(leaf, Pattern):
            patterns.append(re.compile(_regex(leaf)))
        else:
            builder.leaf(leaf, field)
    terms = set(builder.terms.get(field, ()))
    if patterns:
        words = {word for word in re.findall(r"[^\W_]+", record.body)}
        terms |= {term for word in words for term in analysis.terms(word)
                  if any(p.fullmatch(term) for p in patterns)}
    return term_spans(record.body, terms, analysis)


def filter_string(selected: Mapping[str, Sequence[str]]) -> str:
    """The facet filters as tantivy query syntax: any value of a facet, every facet."""
    groups = []
    for name, values in selected.items():
        terms = [f"{FILTER_FIELD}:{facet_key(name, value)}" for value in values]
        groups.append("(" + " OR ".join(terms) + ")")
    return " AND ".join(groups)


class Execution:
    """One search against one commit of the index."""

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema, query: IndexQuery):
        self.searcher = searcher
        self.schema = schema
        self.query = query
        self.has_text = not isinstance(query.query, Every)
        self.built: Built = to_tantivy(query.query, schema)
        selected = {name: list(dict.fromkeys(v for v in values if v)) for name, values in query.filters.items()}
        self.selected = {name: values for name, values in selected.items() if values}
        self.base = self._base_clauses()
        self._tiers: dict[int, tantivy.Query | None] = {}

    def _base_clauses(self) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """Filters that are not facets: drafts hidden, publication dates."""
        clauses = []
        if not self.query.include_drafts:
            clauses.append((MUST_NOT, draft_query(self.schema)))
        if self.query.date_from or self.query.date_to:
            low, high = date_bounds(self.query.date_from, self.query.date_to)
            clauses.append((MUST, tantivy.Query.const_score_query(tantivy.Query.range_query(
                self.schema, DATE_FIELD, tantivy.FieldType.Unsigned, low, high), 0.0)))
        return clauses

    def _facet_clauses(self, names) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        return [(MUST, tantivy.Query.const_score_query(tantivy.Query.term_set_query(
                    self.schema, FILTER_FIELD, [facet_key(name, v) for v in self.selected[name]]), 0.0))
                for name in names]

    def answer(self) -> IndexAnswer:
        matching = boolean([(MUST, self.built.query), *self.base, *self._facet_clauses(self.selected)])
        first, size = self.query.offset, self.query.limit
        page, documents = self._page(self._parts(matching), first, size)
        counts = self.searcher.aggregate(boolean([(MUST, self.built.query), *self.base]),
                                         self._aggregations(documents))
        facets, shared = self._facets(counts)
        total = documents - shared
        hits = self._hits(page, matching) if first < total else []
        return IndexAnswer(total=total, documents=documents, hits=hits, facets=facets,
                           terms=self.built.terms if self.has_text else {},
                           matches=self._tier_counts(matching, total))

    # -- tiers (IndexQuery.tiers) ---------------------------------------------------------
    def _tier(self, number: int) -> tantivy.Query | None:
        """A filter of the documents in tier ``number`` or an earlier one (None: none)."""
        if number not in self._tiers:
            tiers = []
            for _, node in self.query.tiers[:number + 1]:
                try:
                    tiers.append(tantivy.Query.const_score_query(to_tantivy(node, self.schema).query, 0.0))
                except QueryError:       # nothing left to search: no document in this tier
                    continue
            self._tiers[number] = (None if not tiers else tiers[0] if len(tiers) == 1
                                   else boolean([(SHOULD, t) for t in tiers]))
        return self._tiers[number]

    def _names(self) -> list[str]:
        return [name for name, _ in self.query.tiers] + [self.query.rest]

    def _parts(self, matching: tantivy.Query) -> list[tantivy.Query | None]:
        """The matching documents in the order pages list them: those in the tier named
        ``IndexQuery.first`` or an earlier one, then the others (one part without it)."""
        names = self._names()
        if not self.query.tiers or self.query.first not in names or self.query.first == self.query.rest:
            return [matching]
        front = self._tier(names.index(self.query.first))
        if front is None:
            return [None, matching]
        return [boolean([(MUST, matching), (MUST, front)]), boolean([(MUST, matching), (MUST_NOT, front)])]

    def _groups(self, query: tantivy.Query) -> int:
        """Results (groups of language versions) matching ``query``."""
        documents = self.searcher.search(query, 1, count=True).count
        if not documents:
            return 0
        counts = self.searcher.aggregate(query, {"groups": {"terms": {
            "field": TRANSLATION_FIELD, "size": max(1, documents // 2 + 1),
            "segment_size": max(1, documents + 1), "min_doc_count": 2}}})
        return documents - sum(bucket["doc_count"] - 1 for bucket in counts["groups"]["buckets"])

    def _tier_counts(self, matching: tantivy.Query, total: int) -> dict[str, int]:
        """Results per tier, each group in its best version's; {} without tiers."""
        if not self.query.tiers:
            return {}
        names, counts, before = self._names(), {}, 0
        for number, name in enumerate(names[:-1]):
            tier = self._tier(number)
            upto = 0 if tier is None else self._groups(boolean([(MUST, matching), (MUST, tier)]))
            counts[name] = counts.get(name, 0) + upto - before
            before = upto
        counts[names[-1]] = counts.get(names[-1], 0) + total - before
        return counts

    def _levels(self, matching: tantivy.Query, groups: set[str]) -> tuple[dict[str, str], dict[str, list]]:
        """The tier of each group of ``groups`` (its best matching version's), by name;
        and the addresses of the group's versions in that tier (none for the rest)."""
        if not self.query.tiers or not groups:
            return {}, {}
        names = self._names()
        levels = {group: names[-1] for group in groups}
        best: dict[str, tuple[int, list]] = {}
        within = tantivy.Query.term_set_query(self.schema, GROUP_FIELD, sorted(groups))
        for number in reversed(range(len(names) - 1)):
            tier = self._tier(number)
            if tier is None:
                continue
            for address in search_addresses(self.searcher, boolean([(MUST, matching), (MUST, tier),
                                                                    (MUST, within)])):
                group = self.searcher.doc(address).get_first(GROUP_FIELD)
                levels[group] = names[number]
                if group not in best or best[group][0] > number:
                    best[group] = (number, [])
                best[group][1].append(address)
        return levels, {group: addresses for group, (_, addresses) in best.items()}

    # -- counting -----------------------------------------------------------------------
    def _aggregations(self, documents: int) -> dict:
        size = max(0, self.query.facet_limit) + 1

        def values(name: str, wanted: Sequence[str] = ()) -> dict:
            terms = {"field": name, "size": size, "segment_size": max(SEGMENT_VALUES, size)}
            if name == "year":
                terms["order"] = {"_key": "desc"}
            if wanted:        # the selected values, whatever their rank
                terms.update(include=list(wanted), size=len(wanted))
            return {"terms": terms}

        pooled = {}
        for name in FACETS:
            pooled[f"f_{name}"] = values(name)
            if name in self.selected:
                pooled[f"w_{name}"] = values(name, self.selected[name])
        aggregations: dict = {}
        # every selected facet: the pool of the facets without a selection, and the groups
        matched = {name: aggregation for name, aggregation in pooled.items()
                   if name[2:] not in self.selected}
        matched["groups"] = {"terms": {"field": TRANSLATION_FIELD, "size": max(1, documents // 2 + 1),
                                       "segment_size": max(1, documents + 1), "min_doc_count": 2}}
        self._pool(aggregations, "all", self.selected, matched)
        for name in self.selected:           # every other selected facet: its own pool
            others = {other: values for other, values in self.selected.items() if other != name}
            self._pool(aggregations, name, others,
                       {key: pooled[key] for key in (f"f_{name}", f"w_{name}")})
        return aggregations

    @staticmethod
    def _pool(aggregations: dict, name: str, filters: Mapping[str, Sequence[str]], inner: dict) -> None:
        if filters:
            aggregations[f"pool_{name}"] = {"filter": filter_string(filters), "aggs": inner}
        else:
            aggregations.update(inner)

    def _facets(self, counts: dict) -> tuple[dict[str, list[FacetCount]], int]:
        """(every facet's entries, documents that share a group with a better one)."""
        pools = {name: counts.get(f"pool_{name}", counts) for name in ("all", *self.selected)}
        facets = {}
        for name in FACETS:
            pool = pools[name if name in self.selected else "all"]
            found: dict[str, int] = {}
            for key in (f"f_{name}", f"w_{name}"):
                for bucket in pool.get(key, {}).get("buckets", ()):
                    found[str(bucket["key"])] = bucket["doc_count"]
            facets[name] = facet_entries(name, found, self.selected.get(name, ()), self.query.facet_limit)
        groups = pools["all"]["groups"]["buckets"]
        return facets, sum(bucket["doc_count"] - 1 for bucket in groups)

    # -- the page -----------------------------------------------------------------------
    def _page(self, parts: list[tantivy.Query | None], first: int, size: int
              ) -> tuple[list[tuple[float, object]], int]:
        """(hits first..first+size as (score, address), the best version of each group only;
        matching documents). ``parts``: the matching documents in parts listed one after
        the other (``_parts``), a group in the first part that has it."""
        listed: list[tuple[float, object]] = []
        seen: set[int] = set()
        documents = 0
        for part in parts:
            if part is None:
                continue
            found, count, seen = self._part(part, first + size - len(listed), seen)
            listed += found
            documents += count
        return listed[first:first + size], documents

    def _part(self, matching: tantivy.Query, wanted: int, skip: set[int]
              ) -> tuple[list[tuple[float, object]], int, set[int]]:
        """(at least ``wanted`` hits of ``matching`` as (score, address), the best version
        of each group whose group is not in ``skip``, or all of them; matching documents;
        the groups seen, ``skip`` included: all of them when fewer than ``wanted`` were
        found). Only the best few are asked for: more each round."""
        by_date = not (self.query.sort == "relevance" and self.has_text)
        options = {"order_by_field": DATE_FIELD,
                   "order": tantivy.Order.Asc if self.query.sort == "oldest" else tantivy.Order.Desc
                   } if by_date else {}
        limit = max(1, 2 * wanted)       # tantivy refuses 0: a count only still asks one
        while True:
            result = self.searcher.search(matching, limit, count=True, **options)
            hits = result.hits
            groups = self.searcher.fast_field_values(GROUP_NUMBER, [address for _, address in hits])
            seen = set(skip)
            listed = []
            for hit, group in zip(hits, groups):
                if group not in seen:
                    seen.add(group)
                    listed.append((0.0 if by_date else hit[0], hit[1]))
            if wanted <= 0 or len(listed) >= wanted or len(hits) < limit:
                return listed, result.count, seen
            limit *= 4

    def _hits(self, page: list[tuple[float, object]], matching: tantivy.Query) -> list[Hit]:
        stored = [self.searcher.doc(address) for _, address in page]
        groups = [doc.get_first(GROUP_FIELD) for doc in stored]
        levels, in_best_tier = self._levels(matching, set(groups))
        # a result is shown by a version in its best tier: when its versions share a date,
        # the one with the words as typed rather than the one indexed first
        shown = [doc if address in in_best_tier.get(group, [address]) else self.searcher.doc(in_best_tier[group][0])
                 for (_, address), group, doc in zip(page, groups, stored)]
        records = [record_of(doc.get_first("record")) for doc in shown]
        versions = self._versions({r.translation_key for r in records if r.translation_key})
        return [self._hit(record, score, versions, levels.get(record.translation_key or record.id))
                for (score, _), record in zip(page, records)]

    def _versions(self, keys: set[str]) -> dict[str, list[Record]]:
        """The visible versions of each translation key of ``keys``, as much of them as a
        hit shows (id, title, language), read without their whole Record."""
        if not keys:
            return {}
        clauses = [(MUST, tantivy.Query.term_set_query(self.schema, TRANSLATION_FIELD, sorted(keys)))]
        if not self.query.include_drafts:
            clauses.append((MUST_NOT, draft_query(self.schema)))
        found: dict[str, list[Record]] = {}
        for address in search_addresses(self.searcher, boolean(clauses)):
            stored = self.searcher.doc(address)
            version = Record(id=stored.get_first("id"), title=stored.get_first("title") or "", type="",
                             language=stored.get_first("language") or "", body="",
                             path=stored.get_first("path"), fingerprint="")
            found.setdefault(stored.get_first(GROUP_FIELD), []).append(version)
        return found

    def _hit(self, record: Record, score: float, versions: dict[str, list[Record]],
             match: str | None = None) -> Hit:
        marked, passage, commitment = "", None, None
        if self.has_text and self.query.snippets:
            field = BODY_FIELDS.get(record.language, OTHER_BODY_FIELD)
            analysis = analyses()[TEXT_ANALYZERS[field]]
            terms = set(self.built.terms.get(field, ()))
            marked, passage, commitment = highlights(
                record.body, [c.to_dict() for c in record.extraction.commitments], terms, analysis)
        others = [o for o in versions.get(record.translation_key or record.id, []) if o.id != record.id]
        return Hit.of(record, score, others, snippet=marked, passage=passage, commitment=commitment,
                      match=match)


def search_addresses(searcher: tantivy.Searcher, query: tantivy.Query, limit: int = 100) -> list:
    """The addresses of every document matching ``query``, in index order."""
    result = searcher.search(query, limit, count=True)
    if result.count > limit:
        result = searcher.search(query, result.count, count=True)
    return sorted((address for _, address in result.hits), key=lambda a: (a.segment_ord, a.doc))


def search_records(searcher: tantivy.Searcher, query: tantivy.Query) -> list[Record]:
    return [record_of(searcher.doc(address).get_first("record"))
            for address in search_addresses(searcher, query)]
