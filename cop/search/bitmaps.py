"""Per-segment postings and bitmaps for the Whoosh backend.

Every term's postings are turned once into a byte-per-document bitmap (a Python int), cached per
segment, and combined with ``& | ~`` and ``int.bit_count()`` for totals and facet counts; facet value
bitmaps are cached per segment too. Scored fields' postings keep a BM25 tf-part per posting (from the
length columns) for :mod:`cop.search.ranking`. Caches of merged-away segments are dropped.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

#: Fields scored by the backend's own ranker (BM25 on title/body; sub-words count as present/absent).
SCORED_FIELDS = ("title", "body", "sub")
BM25_K1 = 1.2
BM25_B = 0.75
FACET_FIELDS = {"type": "type", "category": "category", "code": "code", "province": "province", "year": "year"}


class Postings:
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


class LRU(OrderedDict):
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


class SegmentCache:
    """Postings, bitmaps, length tables and facet bitmaps of the open searcher's segments."""

    def __init__(self, term_cache: int = 2048, max_cached_postings: int = 6_000_000):
        self._term_masks = LRU(term_cache)  # (segid, field, text) → int
        self._postings = LRU(1 << 40)  # (segid, field, text) → Postings; bounded by total size
        self._postings_size = 0
        self.max_cached_postings = max_cached_postings
        self._lengths: dict = {}  # (segid, field) → (length bytes per doc, K table)
        self._facet_masks: dict = {}  # segid → {facet: {value: int}}
        self._ctx = None

    def clear(self) -> None:
        self._ctx = None
        self._term_masks.clear()
        self._facet_masks.clear()
        self._postings.clear()
        self._postings_size = 0
        self._lengths.clear()

    def context(self, s: Searcher):
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
            for d in self.leaf_postings(leaf, segid, field, text).ids:
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

    def leaf_postings(self, leaf, segid, field, text) -> Postings:
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
            w = array("f", [tf * k1p / (tf + k[lens[d]]) for d, tf in zip(ids, tfs, strict=True)])
        p = Postings(ids, w)
        old = self._postings.pop(key, None)
        if old is not None:
            self._postings_size -= len(old)
        self._postings.put(key, p)
        self._postings_size += len(p)
        while self._postings_size > self.max_cached_postings and len(self._postings) > 1:
            _, gone = self._postings.popitem(last=False)
            self._postings_size -= len(gone)
        return p

    def term_mask(self, ctx, field, text) -> int:
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

    def mask(self, ctx, q) -> int:
        """Bitmap of documents matching a query built by cop.search.query."""
        if isinstance(q, wq.Term):
            return self.term_mask(ctx, q.fieldname, q.text)
        if isinstance(q, wq.Or):
            mask = 0
            for sub in q.subqueries:
                mask |= self.mask(ctx, sub)
            return mask
        if isinstance(q, wq.And):
            mask = ctx["live"]
            for sub in q.subqueries:
                mask &= self.mask(ctx, sub)
                if not mask:
                    break
            return mask
        if isinstance(q, wq.Every):
            return ctx["live"]
        if isinstance(q, wq.Phrase):
            # candidates first (cheap), then the positional check only inside them
            cand = ctx["live"]
            for w in q.words:
                cand &= self.term_mask(ctx, q.fieldname, w)
                if not cand:
                    return 0
        # anything else (phrases): ask Whoosh
        s = ctx["searcher"]
        return self._ids_to_mask(s.docs_for_query(q), ctx["n"]) & ctx["live"]

    def facet_value_masks(self, ctx, facet) -> dict[str, int]:
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
