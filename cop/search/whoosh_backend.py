"""Whoosh search backend (the default; an index directory in the data dir).

How it stays fast (see bench/search.py for the figures):

* Thai words are single terms: a ``sub`` field holds every dictionary word occurring inside Thai
  text (see :mod:`cop.search.analysis`), so a query word inside a compound is ONE term lookup, never a
  positional phrase of common short words; a typed compound that segments into several words is an
  AND of terms, not a phrase (quotes give a real phrase).
* Totals and facet counts come from cached per-segment bitmaps (:mod:`cop.search.bitmaps`), ranking
  from cached postings (:mod:`cop.search.ranking`); snippets are cut from the stored, compressed,
  normalized body (:mod:`cop.search.snippets`); the layout is in :mod:`cop.search.whoosh_schema`.
* One searcher is kept open and refreshed after writes and when another process committed
  (Whoosh's own ``refresh()`` shows deleted documents: see WHOOSH_CHOICE).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import zlib
from typing import Callable, Iterable

from whoosh import index as windex
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, MERGE_SMALL, NO_MERGE

from cop.search import analysis
from cop.search.base import (
    FACETS,
    Hit,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResults,
)
from cop.search.bitmaps import SegmentCache
from cop.search.filters import applied_filters, page_window
from cop.search.query import ParsedQuery, parse, to_whoosh
from cop.search.ranking import browse, rank
from cop.search.snippets import make_snippet
from cop.search.whoosh_schema import (
    INDEX_NAME,
    VERSION_FILE,
    WHOOSH_CHOICE,
    _codec,
    document_fields,
    make_schema,
)

__all__ = ["WHOOSH_CHOICE", "WhooshBackend", "destroy", "make_schema", "make_snippet"]

#: Rebuilds of at least this many documents use several worker processes (see ``rebuild``).
PARALLEL_REBUILD_MIN = 2000
#: Updates commit without merging; past this many segments a background thread merges the small
#: ones, so no request waits for a merge (Whoosh's default merges inside every fifth commit or so).
MERGE_AFTER_SEGMENTS = 12
#: The merge waits until no write came for this long: merging a dozen one-document segments holds
#: the write lock for 0.1-0.3 s, and an update arriving meanwhile would wait that long.
MERGE_IDLE_SECONDS = 1.0
#: ...unless writes never pause and segments pile up (every search reads every segment).
MERGE_FORCE_SEGMENTS = 48
#: Whoosh's in-memory posting pool per writer (MB): big enough that a 10k-document rebuild never spills.
REBUILD_LIMIT_MB = 1024


#: Segments of at most this many documents (one per update) are merged all at once by the background
#: merge; Whoosh's MERGE_SMALL takes only the five smallest, so merges (and an update that arrives
#: during one and waits for the lock) came every three or four updates.
TINY_SEGMENT_DOCS = 64


def _merge_tiny(writer, segments):
    """Merge policy: every tiny segment into one; when there are fewer than two, Whoosh's MERGE_SMALL."""
    from whoosh.reading import SegmentReader

    tiny = [s for s in segments if s.doc_count_all() <= TINY_SEGMENT_DOCS]
    if len(tiny) < 2:
        return MERGE_SMALL(writer, segments)
    for seg in tiny:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    ids = {s.segment_id() for s in tiny}
    return [s for s in segments if s.segment_id() not in ids]


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
        self.cache = SegmentCache(term_cache)
        self._merging = False
        self._last_write = 0.0
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
            self.cache.clear()

    def _writer(self, **kwargs):
        """The index writer, waiting for other writers (threads or processes) up to lock_timeout."""
        deadline = time.monotonic() + self.lock_timeout
        kwargs.setdefault("codec", _codec())
        while True:
            try:
                # poll the lock every 5 ms (Whoosh's 100 ms default made a write behind a merge wait a
                # tenth of a second longer than the merge)
                return self.ix.writer(timeout=min(2.0, max(0.05, deadline - time.monotonic())), delay=0.005, **kwargs)
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
        prepared = [document_fields(d) for d in batch.values()]  # analyse outside the lock? (done in commit)
        with self._lock:
            w = self._writer()
            try:
                self._delete_keys(w, list(batch))
                for f in prepared:
                    w.add_document(**f)
                w.commit(mergetype=NO_MERGE)
            except BaseException:
                _abandon(w)  # a failed commit must not keep the write lock: every later write would wait
                raise
            self._after_write()
        self._merge_later()
        return len(prepared)

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return 0
        with self._lock:
            w = self._writer()
            try:
                self._delete_keys(w, keys)
                w.commit(mergetype=NO_MERGE)
            except BaseException:
                _abandon(w)
                raise
            self._after_write()
        self._merge_later()
        return len(keys)

    def _delete_keys(self, w, keys: list[str]) -> None:
        """Mark the documents with these keys deleted in writer ``w``.

        Whoosh's ``update_document``/``delete_by_term`` open a reader on every segment of the index
        for each write (~1 ms a segment: most of a one-document update). A segment's postings never
        change after it is written (only its deletion set grows), so the open searcher's segment
        readers answer the key lookups; only segments it has not seen are opened. Deletions are
        checked against the writer's own segment objects, which are current under the write lock."""
        from whoosh.reading import SegmentReader, TermNotFound

        known = {}
        if self._searcher is not None:
            for r, _ in self._searcher.reader().leaf_readers():
                seg = r.segment()
                if seg is not None:
                    known[seg.segment_id()] = r
        opened = []
        try:
            base = 0
            for seg in w.segments:
                r = known.get(seg.segment_id())
                if r is None:
                    r = SegmentReader(w.storage, w.schema, seg)
                    opened.append(r)
                for k in keys:
                    try:
                        ids = list(r.postings("key", k).all_ids())
                    except TermNotFound:
                        continue
                    for d in ids:
                        if not seg.is_deleted(d):
                            w.delete_document(base + d)
                base += seg.doc_count_all()
        finally:
            for r in opened:
                r.close()

    def rebuild(
        self, docs: Iterable[SearchDocument], total: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
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
                w = self._writer(
                    procs=procs,
                    multisegment=True,
                    batchsize=100,
                    limitmb=REBUILD_LIMIT_MB,
                    subargs={"limitmb": REBUILD_LIMIT_MB, "codec": _codec()},
                )
            else:
                w = self._writer(limitmb=REBUILD_LIMIT_MB)
            try:
                for d in docs:
                    if d.key in seen:
                        if parallel:
                            again[d.key] = d
                        else:
                            w.update_document(**document_fields(d))
                    else:
                        w.add_document(**document_fields(d))
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

    def _merge_later(self) -> None:
        """Merge small segments in a background thread once there are many, when writes pause."""
        self._last_write = time.monotonic()
        if self._merging or len(self.ix._segments()) <= MERGE_AFTER_SEGMENTS:
            return
        self._merging = True

        def run():
            try:
                while (
                    time.monotonic() - self._last_write < MERGE_IDLE_SECONDS
                    and len(self.ix._segments()) < MERGE_FORCE_SEGMENTS
                ):
                    time.sleep(0.05)
                self.merge_small()
            except Exception:  # noqa: BLE001 - a merge is housekeeping; the next write schedules another
                pass  # nosec B110
            finally:
                self._merging = False

        threading.Thread(target=run, name="whoosh-merge", daemon=True).start()

    def merge_small(self) -> None:
        """Merge the small segments now (:func:`_merge_tiny`) without adding documents."""
        self._merge(mergetype=_merge_tiny)

    def _merge(self, **commit) -> None:
        """Commit an empty write with Whoosh's ``commit`` arguments (a merge), waiting for the lock like any update."""
        w = self._writer()
        try:
            w.commit(**commit)
        except BaseException:
            _abandon(w)
            raise
        with self._lock:
            self._after_write()

    def _after_write(self):
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher = self._refreshed(self._searcher)

    def optimize(self) -> None:
        """Merge all segments into one. After a bulk load in batches (one segment each) a search reads one
        segment instead of one per batch: at 1,000 stories in ten segments, 3.3–4.3 ms against 2.8 ms in
        one. The merge holds the lock for seconds, so it is for bulk loads, never the request path."""
        self._merge(optimize=True)

    # ------------------------------------------------------------------ reads
    def count(self) -> int:
        return self.searcher().doc_count()

    def checksums(self) -> dict[str, str]:
        s = self.searcher()
        out = {}
        for leaf, _offset in s.reader().leaf_readers():
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
            keys = leaf.column_reader("key")
            sums = leaf.column_reader("checksum")
            for docnum in range(leaf.doc_count_all()):
                if docnum in deleted:
                    continue
                out[keys[docnum]] = sums[docnum]
        return out

    # bitmaps ---------------------------------------------------------
    # search ----------------------------------------------------------
    def search(self, query: SearchRequest) -> SearchResults:
        parsed = parse(query.text, strict=query.strict)
        applied = applied_filters(query, parsed)
        page, per_page = page_window(query)
        s = self.searcher()
        with self._lock:
            cache = self.cache
            ctx = cache.context(s)
            positive, negative = to_whoosh(parsed)
            base = cache.mask(ctx, positive) if positive is not None else ctx["live"]
            if negative is not None:
                base &= ~cache.mask(ctx, negative)
            filt = {}
            for facet, key in (
                ("type", "types"),
                ("category", "categories"),
                ("code", "codes"),
                ("province", "provinces"),
                ("year", "years"),
            ):
                values = applied[key]
                if values:
                    vm = cache.facet_value_masks(ctx, facet)
                    m = 0
                    for v in values:
                        m |= vm.get(str(v), 0)
                    filt[facet] = m
            final = base
            for m in filt.values():
                final &= m
            total = final.bit_count()
            facets = {}
            for facet in FACETS if query.facets else ():
                m = base
                for other, fm in filt.items():
                    if other != facet:
                        m &= fm
                counts = {}
                if m:
                    for value, vm in cache.facet_value_masks(ctx, facet).items():
                        c = (m & vm).bit_count()
                        if c:
                            counts[value] = c
                facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

            start = (page - 1) * per_page
            hits: list[Hit] = []
            if total and start < total:
                if positive is not None:
                    rows = rank(cache, ctx, positive, final, total, start + per_page)[start:]
                else:
                    rows = [(d, 0.0) for d in browse(final, ctx["n"], start, per_page)]
                for docnum, score in rows:
                    hits.append(self._hit(s, docnum, score, parsed))
        return SearchResults(
            total=total, page=page, per_page=per_page, hits=hits, facets=facets, applied=applied, query=parsed.text
        )

    # ranking ----------------------------------------------------------

    def _hit(self, s: Searcher, docnum: int, score: float, parsed: ParsedQuery) -> Hit:
        f = s.stored_fields(docnum)
        body = zlib.decompress(f["body_z"]).decode("utf-8") if f.get("body_z") else ""
        return Hit(
            key=f["key"],
            type=f["type"],
            id=f["id"],
            title=f.get("title", ""),
            url=f.get("url", ""),
            snippet=make_snippet(body, parsed),
            score=float(score),
            categories=list(f.get("categories") or []),
            codes=list(f.get("codes") or []),
        )


def destroy(path: str) -> None:
    """Remove an index directory (tests/benchmarks)."""
    shutil.rmtree(path, ignore_errors=True)
