"""What a user would otherwise pick, side by side with the project's Whoosh backend on the same documents
and queries, in one run (used by bench/search.py): stock Whoosh (default BM25F scoring, its own
matchers) with the same Thai segmenter, and SQLite FTS5 with the trigram tokenizer."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, TEXT, Schema

from cop.text import thai

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class SegmenterTokenizer(Tokenizer):
    """Thai runs segmented with the project's segmenter (nlpo3 + PMQA words), Latin words lower-cased."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (_kind, tok, s, e) in enumerate(thai.iter_tokens(value)):
            t.text = tok.lower()
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t


class StockWhoosh:
    name = "stock Whoosh, same segmenter"

    def __init__(self, path: str):
        os.makedirs(path, exist_ok=True)
        schema = Schema(key=ID(stored=True, unique=True), title=TEXT(analyzer=SegmenterTokenizer(), stored=True),
                        body=TEXT(analyzer=SegmenterTokenizer()))
        self.ix = windex.create_in(path, schema)
        self._searcher = None

    def build(self, docs) -> None:
        w = self.ix.writer(limitmb=256)
        for d in docs:
            w.add_document(key=d.key, title=d.title, body=d.body)
        w.commit()

    def update(self, doc) -> None:
        w = self.ix.writer(timeout=10)
        w.update_document(key=doc.key, title=doc.title, body=doc.body)
        w.commit()
        self._searcher = None

    def _query(self, q: str):
        words = [tok for _k, tok, _s, _e in thai.iter_tokens(q)]
        return wq.And([wq.Or([wq.Term("title", w.lower()), wq.Term("body", w.lower())]) for w in words])

    def searcher(self):
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def search(self, q: str) -> int:
        r = self.searcher().search(self._query(q), limit=10)
        [h["key"] for h in r]
        return len(r)

    def found(self, q: str) -> set[str]:
        s = self.searcher()
        return {s.stored_fields(d)["key"] for d in s.docs_for_query(self._query(q))}

    def close(self):
        if self._searcher is not None:
            self._searcher.close()


class Fts5Trigram:
    name = "SQLite FTS5 trigram"

    def __init__(self, path: str):
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, tokenize='trigram')")

    def build(self, docs) -> None:
        self.db.executemany("INSERT INTO docs(key, title, body) VALUES (?, ?, ?)",
                            [(d.key, thai.normalize(d.title), thai.normalize(d.body)) for d in docs])
        self.db.commit()

    def update(self, doc) -> None:
        self.db.execute("DELETE FROM docs WHERE key = ?", (doc.key,))
        self.db.execute("INSERT INTO docs(key, title, body) VALUES (?, ?, ?)",
                        (doc.key, thai.normalize(doc.title), thai.normalize(doc.body)))
        self.db.commit()

    @staticmethod
    def _where(q: str):
        parts = thai.normalize(q).split()
        long = [p for p in parts if len(p) >= 3]
        short = [p for p in parts if len(p) < 3]  # trigrams need 3 characters: LIKE (still indexed)
        clauses, args = [], []
        if long:
            clauses.append("docs MATCH ?")
            args.append(" AND ".join('"' + p.replace('"', '""') + '"' for p in long))
        for p in short:
            clauses.append("(title LIKE ? OR body LIKE ?)")
            args += [f"%{p}%", f"%{p}%"]
        return " AND ".join(clauses) or "1", args

    def search(self, q: str) -> int:
        where, args = self._where(q)
        order = " ORDER BY rank" if "MATCH" in where else ""
        rows = self.db.execute(f"SELECT key, title, snippet(docs, 2, '<mark>', '</mark>', '…', 16) FROM docs "  # nosec B608
                               f"WHERE {where}{order} LIMIT 10", args).fetchall()
        self.db.execute(f"SELECT count(*) FROM docs WHERE {where}", args).fetchone()  # nosec B608
        return len(rows)

    def found(self, q: str) -> set[str]:
        where, args = self._where(q)
        return {r[0] for r in self.db.execute(f"SELECT key FROM docs WHERE {where}", args)}  # nosec B608

    def close(self):
        self.db.close()


def cold_first_search(kind: str, path: str, query: str) -> tuple[float, float]:
    """(start-up incl. warm-up, first search) in ms, in a fresh Python process as a new worker sees it."""
    code = f"""
import time, sys
t0 = time.perf_counter()
sys.path.insert(0, {ROOT!r})
if {kind!r} == "project":
    from cop.search.analysis import warm
    from cop.search.base import SearchRequest
    from cop.search.whoosh_backend import WhooshBackend
    b = WhooshBackend({path!r}); warm(); b.search(SearchRequest("การบริการ", per_page=1))  # as post_worker_init
    run = lambda: b.search(SearchRequest({query!r}))
elif {kind!r} == "stock":
    from bench.baselines import StockWhoosh
    from whoosh import index
    from cop.text import thai
    s = StockWhoosh.__new__(StockWhoosh); s.ix = index.open_dir({path!r}); s._searcher = None
    thai.segment("ทดสอบ"); s.search("การบริการ")
    run = lambda: s.search({query!r})
else:
    import sqlite3
    from bench.baselines import Fts5Trigram
    f = Fts5Trigram.__new__(Fts5Trigram); f.db = sqlite3.connect({path!r}); f.search("การบริการ")
    run = lambda: f.search({query!r})
t1 = time.perf_counter(); run(); t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": ROOT}).stdout.split()
    return float(out[0]), float(out[1])


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t
