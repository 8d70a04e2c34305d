"""Text → the terms the suggestion model weighs: the search analyzer's word tokens, minus stop words."""

from __future__ import annotations

from functools import cache

from ..search.analysis import GROUP_PREFIX, analyze, query_tokens
from ..text import thai

MAX_CHARS = 20000  # a long story is judged by its first pages: enough signal, bounded work


@cache
def stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    extra = {
        "และ",
        "ของ",
        "การ",
        "ที่",
        "ใน",
        "ให้",
        "ได้",
        "มี",
        "เป็น",
        "จาก",
        "กับ",
        "เพื่อ",
        "โดย",
        "แต่",
        "ทำ",
        "เรา",
        "ว่า",
        "จึง",
        "แล้ว",
        "ใช้",
        "ทุก",
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "a",
        "is",
        "on",
        "with",
    }
    return frozenset(thai_stopwords()) | frozenset(extra)


def terms(text: str) -> list[str]:
    """Content terms in order (repeats kept): Thai words, stemmed Latin words, activity codes (``sp7``)."""
    if not text:
        return []
    stop = stopwords()
    return [t for t in query_tokens(text[:MAX_CHARS]) if len(t) >= 2 and not t.isdigit() and t not in stop]


def display(term: str) -> str:
    """How a term is shown in a "why" list: codes upper-case, everything else as indexed."""
    from ..taxonomy import normalize_code

    code = normalize_code(term)
    return code or term


def surface_forms(text: str) -> dict[str, str]:
    """Term → the words as the writer typed them ("knowledg" → "knowledge"), for the "why" lists."""
    normalized = thai.normalize((text or "")[:MAX_CHARS])
    out: dict[str, str] = {}
    for tok, _pos, start, end in analyze(normalized, "word"):
        if not tok.startswith(GROUP_PREFIX):
            out.setdefault(tok, normalized[start:end])
    return out
