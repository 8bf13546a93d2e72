"""The baseline: SQLite FTS5 (standard library) over the same Records and queries.

It does what ``kb.search.search`` does in its simplest form: match, narrow by facet
filters, count every facet over the matches (a selected facet's counts without its own
filter), and read the page shown with a snippet. Tokenizer ``unicode61
remove_diacritics 2``: accents and case folded, no stemming, no stop words.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from model.record import Record
from model.fields import FACETS, NO_VALUE, facet_values

from .queries import BenchQuery

PAGE_SIZE = 10
SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, language TEXT, type TEXT, date TEXT, path TEXT);
CREATE TABLE facets(doc INTEGER, field TEXT, value TEXT);
"""
INDEXES = """
CREATE INDEX facets_by_value ON facets(field, value, doc);
CREATE INDEX facets_by_doc ON facets(doc, field, value);
CREATE INDEX meta_by_date ON meta(date);
"""


def build(path: Path, records: Iterable[Record]) -> int:
    """A fresh FTS5 database at ``path`` from ``records``, in one transaction."""
    path = Path(path)
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    count = 0
    with db:
        for rowid, record in enumerate(records, start=1):
            values = facet_values(record)
            db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                       (rowid, record.title, record.body))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                       (rowid, record.id, record.language, record.type, record.date or "", record.path))
            db.executemany("INSERT INTO facets VALUES (?, ?, ?)",
                           [(rowid, name, value) for name in FACETS
                            for value in values[name] if value != NO_VALUE])
            count += 1
        db.executescript(INDEXES)
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    db.close()
    return count


class FtsSearcher:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA temp_store = MEMORY")
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS matched(rowid INTEGER PRIMARY KEY)")
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS pool(rowid INTEGER PRIMARY KEY)")

    def close(self) -> None:
        self.db.close()

    def _fill(self, table: str, match: str, filters: dict[str, list[str]]) -> None:
        db = self.db
        db.execute(f"DELETE FROM {table}")
        where, args = [], []
        for name, values in filters.items():
            where.append("rowid IN (SELECT doc FROM facets WHERE field = ? AND value IN (%s))"
                         % ",".join("?" * len(values)))
            args += [name, *values]
        if match:
            sql = f"INSERT INTO {table} SELECT rowid FROM docs WHERE docs MATCH ?"
            args = [match, *args]
            if where:
                sql += " AND " + " AND ".join(where)
        else:
            sql = f"INSERT INTO {table} SELECT rowid FROM meta"
            if where:
                sql += " WHERE " + " AND ".join(where)
        db.execute(sql, args)

    def search(self, query: BenchQuery) -> dict:
        """total, facet counts and the page of hits (id, title, snippet)."""
        filters: dict[str, list[str]] = {}
        for name, value in query.filters:
            filters.setdefault(name, []).append(value)
        db = self.db
        self._fill("matched", query.fts, filters)
        total = db.execute("SELECT count(*) FROM matched").fetchone()[0]
        facets: dict[str, list[tuple[str, int]]] = {}
        for field, value, count in db.execute(
                "SELECT field, value, count(*) FROM facets JOIN matched ON facets.doc = matched.rowid "
                "GROUP BY field, value"):
            if field not in filters:
                facets.setdefault(field, []).append((value, count))
        for name in filters:   # a selected facet counts without its own filter
            self._fill("pool", query.fts, {k: v for k, v in filters.items() if k != name})
            facets[name] = db.execute(
                "SELECT value, count(*) FROM facets JOIN pool ON facets.doc = pool.rowid "
                "WHERE field = ? GROUP BY value", (name,)).fetchall()
        offset = (query.page - 1) * PAGE_SIZE
        if query.fts:
            # Rank first, then snippets for the page only (snippet() in the ranked query
            # would be computed for every match before LIMIT).
            narrowed = " AND rowid IN (SELECT rowid FROM matched)" if filters else ""
            ids = [row[0] for row in db.execute(
                f"SELECT rowid FROM docs WHERE docs MATCH ?{narrowed} ORDER BY rank LIMIT ? OFFSET ?",
                (query.fts, PAGE_SIZE, offset))]
            page = [db.execute(
                "SELECT meta.id, docs.title, snippet(docs, 1, '<mark>', '</mark>', ' … ', 24) "
                "FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE docs MATCH ? AND docs.rowid = ?",
                (query.fts, rowid)).fetchone() for rowid in ids]
        else:
            page = db.execute(
                "SELECT meta.id, docs.title, substr(docs.body, 1, 240) FROM meta "
                "JOIN docs ON docs.rowid = meta.rowid WHERE meta.rowid IN (SELECT rowid FROM matched) "
                "ORDER BY meta.date DESC LIMIT ? OFFSET ?", (PAGE_SIZE, offset)).fetchall()
        return {"total": total, "facets": facets, "hits": page}
