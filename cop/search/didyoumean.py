"""Did-you-mean for Thai queries: the wrong keyboard layout (Kedmanee ↔ QWERTY) and one dropped, extra or
wrong tone mark, vowel or final consonant.

Candidates come from the vocabulary of the searchable content (:mod:`cop.search.snapshot`, the same
documents the index holds, so every backend gets the same help); a correction is offered only when the
backend, asked through the search interface with the same filters, finds clearly more with it.
"""

from __future__ import annotations

import dataclasses
import math
import time

from ..taxonomy import normalize_code
from ..text import thai
from .analysis import query_tokens
from .base import SearchRequest, SearchResults
from .snapshot import Snapshot

# Thai Kedmanee on a US keyboard: unshifted then shifted keys.
_LATIN = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?"
_THAI = '_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ%+๑๒๓๔ู฿๕๖๗๘๙๐"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ'
TO_THAI = dict(zip(_LATIN, _THAI, strict=True))
TO_LATIN = {t: latin for latin, t in zip(_LATIN, _THAI, strict=True) if "\u0e01" <= t <= "\u0e5b"}

TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c"  # ่ ้ ๊ ๋ ็ ์
VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e30\u0e32\u0e33\u0e40\u0e41\u0e42\u0e43\u0e44"
FINALS = "กดบนมงยวรลสต"
CLASSES = (TONES, VOWELS, FINALS)
MAX_CHUNK = 30  # longer runs are not one mistyped word; leave them alone
MAX_CHUNKS = 4  # words of a query looked at
GATE_TOTAL = 5  # a query made of known words is second-guessed only when it finds this little
SECOND_GUESS_CHUNK = 16  # ... and only in chunks this short
MAX_EDITS = 1200  # spellings tried per chunk
BUDGET_SECONDS = 0.06  # and at most this long per query, whatever it holds


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
    """How many tokens the content does not have. Lenient: codes and dictionary words of three or more
    letters pass too (a word found only inside compounds is not a typo; a stray two-letter piece such as
    งา in หน่วยงา usually is)."""
    words = thai.dictionary_words() if lenient else ()
    return sum(
        1 for t in tokens if not df.get(t) and not (lenient and ((len(t) >= 3 and t in words) or normalize_code(t)))
    )


def _rank(tokens: list[str], df: dict[str, int], cost: int = 1) -> tuple:
    return (len(tokens), cost, -sum(math.log(df.get(t, 0) + 1) for t in tokens))


def _edits(word: str, positions: set[int]):
    """``(cost, text)`` for every string one dropped, extra or swapped mark/vowel/final away from ``word``,
    changing it only at ``positions``.

    A dropped mark (so: an insertion) or a wrong tone mark is the usual slip and costs 1; a wrong final
    consonant or an extra character costs 2, so "ทำม" becomes ทำไม rather than ทำ.
    """
    for i in sorted(p for p in positions if 0 <= p <= len(word)):
        for cls in CLASSES:
            for ch in cls:
                yield 1, word[:i] + ch + word[i:]
        if i == len(word):
            continue
        yield 2, word[:i] + word[i + 1 :]
        for cls in CLASSES:
            if word[i] in cls:
                for other in cls:
                    if other != word[i]:
                        yield (2 if cls is FINALS else 1), word[:i] + other + word[i + 1 :]


def _weak_positions(chunk: str, df: dict[str, int], suspicious: bool) -> set[int]:
    """Where a slip may be: anywhere in a short chunk; in a long one, around the pieces the content does
    not know."""
    if len(chunk) <= SECOND_GUESS_CHUNK:
        return set(range(len(chunk) + 1))
    if not suspicious:
        return set()
    out: set[int] = set()
    for _kind, tok, start, end in thai.iter_tokens(chunk, normalized=True):
        if _unknown([tok], df, lenient=True) or len(tok) <= 2:
            out.update(range(max(0, start - 1), end + 2))
    return out


def _from_qwerty(chunk: str, df: dict[str, int]) -> str | None:
    """The chunk read as Thai typed on the English layout, when that gives only words the content has."""
    if not all(c in TO_THAI for c in chunk) or not any(c.isalpha() for c in chunk):
        return None
    converted = thai.normalize("".join(TO_THAI[c] for c in chunk))
    toks = _tokens(converted)
    return converted if toks and not _unknown(toks, df, lenient=False) else None


def _fix_chunk_why(
    chunk: str, df: dict[str, int], second_guess: bool, deadline: float = float("inf")
) -> tuple[str | None, bool]:
    """(better spelling or None, whether the chunk held a non-word: unknown to the content and dictionary)."""
    if not chunk or len(chunk) > MAX_CHUNK or chunk.upper() == "OR" or normalize_code(chunk):
        return None, False
    if chunk[0] == "-" and (whole := _from_qwerty(chunk, df)):  # ข is on the "-" key
        return whole, True
    if chunk[0] in '-"' and len(chunk) > 1:  # keep the operator or quote, correct the word
        fixed, garbled = _fix_chunk_why(chunk[1:].rstrip('"'), df, second_guess, deadline)
        if not fixed:
            return None, garbled
        return chunk[0] + fixed + ('"' if chunk.endswith('"') and len(chunk) > 2 else ""), garbled
    tokens = _tokens(chunk)
    suspicious = not tokens or _unknown(tokens, df, lenient=True) > 0
    if not suspicious and (not second_guess or len(tokens) < 2):  # one known word cannot get tighter
        return None, False
    candidates: list[tuple[tuple, str]] = []
    has_thai = any(_is_thai(c) for c in chunk)
    if not has_thai and (converted := _from_qwerty(chunk, df)):
        candidates.append((_rank(_tokens(converted), df, 0), converted))
    if has_thai and all(c in TO_LATIN for c in chunk):
        converted = "".join(TO_LATIN[c] for c in chunk).lower()
        toks = _tokens(converted)
        if toks and not _unknown(toks, df, lenient=False):
            candidates.append((_rank(toks, df, 0), converted))
    if has_thai and all(_is_thai(c) for c in chunk):
        seen = {chunk}
        edits = sorted(_edits(chunk, _weak_positions(chunk, df, suspicious)))[:MAX_EDITS]
        for cost, edit in edits:
            if time.monotonic() > deadline:  # pathological input: answer with what was found so far
                break
            edit = thai.normalize(edit)
            if edit in seen or not edit:
                continue
            seen.add(edit)
            toks = thai.segment(edit)
            if toks and not _unknown(toks, df, lenient=False):
                candidates.append((_rank(toks, df, cost), edit))
    if not candidates:
        return None, suspicious
    best_rank, best = min(candidates)
    if not suspicious and best_rank[0] >= len(tokens):  # a known query: only a tighter reading is worth asking
        return None, False
    return best, suspicious


def correct(text: str, df: dict[str, int], second_guess: bool = False) -> str | None:
    """The corrected query text (unverified), or None when nothing looks mistyped."""
    return _correct(text, df, second_guess)[0]


def _correct(text: str, df: dict[str, int], second_guess: bool) -> tuple[str | None, bool]:
    """(corrected text or None, whether every corrected chunk was a non-word)."""
    chunks = thai.normalize(text).split()
    deadline = time.monotonic() + BUDGET_SECONDS
    fixes = [_fix_chunk_why(chunk, df, second_guess, deadline) for chunk in chunks[:MAX_CHUNKS]]
    if not any(fixed for fixed, _g in fixes):
        return None, False
    out = [fixed or chunk for (fixed, _g), chunk in zip(fixes, chunks, strict=False)] + chunks[MAX_CHUNKS:]
    return " ".join(out), all(garbled for fixed, garbled in fixes if fixed)


def clearly_more(original: int, corrected: int, garbled: bool = False) -> bool:
    """Whether the corrected query is worth offering. A query of real words must find at least twice as
    much; one holding a non-word finds only loose sub-word matches, so half as much is enough."""
    if garbled:
        return corrected >= 1 and 2 * corrected >= original
    return corrected > original and corrected >= max(1, 2 * original)


def consider(
    backend, search_request: SearchRequest, results: SearchResults | None, instead: bool = True
) -> tuple[str | None, SearchResults | None]:
    """(did-you-mean text or None, the corrected results when the original found nothing and ``instead``)."""
    text = (search_request.text or "").strip()
    if results is None or not text or len(text) > 200:
        return None, None
    try:
        vocabulary = VOCABULARY.get(wait=False)
    except Exception:  # noqa: BLE001 - no vocabulary (no schema yet, unreadable file): no suggestion rather than an error
        return None, None
    if vocabulary is None:  # a fresh worker: the vocabulary is loading in the background
        return None, None
    df = vocabulary["df"]
    fixed, garbled = _correct(text, df, second_guess=results.total <= GATE_TOTAL)
    if not fixed or fixed == thai.normalize(text):
        return None, None
    probe = dataclasses.replace(search_request, text=fixed, page=1, per_page=1, facets=False, strict=False)
    found = backend.search(probe)
    # a query of exclusions only ("-vv" is ขอ typed on the English layout) "finds" everything: nothing
    baseline = 0 if all(chunk.startswith("-") for chunk in text.split()) else results.total
    if not clearly_more(baseline, found.total, garbled):
        return None, None
    if baseline or not instead:
        return fixed, None
    return fixed, backend.search(dataclasses.replace(search_request, text=fixed, strict=False))
