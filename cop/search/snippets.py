"""Highlighted snippets: the part of a document's (normalized) body around the best cluster of query
matches, cut at Thai word boundaries, with the matches marked. Shared by both search backends."""

from __future__ import annotations

import html
import re

from cop.search import analysis
from cop.search.query import ParsedQuery
from cop.text import thai

SNIPPET_CHARS = 180

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


_SPACES = re.compile(r"\s+")


def _nearest_cut(text: str, lo: int, hi: int, target: int, allowed) -> int:
    """The cut point in text[lo:hi] nearest ``target`` among the ``allowed`` ones: at a space when there is
    one (Thai puts spaces between phrases, so nothing is split there), else at a word boundary from the
    segmenter (which costs more than the rest of the snippet)."""
    window = text[lo:hi]
    cands = [p for m in _SPACES.finditer(window) for p in (lo + m.start(), lo + m.end()) if allowed(p)]
    if not cands:
        cands = [p for p in (lo + b for b in thai.boundaries(window)) if allowed(p)]
    return min(cands, key=lambda p: abs(p - target)) if cands else target


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
            window = {body[x:y].lower() for x, y in matches[i : i + 20] if x < a + size - 20}
            if len(window) > best_score:
                best, best_score = a, len(window)
        start = max(0, best - size // 4)
    else:
        start = 0
    end = min(len(body), start + size)
    # cut at word boundaries (Thai has no spaces: use segmentation of the neighbourhood)
    if start > 0:  # only when there are matches: never past the first one shown
        start = _nearest_cut(body, max(0, start - 20), min(len(body), start + 20), start, lambda p: p <= best)
    if end < len(body):
        end = _nearest_cut(body, max(0, end - 25), min(len(body), end + 15), end, lambda p: p > start)
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
