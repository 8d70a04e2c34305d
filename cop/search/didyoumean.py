"""Did-you-mean for Thai queries: the wrong keyboard layout (Kedmanee ↔ QWERTY) and one dropped, extra or
wrong tone mark, vowel or final consonant.

Candidates come from the vocabulary of the searchable content (:mod:`cop.search.snapshot`, the same
documents the index holds, so every backend gets the same help); a correction is offered only when the
backend, asked through the search interface with the same filters, finds clearly more with it.
"""
from __future__ import annotations

import dataclasses
import math

from ..taxonomy import normalize_code
from ..text import thai
from .analysis import query_tokens
from .base import SearchRequest, SearchResults
from .snapshot import Snapshot

# Thai Kedmanee on a US keyboard: unshifted then shifted keys.
_LATIN = ("`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
          "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?")
_THAI = ("_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ"
         "%+๑๒๓๔ู฿๕๖๗๘๙๐\"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ")
assert len(_LATIN) == len(_THAI)
TO_THAI = dict(zip(_LATIN, _THAI))
TO_LATIN = {t: latin for latin, t in zip(_LATIN, _THAI) if "\u0e01" <= t <= "\u0e5b"}

TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c"  # ่ ้ ๊ ๋ ็ ์
VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e30\u0e32\u0e33\u0e40\u0e41\u0e42\u0e43\u0e44"
FINALS = "กดบนมงยวรลสต"
CLASSES = (TONES, VOWELS, FINALS)
MAX_CHUNK = 30  # longer runs are not one mistyped word; leave them alone
GATE_TOTAL = 5  # a query made of known words is second-guessed only when it finds this little


def _build(docs, progress=None) -> dict:
    df: dict[str, int] = {}
    for n, doc in enumerate(docs, 1):
        for tok in set(query_tokens(f"{doc.title}\n{doc.body}")):
            df[tok] = df.get(tok, 0) + 1
        if progress:
            progress(n)
    return {"df": df}


VOCABULARY = Snapshot("search-vocabulary", version=1, build=_build)


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def _tokens(text: str) -> list[str]:
    return query_tokens(text)


def _unknown(tokens: list[str], df: dict[str, int], lenient: bool) -> int:
    """How many tokens the content does not have (lenient: dictionary words and codes pass too)."""
    words = thai.dictionary_words() if lenient else ()
    return sum(1 for t in tokens if not df.get(t) and not (lenient and (t in words or normalize_code(t))))


def _rank(tokens: list[str], df: dict[str, int]) -> tuple:
    return (len(tokens), -sum(math.log(df.get(t, 0) + 1) for t in tokens))


def _edits(word: str):
    """Every string one dropped, extra or swapped mark/vowel/final away from ``word``."""
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]
        for cls in CLASSES:
            if word[i] in cls:
                for other in cls:
                    if other != word[i]:
                        yield word[:i] + other + word[i + 1:]
    for i in range(1, len(word) + 1):
        for cls in CLASSES:
            for ch in cls:
                yield word[:i] + ch + word[i:]


def _fix_chunk(chunk: str, df: dict[str, int], second_guess: bool) -> str | None:
    """A better spelling of one space-separated chunk, or None."""
    if not chunk or len(chunk) > MAX_CHUNK or chunk.upper() == "OR" or normalize_code(chunk):
        return None
    if chunk[0] in "-\"" and len(chunk) > 1:  # keep the operator or quote, correct the word
        fixed = _fix_chunk(chunk[1:].rstrip('"'), df, second_guess)
        return chunk[0] + fixed + ('"' if chunk.endswith('"') and len(chunk) > 2 else "") if fixed else None
    tokens = _tokens(chunk)
    suspicious = not tokens or _unknown(tokens, df, lenient=True) > 0
    if not suspicious and not second_guess:
        return None
    candidates: list[tuple[tuple, str]] = []
    has_thai = any(_is_thai(c) for c in chunk)
    if not has_thai and all(c in TO_THAI for c in chunk) and any(c.isalpha() for c in chunk):
        converted = thai.normalize("".join(TO_THAI[c] for c in chunk))
        toks = _tokens(converted)
        if toks and not _unknown(toks, df, lenient=False):
            candidates.append((_rank(toks, df), converted))
    if has_thai and all(c in TO_LATIN for c in chunk):
        converted = "".join(TO_LATIN[c] for c in chunk).lower()
        toks = _tokens(converted)
        if toks and not _unknown(toks, df, lenient=False):
            candidates.append((_rank(toks, df), converted))
    if has_thai and all(_is_thai(c) for c in chunk):
        seen = {chunk}
        for edit in _edits(chunk):
            edit = thai.normalize(edit)
            if edit in seen or not edit:
                continue
            seen.add(edit)
            toks = thai.segment(edit)
            if toks and not _unknown(toks, df, lenient=False):
                candidates.append((_rank(toks, df), edit))
    if not candidates:
        return None
    best_rank, best = min(candidates)
    if not suspicious and best_rank[0] >= len(tokens):  # a known query: only a tighter reading is worth asking
        return None
    return best


def correct(text: str, df: dict[str, int], second_guess: bool = False) -> str | None:
    """The corrected query text (unverified), or None when nothing looks mistyped."""
    chunks = thai.normalize(text).split()
    changed = False
    out = []
    for chunk in chunks[:8]:
        fixed = _fix_chunk(chunk, df, second_guess)
        out.append(fixed or chunk)
        changed |= bool(fixed)
    return " ".join(out + chunks[8:]) if changed else None


def clearly_more(original: int, corrected: int) -> bool:
    return corrected > original and corrected >= max(1, 2 * original)


def consider(backend, search_request: SearchRequest, results: SearchResults | None, instead: bool = True
             ) -> tuple[str | None, SearchResults | None]:
    """(did-you-mean text or None, the corrected results when the original found nothing and ``instead``)."""
    text = (search_request.text or "").strip()
    if results is None or not text or len(text) > 200:
        return None, None
    try:
        df = VOCABULARY.get()["df"]
    except Exception:  # no vocabulary (no schema yet, unreadable file): no suggestion rather than an error
        return None, None
    fixed = correct(text, df, second_guess=results.total <= GATE_TOTAL)
    if not fixed or fixed == thai.normalize(text):
        return None, None
    probe = dataclasses.replace(search_request, text=fixed, page=1, per_page=1, facets=False, strict=False)
    found = backend.search(probe)
    if not clearly_more(results.total, found.total):
        return None, None
    if results.total or not instead:
        return fixed, None
    return fixed, backend.search(dataclasses.replace(search_request, text=fixed, strict=False))
