"""Text analysis for the search index (Thai-first).

KEEP THIS MODULE PATH AND THE CLASS NAMES STABLE: Whoosh pickles the analyzer objects into the index
schema, so an index refers to ``cop.search.analysis.ThaiTokenizer`` by name. If the tokens change
in a way that makes old indexes wrong, bump :data:`ANALYSIS_VERSION` (the backend rebuilds/refuses
indexes made with another version).

Two token streams are produced from the same text:

``word`` mode (fields ``title`` and ``body``; positions kept for phrases)
    * Thai runs segmented into dictionary words (nlpo3/newmm with the PMQA dictionary,
      see :mod:`cop.text.thai`);
    * Thai digits folded to Arabic; broken Thai from slides repaired (:func:`cop.text.thai.normalize`);
    * Latin words lower-cased and Porter-stemmed;
    * activity codes one token in normalized lower-case form whatever the spelling
      (``SP 7``, ``sp7``, ``SP-7``, ``CS 1 A`` → ``sp7``/``cs1``; ``IT 2,3`` → ``it2`` ``it3``);
    * dotted Thai abbreviations one token without dots (``ก.พ.ร.`` → ``กพร``);
    * a synonym-group token (``=opdc``, ``=km`` …) at the same position as any synonym form.

``sub`` mode (field ``sub``; distinct terms, no frequencies or positions)
    Every dictionary word (≥ 2 characters) that occurs anywhere inside a Thai run, starting and
    ending on a Thai character-cluster boundary, plus synonym-group tokens — minus the terms the
    document already has as word tokens (:func:`index_sub_terms`; queries look in all fields). Dictionary segmentation
    alone splits compounds differently in context (ผู้รับบริการ, มีส่วน|ร่วมใน …) and finds only ~79%
    of the documents containing a query word; this field makes every dictionary word that occurs
    in the text findable with ONE term lookup (no positional phrase of n-grams), which is what keeps
    queries fast. Word-field matches are boosted above sub-word-only matches.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import pairwise

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as _porter_stem

from cop.taxonomy import code_map
from cop.text import thai

ANALYSIS_VERSION = 2  # 2: ``sub`` holds distinct sub-words not already word tokens (Existence format)

#: Separates the parts (title, body) of the ``sub`` field value; never present in normalized text
#: (the backend strips it). Word tokens are computed per part so they match the word fields exactly.
SUB_SEP = "\x1e"

# --------------------------------------------------------------------------- synonyms

#: Synonym groups from docs/PMQA.md: every form maps to one group token. Thai forms are matched as
#: whole dictionary words (they are added to the segmentation dictionary); Latin forms are matched
#: lower-cased, single words or word sequences. ``ก.พ.`` (Civil Service Commission) is NOT ก.พ.ร.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "opdc": ("กพร", "สำนักงานคณะกรรมการพัฒนาระบบราชการ", "opdc"),
    "pmqa": ("pmqa", "เกณฑ์คุณภาพการบริหารจัดการภาครัฐ"),
    "fl": ("fl", "fundamental level", "ระดับพื้นฐาน"),
    "km": ("km", "การจัดการความรู้", "knowledge management"),
    "cop": ("cop", "ชุมชนนักปฏิบัติ", "community of practice"),
    "aar": ("aar", "after action review", "การทบทวนหลังการปฏิบัติงาน"),
    "ofi": ("ofi", "โอกาสในการปรับปรุง"),
    "sar": ("sar", "รายงานการประเมินองค์การด้วยตนเอง", "รายงานการประเมินตนเอง"),
    "catp": ("ลักษณะสำคัญขององค์การ", "ลักษณะสำคัญขององค์กร"),
    "org": ("องค์กร", "องค์การ"),
    "stakeholder": ("ผู้มีส่วนได้ส่วนเสีย", "ผู้มีส่วนได้เสีย", "stakeholder", "stakeholders"),
    "hotline": ("สายด่วน", "hotline", "hotlines"),
    "leadorg": ("การนำองค์การ", "การนำองค์กร"),
}
GROUP_PREFIX = "="


@cache
def synonym_index() -> dict[str, str]:
    """Form (normalized, lower-case, dots removed) → group token (``=km``)."""
    out = {}
    for group, forms in SYNONYMS.items():
        for form in forms:
            out[thai.normalize(form).lower()] = GROUP_PREFIX + group
    return out


@cache
def _latin_phrase_re():
    phrases = sorted((f for f in synonym_index() if " " in f), key=len, reverse=True)
    return re.compile(
        r"(?<![a-z0-9])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")(?![a-z0-9])"
    )


def group_of(token: str) -> str | None:
    return synonym_index().get(token)


# --------------------------------------------------------------------------- codes

# Like cop.taxonomy's code pattern, with the "IT 2,3" tail; applied to normalized text.
CODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>LD|SP|CS|IT|HR|PM|P)\s?[-.]?\s?(?P<num>\d{1,2})"
    r"(?:\s?[-.]?\s?[A-Da-d](?![A-Za-z]))?(?![\d])(?P<tail>(?:\s?,\s?\d{1,2}(?![\d]))*)",
    re.IGNORECASE,
)


def codes_in(match: re.Match) -> list[str]:
    """Known normalized codes (``SP7``) named by a CODE_RE match (several for ``IT 2,3``)."""
    prefix = match["prefix"].upper()
    nums = [match["num"]] + re.findall(r"\d{1,2}", match["tail"] or "")
    out = []
    for n in nums:
        code = f"{prefix}{int(n)}"
        if code in code_map() and code not in out:
            out.append(code)
    return out


def code_token(code: str) -> str:
    return code.lower()


# --------------------------------------------------------------------------- sub-words

_NO_START = set(
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)
_LEADING = set("\u0e40\u0e41\u0e42\u0e43\u0e44")
SUB_MIN_LEN = 2


@cache
def _automaton():
    """Aho-Corasick automaton of the dictionary words (SUB_MIN_LEN+ characters); ~0.1 s to build.

    One C pass over a run finds every occurrence of every word, where the table scan below walked
    every start offset in Python (the indexing hot spot: ~370 sub-words per document)."""
    import ahocorasick

    a = ahocorasick.Automaton()
    for w in thai.dictionary_words():
        if len(w) >= SUB_MIN_LEN:
            a.add_word(w, w)
    a.make_automaton()
    return a


def cluster_boundaries(run: str) -> list[bool]:
    """ok[i] is True when a word may start/end at offset i of a Thai run (approximate TCC rule)."""
    n = len(run)
    ok = [True] * (n + 1)
    for i in range(1, n):
        if run[i] in _NO_START or run[i - 1] in _LEADING:
            ok[i] = False
    return ok


@lru_cache(maxsize=32768)
def _sub_words(run: str) -> tuple[tuple[str, int], ...]:
    if not run:
        return ()
    no_start = _NO_START
    leading = _LEADING
    # ok[k]: a word may start/end at offset k (same rule as the reference scan, offset 0 included)
    ok = [run[0] not in no_start]
    ok += [c not in no_start and p not in leading for p, c in pairwise(run)]
    ok.append(True)
    out = [(last + 1 - len(w), w) for last, w in _automaton().iter(run) if ok[last + 1] and ok[last + 1 - len(w)]]
    out.sort(key=_start_then_length)  # the order of the reference scan
    return tuple((w, i) for i, w in out)


def _start_then_length(item):
    return item[0], len(item[1])


# Reference implementation (the former hot path), kept for the equivalence tests.


def _build_sub_table() -> dict[str, int]:
    """Piece → 1 (prefix of a dictionary word), 2 (a word), 3 (both)."""
    table: dict[str, int] = {}
    for w in thai.dictionary_words():
        if len(w) < SUB_MIN_LEN:
            continue
        for i in range(2, len(w)):
            p = w[:i]
            table[p] = table.get(p, 0) | 1
        table[w] = table.get(w, 0) | 2
    return table


_sub_table = cache(_build_sub_table)


def sub_words_reference(run: str) -> tuple[tuple[str, int], ...]:
    """Prefix-table scan from every cluster-aligned start offset (slow; tests compare against it)."""
    get = _sub_table().get
    no_start = _NO_START
    leading = _LEADING
    n = len(run)
    out = []
    for i in range(n - 1):
        if run[i] in no_start or (i and run[i - 1] in leading):
            continue
        j = i + 2
        while j <= n:
            f = get(run[i:j])
            if not f:
                break
            if f & 2 and (j == n or (run[j] not in no_start and run[j - 1] not in leading)):
                out.append((run[i:j], i))
            j += 1
    return tuple(out)


def sub_words(run: str):
    """``(word, start)`` for every dictionary word inside a Thai run (cluster-aligned)."""
    if len(run) > 200:  # long runs: do not pollute the cache
        return _sub_words.__wrapped__(run)
    return _sub_words(run)


def in_sub_vocabulary(token: str) -> bool:
    """True when ``token`` is indexed in the ``sub`` field wherever it occurs inside Thai text (the
    sub-word table marks exactly the dictionary words of SUB_MIN_LEN+ characters; searching needs
    only the word set, not the table)."""
    return len(token) >= SUB_MIN_LEN and token in thai.dictionary_words()


def warm() -> None:
    """Load the dictionary and the segmenter now (from the disk cache). Searching needs no sub-word
    matcher; the first write of a process builds it (~0.1 s)."""
    query_tokens("การมีส่วนร่วม SP7")


def _word_tokens(text: str) -> tuple:
    """Cached word-mode analysis of normalized ``text`` (the ``sub`` field reuses the body's)."""
    hit = _WORD_CACHE.get(text)
    if hit is None:
        hit = tuple(analyze(text, "word"))
        if len(_WORD_CACHE) >= 16:
            _WORD_CACHE.clear()
        _WORD_CACHE[text] = hit
    return hit


_WORD_CACHE: dict[str, tuple] = {}


def index_sub_terms(value: str) -> set[str]:
    """The distinct terms indexed in ``sub`` for a field value (parts joined by :data:`SUB_SEP`).

    Every sub-word (and synonym group) of the Thai runs, minus the terms the same parts already
    produce as word tokens: those documents are found through ``title``/``body`` (queries always
    look in all three fields), so repeating them in ``sub`` would only cost postings.
    """
    subs: set[str] = set()
    words: set[str] = set()
    for part in value.split(SUB_SEP):
        if not part:
            continue
        for m in _THAI_RUN_RE.finditer(part):
            subs |= sub_terms(m.group())
        words.update(tok for tok, _, _, _ in _word_tokens(part))
    subs -= words
    return subs


def sub_terms(run: str) -> set[str]:
    """Distinct sub-word tokens (with synonym groups) of a Thai run, as indexed in ``sub``."""
    syn = synonym_index()
    out = set()
    for w, _ in sub_words(run):
        out.add(w)
        g = syn.get(w)
        if g:
            out.add(g)
    return out


# --------------------------------------------------------------------------- token stream


def stem(word: str) -> str:
    return _porter_stem(word) if word.isalpha() else word


def analyze(text: str, mode: str = "word"):
    """Yield ``(token, pos, startchar, endchar)`` for normalized ``text``.

    The text must already be normalized with :func:`cop.text.thai.normalize` (offsets refer to it).
    """
    syn = synonym_index()
    if mode == "sub":
        yield from _sub_word_tokens(text, syn)
        return
    phrase_groups = {}  # start offset → group of a multi-word Latin synonym phrase
    if any(c.isascii() and c.isalpha() for c in text):
        for m in _latin_phrase_re().finditer(text.lower()):
            phrase_groups[m.start()] = syn[re.sub(r"\s+", " ", m.group(1))]
    pos = 0
    for start, end, codes in _code_segments(text):
        if codes:
            for code in codes:
                yield code_token(code), pos, start, end
                pos += 1
        elif start < end:
            pos = yield from _segment_tokens(text, start, end, pos, syn, phrase_groups)


def _sub_word_tokens(text: str, syn: dict):
    """Sub-word mode: every dictionary word inside each Thai run, all at position 0."""
    for m in _THAI_RUN_RE.finditer(text):
        base = m.start()
        for w, off in sub_words(m.group()):
            yield w, 0, base + off, base + off + len(w)
            g = syn.get(w)
            if g:
                yield g, 0, base + off, base + off + len(w)


def _code_segments(text: str) -> list:
    """``text`` cut into (start, end, codes): the PMQA code mentions, and None for the text between them."""
    last = 0
    segments = []
    if any(c in text for c in "LSCIHPlscihp"):
        for m in CODE_RE.finditer(text):
            codes = codes_in(m)
            if not codes:
                continue
            segments.append((last, m.start(), None))
            segments.append((m.start(), m.end(), codes))
            last = m.end()
    segments.append((last, len(text), None))
    return segments


def _segment_tokens(text: str, start: int, end: int, pos: int, syn: dict, phrase_groups: dict):
    """The words of ``text[start:end]``, each with its synonym group; returns the next position."""
    for kind, tok, s, e in thai.iter_tokens(text[start:end], normalized=True):
        s += start
        e += start
        if kind == "thai":
            term, group = tok, syn.get(tok)
        elif kind == "abbr":
            term = tok.replace(".", "")
            group = syn.get(term)
        else:  # latin / digits
            low = tok.lower()
            term, group = stem(low), syn.get(low) or phrase_groups.get(s)
        yield term, pos, s, e
        if group:
            yield group, pos, s, e
        pos += 1
    return pos


_THAI_RUN_RE = re.compile(thai.THAI_RUN)


class ThaiTokenizer(Tokenizer):
    """Whoosh tokenizer for Thai-first text; ``mode`` is ``"word"`` or ``"sub"`` (see module doc).

    Normalizes the value itself (:func:`cop.text.thai.normalize`), so character offsets refer to
    the normalized text; the backend stores the normalized body for snippets.
    """

    def __init__(self, mode: str = "word"):
        self.mode = mode

    def __eq__(self, other):
        return other.__class__ is self.__class__ and other.mode == self.mode

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = thai.normalize(value) if tokenize else value
        if not tokenize:
            t.original = t.text = text
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(text)
            yield t
            return
        if self.mode == "sub":
            # distinct terms only (the field keeps no frequencies or positions; Whoosh sorts postings)
            tokens = ((tok, 0, 0, 0) for tok in index_sub_terms(text))
        else:
            tokens = _word_tokens(text)
        for tok, pos, s, e in tokens:
            t.text = tok
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = tok
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + s
                t.endchar = start_char + e
            yield t


def word_analyzer() -> ThaiTokenizer:
    return ThaiTokenizer("word")


def sub_analyzer() -> ThaiTokenizer:
    return ThaiTokenizer("sub")


def query_tokens(text: str) -> list[str]:
    """Word-mode tokens of a query fragment (normalized first), without synonym-group tokens."""
    return [tok for tok, _, _, _ in analyze(thai.normalize(text), "word") if not tok.startswith(GROUP_PREFIX)]
