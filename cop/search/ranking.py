"""Ranking for the Whoosh backend: BM25F-like scores from cached per-segment postings.

Ranking is done here, not by Whoosh's matchers (which score every match of a 3-field OR, and whose
block-max skipping does not work through it). Up to EXACT_SCORING_LIMIT matches every one is scored;
above, only each term's best documents (impact order) inside the match bitmap.
"""

from __future__ import annotations

import bisect
import heapq
import math

from whoosh import query as wq

from cop.search.bitmaps import SCORED_FIELDS, SegmentCache

#: Up to this many candidate documents every one is scored; above it, only the union of each query
#: term's best-scoring documents (impact order) inside the candidate set is scored.
EXACT_SCORING_LIMIT = 1500


def scoring_terms(q, out: dict, boost: float = 1.0) -> dict:
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
            scoring_terms(sub, out, boost * q.boost)
    return out


def rank(cache: SegmentCache, ctx, q, final: int, total: int, need: int) -> list[tuple[int, float]]:
    """Top ``need`` documents of ``final`` (a bitmap of the matching documents) by BM25F-like
    score: Σ boost × idf × tf-part over the query's terms in title/body (sub-words: present or
    not). Scored by this backend from cached postings, not by Whoosh's matchers (which score
    every match of a 3-field OR of common Thai words). With more than EXACT_SCORING_LIMIT
    matches, only each term's best documents (impact order) within ``final`` are scored."""
    items = _weighted_postings(cache, ctx, q)
    fb = final.to_bytes(max(ctx["n"], 1), "little")
    if total <= EXACT_SCORING_LIMIT or not items:
        cands = _set_positions(fb)
    else:
        cands = _best_of_each_term(items, ctx["leaves"], fb, want=max(64, 4 * need))
    if not items:
        return [(d, 0.0) for d in cands[:need]]
    return _top_scored(cands, items, ctx["leaves"], need)


def _weighted_postings(cache: SegmentCache, ctx, q) -> list:
    """(idf-weighted boost, {leaf index: postings}) for each scored term of the query found in the index."""
    s = ctx["searcher"]
    n_all = max(1, ctx["n"])
    items = []
    for (field, text), boost in scoring_terms(q, {}).items():
        df = s.doc_frequency(field, text)
        if not df:
            continue
        coef = boost * (math.log(n_all / (df + 1)) + 1)
        per_leaf = {}
        for li, (leaf, _offset, _n, segid) in enumerate(ctx["leaves"]):
            if (field, text) in leaf:
                per_leaf[li] = cache.leaf_postings(leaf, segid, field, text)
        if per_leaf:
            items.append((coef, per_leaf))
    return items


def _set_positions(fb: bytes) -> list[int]:
    """Every document whose byte is set in ``fb``, in order."""
    cands = []
    pos = fb.find(1)
    while pos >= 0:
        cands.append(pos)
        pos = fb.find(1, pos + 1)
    return cands


def _best_of_each_term(items: list, leaves, fb: bytes, want: int) -> list[int]:
    """The union of each term's ``want`` best-scoring documents (impact order) that are set in ``fb``."""
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
    return sorted(found)


def _top_scored(cands: list[int], items: list, leaves, need: int) -> list[tuple[int, float]]:
    """The ``need`` best of ``cands`` by summed term scores, best first."""
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


def browse(mask: int, n: int, start: int, count: int) -> list[int]:
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
