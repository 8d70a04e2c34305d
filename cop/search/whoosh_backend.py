"""Whoosh search backend (the default; an index directory in the data dir).

Distribution: ``whoosh-reloaded`` 2.7.5 rather than ``whoosh`` 2.7.4 — see WHOOSH_CHOICE below.

Searcher refresh: see WHOOSH_CHOICE (Whoosh's own ``refresh()`` shows deleted documents).

How it stays fast (see bench/search.py for the figures):

* Thai words are single terms: a ``sub`` field holds every dictionary word occurring inside Thai
  text (see :mod:`cop.search.analysis`), so a query word inside a compound is ONE term lookup, never a
  positional phrase of common short words; a typed compound that segments into several words is an
  AND of terms, not a phrase (quotes give a real phrase).
* Total and facet counts are not computed by scoring: every term's postings are turned once into a
  byte-per-document bitmap (a Python int), cached per segment, and combined with ``& | ~`` and
  ``int.bit_count()``; facet value bitmaps are cached per segment too.
* Ranking is done here, not by Whoosh's matchers (which score every match of a 3-field OR, and
  whose block-max skipping does not work through it): BM25F-like scores from cached per-segment
  postings (ids, tf-part from the length columns, impact order). Up to EXACT_SCORING_LIMIT
  matches every one is scored; above, only each term's best documents inside the match bitmap.
* ``sub`` is a filter-like field (distinct terms, no frequencies/positions/lengths) holding only the
  sub-words a document does not already have as word tokens; writers skip Whoosh's per-posting
  length statistics (only its own scoring used them); big rebuilds use 2 forked sub-writers.
* One searcher is kept open and ``refresh()``-ed after writes and when another process committed.
* Snippets are cut from the stored (zlib-compressed, normalized) body at word boundaries.
"""
from __future__ import annotations

import bisect
import heapq
import html
import math
import os
import re
import shutil
import threading
import time
import zlib
from array import array
from collections import OrderedDict
from typing import Callable, Iterable

from whoosh import index as windex
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence
from whoosh.util.numeric import byte_to_length
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from cop.search import analysis
from cop.search.base import FACETS, Hit, SearchBackend, SearchDocument, SearchRequest, SearchResults
from cop.search.query import ParsedQuery, parse, to_whoosh
from cop.taxonomy import get_category, normalize_code
from cop.text import thai

WHOOSH_CHOICE = """
Evidence gathered on this machine (Python 3.11.7): both ``whoosh`` 2.7.4 (2016 wheel) and
``whoosh-reloaded`` 2.7.5 install and import; both produce the same on-disk format and ~120
invalid-escape-sequence warnings when their sources are compiled (SyntaxWarning on 3.12+), so
neither is "warning-free". 106 files differ, mostly reformatting. One behavioural difference found:
reloaded's ``FileIndex._reader(reuse=...)`` re-adds the reused reader's segments to the new list
(a merged-away segment can come back after ``Searcher.refresh()``), and BOTH reuse segment readers
by segment id only, so a refreshed searcher keeps a stale deletion set (an updated or deleted
document stays visible — reproduced with reloaded). This backend therefore never calls
``refresh()``: :meth:`WhooshBackend._refreshed` rebuilds the reader, reusing a segment reader only
when id and deletion count match, which makes the choice neutral. We keep ``whoosh-reloaded``
2.7.5 because it is the project's declared dependency and Python-3-only; both say they are
unmaintained, which is why Whoosh stays behind :class:`cop.search.base.SearchBackend`.
"""

INDEX_NAME = "cop"
VERSION_FILE = "cop-analysis-version"
SNIPPET_CHARS = 180
#: Fields scored by the backend's own ranker (BM25 on title/body; sub-words count as present/absent).
SCORED_FIELDS = ("title", "body", "sub")
BM25_K1 = 1.2
BM25_B = 0.75
#: Up to this many candidate documents every one is scored; above it, only the union of each query
#: term's best-scoring documents (impact order) inside the candidate set is scored.
EXACT_SCORING_LIMIT = 1500
#: Rebuilds of at least this many documents use several worker processes (see ``rebuild``).
PARALLEL_REBUILD_MIN = 2000
FACET_FIELDS = {"type": "type", "category": "category", "code": "code", "province": "province", "year": "year"}


def _codec():
    """Whoosh's default codec without per-block length statistics: those only serve Whoosh's own
    block-max scoring, which this backend does not use (it ranks from the length columns, which
    are still written), and computing them read the length column once per posting at commit."""
    from whoosh.codec import default_codec

    c = default_codec()
    c.length_stats = False
    return c


def _sub_field():
    """Sub-words: a filter-like field (distinct terms, no frequencies, positions or lengths)."""
    f = TEXT(analyzer=analysis.sub_analyzer(), phrase=False)
    f.format = Existence()
    f.scorable = False
    return f


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True, sortable=True),
        type=ID(stored=True),
        id=STORED,
        title=TEXT(analyzer=analysis.word_analyzer(), stored=True, field_boost=1.0),
        body=TEXT(analyzer=analysis.word_analyzer()),
        sub=_sub_field(),
        body_z=STORED,
        url=STORED,
        categories=STORED,
        codes=STORED,
        checksum=ID(stored=True, sortable=True),
        category=KEYWORD(),
        code=KEYWORD(),
        province=ID(),
        year=ID(),
        tags=KEYWORD(lowercase=True, commas=True),
        agency=TEXT(analyzer=analysis.word_analyzer()),
    )


def _fields(doc: SearchDocument) -> dict:
    sep = analysis.SUB_SEP
    title = thai.normalize(doc.title or "").replace(sep, " ")
    body = thai.normalize(doc.body or "").replace(sep, " ")
    tags = [t.replace(",", " ").replace(sep, " ") for t in doc.tags or []]
    extra = " ".join(x for x in [(doc.agency or "").replace(sep, " "), " ".join(tags)] if x)
    body_value = body + ("\n" + extra if extra else "")
    fields = dict(
        key=doc.key,
        type=doc.type,
        id=int(doc.id),
        title=title,
        body=body_value,
        sub=title + sep + body_value,
        body_z=zlib.compress(body.encode("utf-8"), 1),
        url=doc.url or "",
        categories=list(doc.categories or []),
        codes=list(doc.codes or []),
        checksum=doc.checksum or "",
        category=" ".join(doc.categories or []),
        code=" ".join(doc.codes or []),
        tags=",".join(tags),
    )
    if doc.province:
        fields["province"] = doc.province
    if doc.year is not None:
        fields["year"] = str(int(doc.year))
    if doc.agency:
        fields["agency"] = doc.agency
    return fields


class _Postings:
    """One term's postings in one segment: doc ids (ascending), BM25 tf-part per posting (None: the
    field keeps no frequencies — every posting weighs 1), and the impact order (computed lazily)."""

    __slots__ = ("ids", "w", "_order")

    def __init__(self, ids: array, w: array | None):
        self.ids = ids
        self.w = w
        self._order = None

    def __len__(self):
        return len(self.ids)

    def order(self):
        """Positions of the postings, best weight first (ties: lower doc id first)."""
        if self._order is None:
            if self.w is None:
                self._order = range(len(self.ids))
            else:
                w = self.w
                self._order = array("i", sorted(range(len(w)), key=w.__getitem__, reverse=True))
        return self._order


class _LRU(OrderedDict):
    def __init__(self, maxsize):
        super().__init__()
        self.maxsize = maxsize

    def get(self, key, default=None):
        try:
            value = self[key]
        except KeyError:
            return default
        self.move_to_end(key)
        return value

    def put(self, key, value):
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.maxsize:
            self.popitem(last=False)



def _abandon(writer) -> None:
    """Cancel a writer whose work or commit failed, releasing the index lock whatever state it is in."""
    try:
        writer.cancel()
    except Exception:  # already failing: releasing the lock below is what matters
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            try:
                lock.release()
            except Exception:  # nosec B110  # the lock was not held
                pass


class WhooshBackend(SearchBackend):
    def __init__(self, path: str, lock_timeout: float = 60.0, term_cache: int = 2048):
        self.path = str(path)
        self.lock_timeout = lock_timeout
        self.rebuild_procs = min(2, os.cpu_count() or 1)
        self._lock = threading.RLock()
        self._term_masks = _LRU(term_cache)  # (segid, field, text) → int
        self._postings = _LRU(1 << 40)  # (segid, field, text) → _Postings; bounded by total size
        self._postings_size = 0
        self.max_cached_postings = 6_000_000
        self._lengths: dict = {}  # (segid, field) → (length bytes per doc, K table)
        self._facet_masks: dict = {}  # segid → {facet: {value: int}}
        self._ctx = None
        os.makedirs(self.path, exist_ok=True)
        if windex.exists_in(self.path, INDEX_NAME) and self._version_ok():
            self.ix = windex.open_dir(self.path, indexname=INDEX_NAME)
        else:
            self.ix = windex.create_in(self.path, make_schema(), indexname=INDEX_NAME)
            self._write_version()
        self._searcher: Searcher | None = None

    # ------------------------------------------------------------------ housekeeping
    def _version_ok(self) -> bool:
        try:
            with open(os.path.join(self.path, VERSION_FILE)) as f:
                return f.read().strip() == str(analysis.ANALYSIS_VERSION)
        except OSError:
            return False

    def _write_version(self):
        tmp = os.path.join(self.path, VERSION_FILE + ".tmp")
        with open(tmp, "w") as f:
            f.write(str(analysis.ANALYSIS_VERSION))
        os.replace(tmp, os.path.join(self.path, VERSION_FILE))

    def searcher(self) -> Searcher:
        """The one open searcher, refreshed when the index changed (here or in another process)."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self.ix.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._refreshed(self._searcher)
            return self._searcher

    def _refreshed(self, old: Searcher) -> Searcher:
        """Like ``Searcher.refresh()`` but correct: Whoosh 2.7's reader reuse keys segments by id
        only, so a refreshed searcher keeps a stale deletion set (a deleted/updated document stays
        visible) and even re-adds merged-away segments. Reuse a segment reader only when the
        segment id AND its deletion count are unchanged (deletions only grow within a segment)."""
        from whoosh.reading import EmptyReader, MultiReader, SegmentReader

        toc = self.ix._read_toc()
        reusable = {}
        for r, _ in old.reader().leaf_readers():
            seg = r.segment()
            if seg is not None:
                reusable[(seg.segment_id(), seg.deleted_count())] = r
        readers = []
        for seg in toc.segments:
            r = reusable.pop((seg.segment_id(), seg.deleted_count()), None)
            if r is not None:
                r._gen = toc.generation
            readers.append(r or SegmentReader(self.ix.storage, toc.schema, seg, generation=toc.generation))
        for r in reusable.values():
            r.close()
        if not readers:
            reader = EmptyReader(toc.schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=toc.generation)
        return Searcher(reader, fromindex=self.ix)

    def close(self):
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ctx = None
            self._term_masks.clear()
            self._facet_masks.clear()
            self._postings.clear()
            self._postings_size = 0
            self._lengths.clear()

    def _writer(self, **kwargs):
        """The index writer, waiting for other writers (threads or processes) up to lock_timeout."""
        deadline = time.monotonic() + self.lock_timeout
        kwargs.setdefault("codec", _codec())
        while True:
            try:
                return self.ix.writer(timeout=min(2.0, max(0.05, deadline - time.monotonic())), **kwargs)
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    # ------------------------------------------------------------------ writes
    def upsert(self, docs: Iterable[SearchDocument]) -> int:
        batch: dict[str, SearchDocument] = {}
        for d in docs:
            batch[d.key] = d  # last one wins within a batch (Whoosh would duplicate it)
        if not batch:
            return 0
        prepared = [_fields(d) for d in batch.values()]  # analyse outside the lock? (done in commit)
        with self._lock:
            w = self._writer()
            try:
                for f in prepared:
                    w.update_document(**f)
                w.commit()
            except BaseException:
                _abandon(w)  # a failed commit must not keep the write lock: every later write would wait
                raise
            self._after_write()
        return len(prepared)

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return 0
        with self._lock:
            w = self._writer()
            try:
                for k in keys:
                    w.delete_by_term("key", k)
                w.commit()
            except BaseException:
                _abandon(w)
                raise
            self._after_write()
        return len(keys)

    def rebuild(self, docs: Iterable[SearchDocument], total: int | None = None,
                progress: Callable[[int], None] | None = None) -> int:
        """Write a fresh index (readers keep seeing the old one until commit).

        From :data:`PARALLEL_REBUILD_MIN` documents on (as announced by ``total``) and with more
        than one CPU, documents are analysed and indexed by ``rebuild_procs`` worker processes
        (Whoosh's MpWriter, forked, one segment each: no final merge). A key given twice keeps its
        last version (re-applied with an upsert after the commit)."""
        n = 0
        seen = set()
        again: dict[str, SearchDocument] = {}
        procs = self.rebuild_procs
        parallel = procs > 1 and total is not None and total >= PARALLEL_REBUILD_MIN
        with self._lock:
            if parallel:
                w = self._writer(procs=procs, multisegment=True, batchsize=100, limitmb=256,
                                 subargs={"limitmb": 256, "codec": _codec()})
            else:
                w = self._writer(limitmb=256)
            try:
                for d in docs:
                    if d.key in seen:
                        if parallel:
                            again[d.key] = d
                        else:
                            w.update_document(**_fields(d))
                    else:
                        w.add_document(**_fields(d))
                        seen.add(d.key)
                    n += 1
                    if progress and n % 200 == 0:
                        progress(n)
            except BaseException:
                w.cancel()
                raise
            w.commit(mergetype=CLEAR)
            self._after_write()
        if again:
            self.upsert(again.values())
        if progress:
            progress(n)
        return n

    def _after_write(self):
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher = self._refreshed(self._searcher)

    def optimize(self):
        """Merge all segments into one (optional maintenance; makes searches a bit faster)."""
        with self._lock:
            self.ix.optimize()
            self._after_write()

    # ------------------------------------------------------------------ reads
    def count(self) -> int:
        return self.searcher().doc_count()

    def checksums(self) -> dict[str, str]:
        s = self.searcher()
        out = {}
        for leaf, offset in s.reader().leaf_readers():
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
            keys = leaf.column_reader("key")
            sums = leaf.column_reader("checksum")
            for docnum in range(leaf.doc_count_all()):
                if docnum in deleted:
                    continue
                out[keys[docnum]] = sums[docnum]
        return out

    # bitmaps ---------------------------------------------------------
    def _context(self, s: Searcher):
        """Per-generation data: leaf readers with offsets, doc count, live bitmap."""
        ctx = self._ctx
        if ctx is not None and ctx["searcher"] is s:
            return ctx
        leaves = []
        live = 0
        n_all = s.reader().doc_count_all()
        segids = set()
        for leaf, offset in s.reader().leaf_readers():
            n = leaf.doc_count_all()
            segid = leaf.segment().segment_id() if leaf.segment() is not None else id(leaf)
            segids.add(segid)
            ba = bytearray(b"\x01") * n
            if leaf.has_deletions():
                for d in leaf.deleted_docs_set:
                    ba[d] = 0
            live |= int.from_bytes(ba, "little") << (8 * offset)
            leaves.append((leaf, offset, n, segid))
        # forget facet bitmaps of merged-away segments
        for segid in list(self._facet_masks):
            if segid not in segids:
                del self._facet_masks[segid]
        for key in list(self._lengths):
            if key[0] not in segids:
                del self._lengths[key]
        ctx = {"searcher": s, "leaves": leaves, "n": n_all, "live": live, "cache": {}}
        self._ctx = ctx
        return ctx

    @staticmethod
    def _ids_to_mask(ids, n: int) -> int:
        ba = bytearray(n)
        for d in ids:
            ba[d] = 1
        return int.from_bytes(ba, "little")

    def _leaf_term_mask(self, leaf, segid, n, field, text) -> int:
        key = (segid, field, text)
        mask = self._term_masks.get(key)
        if mask is not None:
            return mask
        if (field, text) not in leaf:
            mask = 0
        elif field in SCORED_FIELDS:
            ba = bytearray(n)
            for d in self._leaf_postings(leaf, segid, field, text).ids:
                ba[d] = 1
            mask = int.from_bytes(ba, "little")
        else:
            m = leaf._terms.matcher(field, leaf._text_to_bytes(field, text), leaf.schema[field].format)
            ba = bytearray(n)
            if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
                while m.is_active():
                    if m._ids is None:
                        m._read_ids()
                    for d in m._ids:
                        ba[d] = 1
                    m._next_block()
            else:
                for d in m.all_ids():
                    ba[d] = 1
            mask = int.from_bytes(ba, "little")
        self._term_masks.put(key, mask)
        return mask

    def _leaf_lengths(self, leaf, segid, field):
        """(field length byte per document, BM25 length factor per byte value) for one segment."""
        key = (segid, field)
        got = self._lengths.get(key)
        if got is not None:
            return got
        n = leaf.doc_count_all()
        lens = b""
        try:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

            r = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            if r is not None:
                lens = r._dbfile.get(r._basepos, r._count)
        except Exception:  # another codec: ask per document (slower, same numbers)
            from whoosh.util.numeric import length_to_byte

            lens = bytes(length_to_byte(leaf.doc_field_length(d, field, 0)) for d in range(n))
        lens = bytes(lens) + bytes(max(0, n - len(lens)))
        avg = (leaf.field_length(field) / n) if n else 1.0
        avg = avg or 1.0
        k = [BM25_K1 * ((1 - BM25_B) + BM25_B * byte_to_length(b) / avg) for b in range(256)]
        got = (lens, k)
        self._lengths[key] = got
        return got

    def _leaf_postings(self, leaf, segid, field, text) -> _Postings:
        """A scored field's postings for one term in one segment (cached, bounded by size)."""
        key = (segid, field, text)
        p = self._postings.get(key)
        if p is not None:
            return p
        ids = array("i")
        tfs = array("f")
        fmt = leaf.schema[field].format
        weighted = fmt.supports("weight") and leaf.schema[field].scorable
        m = leaf._terms.matcher(field, leaf._text_to_bytes(field, text), fmt)
        if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
            while m.is_active():
                if m._ids is None:
                    m._read_ids()
                ids.extend(m._ids)
                if weighted:
                    m._read_weights()
                    tfs.extend(m._weights)
                m._next_block()
        else:
            while m.is_active():
                ids.append(m.id())
                if weighted:
                    tfs.append(m.weight())
                m.next()
        w = None
        if weighted:
            lens, k = self._leaf_lengths(leaf, segid, field)
            k1p = BM25_K1 + 1
            w = array("f", [tf * k1p / (tf + k[lens[d]]) for d, tf in zip(ids, tfs)])
        p = _Postings(ids, w)
        old = self._postings.pop(key, None)
        if old is not None:
            self._postings_size -= len(old)
        self._postings.put(key, p)
        self._postings_size += len(p)
        while self._postings_size > self.max_cached_postings and len(self._postings) > 1:
            _, gone = self._postings.popitem(last=False)
            self._postings_size -= len(gone)
        return p

    def _term_mask(self, ctx, field, text) -> int:
        ck = ("t", field, text)
        if ck in ctx["cache"]:
            return ctx["cache"][ck]
        mask = 0
        for leaf, offset, n, segid in ctx["leaves"]:
            m = self._leaf_term_mask(leaf, segid, n, field, text)
            if m:
                mask |= m << (8 * offset)
        mask &= ctx["live"]
        ctx["cache"][ck] = mask
        return mask

    def _mask(self, ctx, q) -> int:
        """Bitmap of documents matching a query built by cop.search.query."""
        if isinstance(q, wq.Term):
            return self._term_mask(ctx, q.fieldname, q.text)
        if isinstance(q, wq.Or):
            mask = 0
            for sub in q.subqueries:
                mask |= self._mask(ctx, sub)
            return mask
        if isinstance(q, wq.And):
            mask = ctx["live"]
            for sub in q.subqueries:
                mask &= self._mask(ctx, sub)
                if not mask:
                    break
            return mask
        if isinstance(q, wq.Every):
            return ctx["live"]
        if isinstance(q, wq.Phrase):
            # candidates first (cheap), then the positional check only inside them
            cand = ctx["live"]
            for w in q.words:
                cand &= self._term_mask(ctx, q.fieldname, w)
                if not cand:
                    return 0
        # anything else (phrases): ask Whoosh
        s = ctx["searcher"]
        return self._ids_to_mask(s.docs_for_query(q), ctx["n"]) & ctx["live"]

    def _facet_value_masks(self, ctx, facet) -> dict[str, int]:
        ck = ("f", facet)
        if ck in ctx["cache"]:
            return ctx["cache"][ck]
        field = FACET_FIELDS[facet]
        out: dict[str, int] = {}
        for leaf, offset, n, segid in ctx["leaves"]:
            per_seg = self._facet_masks.setdefault(segid, {})
            values = per_seg.get(facet)
            if values is None:
                values = {}
                if field in leaf.schema:
                    for text in list(leaf.field_terms(field)):
                        values[text] = self._leaf_term_mask(leaf, segid, n, field, text)
                per_seg[facet] = values
            for text, m in values.items():
                out[text] = out.get(text, 0) | (m << (8 * offset))
        live = ctx["live"]
        out = {k: v & live for k, v in out.items()}
        ctx["cache"][ck] = out
        return out

    # search ----------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        parsed = parse(request.text, strict=request.strict)
        applied = self._applied(request, parsed)
        page = max(1, int(request.page or 1))
        per_page = min(100, max(1, int(request.per_page or 10)))
        s = self.searcher()
        with self._lock:
            ctx = self._context(s)
            positive, negative = to_whoosh(parsed)
            base = self._mask(ctx, positive) if positive is not None else ctx["live"]
            if negative is not None:
                base &= ~self._mask(ctx, negative)
            filt = {}
            for facet, key in (("type", "types"), ("category", "categories"), ("code", "codes"),
                               ("province", "provinces"), ("year", "years")):
                values = applied[key]
                if values:
                    vm = self._facet_value_masks(ctx, facet)
                    m = 0
                    for v in values:
                        m |= vm.get(str(v), 0)
                    filt[facet] = m
            final = base
            for m in filt.values():
                final &= m
            total = final.bit_count()
            facets = {}
            for facet in FACETS if request.facets else ():
                m = base
                for other, fm in filt.items():
                    if other != facet:
                        m &= fm
                counts = {}
                if m:
                    for value, vm in self._facet_value_masks(ctx, facet).items():
                        c = (m & vm).bit_count()
                        if c:
                            counts[value] = c
                facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

            start = (page - 1) * per_page
            hits: list[Hit] = []
            if total and start < total:
                if positive is not None:
                    rows = self._rank(ctx, positive, final, total, start + per_page)[start:]
                else:
                    rows = [(d, 0.0) for d in self._browse(final, ctx["n"], start, per_page)]
                for docnum, score in rows:
                    hits.append(self._hit(s, docnum, score, parsed))
        return SearchResults(total=total, page=page, per_page=per_page, hits=hits, facets=facets,
                             applied=applied, query=parsed.text)

    # ranking ----------------------------------------------------------
    @staticmethod
    def _scoring_terms(q, out: dict, boost: float = 1.0) -> dict:
        """(field, text) → summed boost for every scored-field term of a query tree."""
        if isinstance(q, wq.Term):
            if q.fieldname in SCORED_FIELDS:
                key = (q.fieldname, q.text)
                out[key] = out.get(key, 0.0) + boost * q.boost
        elif isinstance(q, wq.Phrase):
            if q.fieldname in SCORED_FIELDS and q.words:
                share = boost * q.boost / len(q.words)
                for w in q.words:
                    key = (q.fieldname, w)
                    out[key] = out.get(key, 0.0) + share
        elif isinstance(q, (wq.And, wq.Or)):
            for sub in q.subqueries:
                WhooshBackend._scoring_terms(sub, out, boost * q.boost)
        return out

    def _rank(self, ctx, q, final: int, total: int, need: int) -> list[tuple[int, float]]:
        """Top ``need`` documents of ``final`` (a bitmap of the matching documents) by BM25F-like
        score: Σ boost × idf × tf-part over the query's terms in title/body (sub-words: present or
        not). Scored by this backend from cached postings, not by Whoosh's matchers (which score
        every match of a 3-field OR of common Thai words). With more than EXACT_SCORING_LIMIT
        matches, only each term's best documents (impact order) within ``final`` are scored."""
        s = ctx["searcher"]
        n_all = max(1, ctx["n"])
        leaves = ctx["leaves"]
        items = []  # (coef, {leaf index: _Postings})
        for (field, text), boost in self._scoring_terms(q, {}).items():
            df = s.doc_frequency(field, text)
            if not df:
                continue
            coef = boost * (math.log(n_all / (df + 1)) + 1)
            per_leaf = {}
            for li, (leaf, offset, n, segid) in enumerate(leaves):
                if (field, text) in leaf:
                    per_leaf[li] = self._leaf_postings(leaf, segid, field, text)
            if per_leaf:
                items.append((coef, per_leaf))
        fb = final.to_bytes(max(ctx["n"], 1), "little")
        if total <= EXACT_SCORING_LIMIT or not items:
            cands = []
            pos = fb.find(1)
            while pos >= 0:
                cands.append(pos)
                pos = fb.find(1, pos + 1)
        else:
            want = max(64, 4 * need)
            found = set()
            for _, per_leaf in items:
                for li, p in per_leaf.items():
                    offset = leaves[li][1]
                    ids = p.ids
                    got = 0
                    for i in p.order():
                        d = ids[i] + offset
                        if fb[d]:
                            found.add(d)
                            got += 1
                            if got >= want:
                                break
            cands = sorted(found)
        if not items:
            return [(d, 0.0) for d in cands[:need]]
        starts = [leaf[1] for leaf in leaves]
        left = bisect.bisect_left
        scored = []
        for d in cands:
            li = bisect.bisect_right(starts, d) - 1
            local = d - starts[li]
            score = 0.0
            for coef, per_leaf in items:
                p = per_leaf.get(li)
                if p is None:
                    continue
                ids = p.ids
                j = left(ids, local)
                if j < len(ids) and ids[j] == local:
                    score += coef * (p.w[j] if p.w is not None else 1.0)
            scored.append((-score, d))
        return [(d, -neg) for neg, d in heapq.nsmallest(need, scored)]

    @staticmethod
    def _browse(mask: int, n: int, start: int, count: int) -> list[int]:
        """Newest first (highest docnum) when there is no text to rank by."""
        b = mask.to_bytes(max(n, 1), "little")
        out = []
        skipped = 0
        pos = len(b)
        while len(out) < count:
            pos = b.rfind(1, 0, pos)
            if pos < 0:
                break
            if skipped < start:
                skipped += 1
            else:
                out.append(pos)
        return out

    @staticmethod
    def _applied(request: SearchRequest, parsed: ParsedQuery) -> dict[str, list]:
        codes = []
        for c in list(request.codes or ()) + parsed.codes:
            nc = normalize_code(str(c))
            if nc and nc not in codes:
                codes.append(nc)
        cats = []
        for c in list(request.categories or ()) + parsed.categories:
            cat = get_category(str(c))
            if cat and cat.key not in cats:
                cats.append(cat.key)
        years = []
        for y in request.years or ():
            try:
                y = int(str(y).translate(thai.THAI_DIGITS).strip())
            except ValueError:
                continue
            if y not in years:
                years.append(y)
        return {
            "types": list(dict.fromkeys(t for t in request.types or () if t)),
            "categories": cats,
            "codes": codes,
            "provinces": list(dict.fromkeys(p for p in request.provinces or () if p)),
            "years": years,
        }

    def _hit(self, s: Searcher, docnum: int, score: float, parsed: ParsedQuery) -> Hit:
        f = s.stored_fields(docnum)
        body = zlib.decompress(f["body_z"]).decode("utf-8") if f.get("body_z") else ""
        return Hit(
            key=f["key"], type=f["type"], id=f["id"], title=f.get("title", ""), url=f.get("url", ""),
            snippet=make_snippet(body, parsed), score=float(score),
            categories=list(f.get("categories") or []), codes=list(f.get("codes") or []),
        )


# ---------------------------------------------------------------------- snippets

_CODE_TOKEN_RE = re.compile(r"^(ld|sp|cs|it|hr|pm|p)(\d{1,2})$")


def _term_pattern(form: str) -> str | None:
    form = thai.normalize(form)
    m = _CODE_TOKEN_RE.match(form.lower())
    if m:
        return rf"(?<![A-Za-z]){m[1]}\s?[-.]?\s?{m[2]}(?!\d)"
    if re.fullmatch(r"[\u0e01-\u0e2e]{2,4}", form) and analysis.group_of(form):
        return r"\.?".join(re.escape(c) for c in form) + r"\.?"  # กพร / ก.พ.ร.
    if form.isascii():
        words = form.lower().split()
        if not words:
            return None
        last = analysis.stem(words[-1])
        return r"(?<![a-z0-9])" + r"\s+".join([re.escape(w) for w in words[:-1]] + [re.escape(last) + r"[a-z0-9]*"])
    return re.escape(form)


def highlight_regex(parsed: ParsedQuery):
    pats = set()
    for g in parsed.positive:
        for u in g.units:
            toks = u.tokens
            forms = []
            if u.phrase or len(toks) > 1:
                if not u.text.isascii():
                    forms.append(u.text)
            for t in toks:
                grp = analysis.group_of(t)
                if grp:
                    forms.extend(analysis.SYNONYMS[grp[1:]])
                else:
                    forms.append(t)
            for form in forms:
                p = _term_pattern(form)
                if p:
                    pats.add(p)
    if not pats:
        return None
    return re.compile("|".join(sorted(pats, key=len, reverse=True)), re.IGNORECASE)


def _cut_points(text: str, lo: int, hi: int) -> list[int]:
    """Word boundaries of text[lo:hi] (absolute offsets), including whitespace edges."""
    return [lo + b for b in thai.boundaries(text[lo:hi])]


def make_snippet(body: str, parsed: ParsedQuery, size: int = SNIPPET_CHARS) -> str:
    """An HTML snippet of ``body`` around the best cluster of matches, cut at word boundaries."""
    if not body:
        return ""
    rx = highlight_regex(parsed)
    matches = []
    if rx is not None:
        for m in rx.finditer(body):
            if m.end() > m.start():
                matches.append((m.start(), m.end()))
            if len(matches) >= 200:
                break
    if matches:
        best, best_score = matches[0][0], -1
        for i, (a, _) in enumerate(matches):
            window = {body[x:y].lower() for x, y in matches[i:i + 20] if x < a + size - 20}
            if len(window) > best_score:
                best, best_score = a, len(window)
        start = max(0, best - size // 4)
    else:
        start = 0
    end = min(len(body), start + size)
    # cut at word boundaries (Thai has no spaces: use segmentation of the neighbourhood)
    if start > 0:
        pts = _cut_points(body, max(0, start - 20), min(len(body), start + 20))
        cands = [p for p in pts if p <= (matches[0][0] if not matches else best)]
        start = min(cands, key=lambda p: abs(p - start)) if cands else start
    if end < len(body):
        pts = _cut_points(body, max(0, end - 25), min(len(body), end + 15))
        cands = [p for p in pts if p > start]
        end = min(cands, key=lambda p: abs(p - end)) if cands else end
    piece_matches = [(max(a, start), min(b, end)) for a, b in matches if b > start and a < end]
    out = []
    pos = start
    for a, b in piece_matches:
        if a < pos:
            continue
        out.append(html.escape(body[pos:a]))
        out.append("<mark>" + html.escape(body[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(body[pos:end]))
    text = "".join(out).strip()
    text = re.sub(r"\s+", " ", text)
    return ("… " if start > 0 else "") + text + (" …" if end < len(body) else "")


def destroy(path: str) -> None:
    """Remove an index directory (tests/benchmarks)."""
    shutil.rmtree(path, ignore_errors=True)
