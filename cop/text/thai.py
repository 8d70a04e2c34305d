"""Thai text helpers: normalization of broken Thai, digit folding, word segmentation, word counts.

Segmentation runs only on Thai runs of the text (PyThaiNLP over mixed text splits codes such as
``SP5``). Thai runs are segmented with ``nlpo3`` (the Rust implementation of PyThaiNLP's ``newmm``)
using PyThaiNLP's bundled word list extended with a PMQA dictionary (:data:`PMQA_WORDS`); on this
machine nlpo3 gives the same tokens as ``newmm`` about 7x faster. If nlpo3 cannot be loaded the
module falls back to PyThaiNLP's ``newmm`` with the same dictionary.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import tempfile
import threading
import unicodedata
from functools import cache

from cop.taxonomy import THAI_DIGITS, categories

# --------------------------------------------------------------------------- normalization

# Zero-width, bidi-control and other invisible characters that slip in from slides and web pages.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00]")
_CONSONANT = "\u0e01-\u0e2e"
_ABOVE_BELOW = "\u0e31\u0e34-\u0e3a\u0e47"  # ั ิ ี ึ ื ุ ู ฺ ็
_TONE = "\u0e48-\u0e4c"  # ่ ้ ๊ ๋ ์
_MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_DOUBLED_MARK_RE = re.compile(f"([{_MARK}\u0e30\u0e32\u0e33\u0e45])\\1+")
# An above/below vowel must sit on a consonant ("สำันัก", "ประัเทศ" → drop the stray mark).
_STRAY_VOWEL_RE = re.compile(f"(?<![{_CONSONANT}])[{_ABOVE_BELOW}]")
# A tone mark sits on a consonant or on an above/below vowel.
_STRAY_TONE_RE = re.compile(f"(?<![{_CONSONANT}{_ABOVE_BELOW}])[{_TONE}]")


def fold_digits(text: str) -> str:
    """Thai digits ๐–๙ → 0–9."""
    return text.translate(THAI_DIGITS)


# Anything _normalize_once would change (besides NFC, checked separately): one scan, no copies.
_NEEDS_REPAIR_RE = re.compile(
    f"{_INVISIBLE_RE.pattern}|[\u0e50-\u0e59]|\u0e4d\u0e32|\u0e40\u0e40|{_DOUBLED_MARK_RE.pattern}"
    f"|{_STRAY_VOWEL_RE.pattern}|{_STRAY_TONE_RE.pattern}"
)


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = fold_digits(text)
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e40\u0e40", "\u0e41")
    text = _DOUBLED_MARK_RE.sub(r"\1", text)
    text = _STRAY_VOWEL_RE.sub("", text)
    text = _STRAY_TONE_RE.sub("", text)
    return text


#: Skip the repairs when one scan finds nothing to repair (False: always run them; for the tests).
FAST_NORMALIZE = True

# Recent outputs of normalize() (long strings only): the index pipeline normalizes the same text
# in several places (fields, then each tokenizer); normalize() is idempotent, so a known output
# is returned as is. Bounded; cleared when full.
_NORMALIZED: dict[str, None] = {}


def normalize(text: str) -> str:
    """Repair text pasted from slides and the web, as done at index time.

    Removes zero-width/bidi characters and NUL, folds Thai digits, composes ``ํา`` to ``ำ``, turns
    ``เเ`` into ``แ``, drops doubled vowel and tone marks and marks that sit on nothing
    ("สำันัก" → "สำนัก"). Lengths may change; offsets refer to the normalized text. Idempotent:
    a repair that exposes another one (``ํ๊า`` → ``ํา`` → ``ำ``) is repeated until nothing changes.
    """
    if not text:
        return ""
    if text in _NORMALIZED:
        return text
    if FAST_NORMALIZE and unicodedata.is_normalized("NFC", text) and not _NEEDS_REPAIR_RE.search(text):
        return text  # already clean (most text, and every value the index pipeline passes on)
    out = _normalize_once(text)
    if out != text:
        for _ in range(8):
            again = _normalize_once(out)
            if again == out:
                break
            out = again
    if len(out) >= 64:
        if len(_NORMALIZED) >= 64:
            _NORMALIZED.clear()
        _NORMALIZED[out] = None
    return out


# --------------------------------------------------------------------------- dictionary

#: PMQA vocabulary, agency names and abbreviations added to the segmentation dictionary.
PMQA_WORDS: tuple[str, ...] = (
    # framework
    "เกณฑ์คุณภาพการบริหารจัดการภาครัฐ",
    "การพัฒนาคุณภาพการบริหารจัดการภาครัฐ",
    "ระดับพื้นฐาน",
    "ตัวชี้วัด",
    "รหัสกิจกรรม",
    "หมวด",
    "ลักษณะสำคัญขององค์การ",
    "ลักษณะสำคัญขององค์กร",
    "การนำองค์การ",
    "การนำองค์กร",
    "การวางแผนเชิงยุทธศาสตร์",
    "ผู้รับบริการ",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ผู้มีส่วนได้เสีย",
    "การจัดการความรู้",
    "การมุ่งเน้นทรัพยากรบุคคล",
    "การจัดการกระบวนการ",
    "ผลลัพธ์การดำเนินการ",
    "ชุมชนนักปฏิบัติ",
    "การทบทวนหลังการปฏิบัติงาน",
    "โอกาสในการปรับปรุง",
    "รายงานการประเมินองค์การด้วยตนเอง",
    "รายงานการประเมินตนเอง",
    "วิทยากรตัวคูณ",
    "คลินิกสัญจร",
    "สายด่วน",
    "การมีส่วนร่วม",
    "ภาคประชาชน",
    "ภาครัฐ",
    "ส่วนราชการ",
    "หน่วยงานนำร่อง",
    "แผนยุทธศาสตร์",
    "แผนปฏิบัติราชการ",
    "คำรับรองการปฏิบัติราชการ",
    "การบริหารความเสี่ยง",
    "แผนบริหารความเสี่ยง",
    "แผนสำรองฉุกเฉิน",
    "การปรับปรุงกระบวนการ",
    "กระบวนการสร้างคุณค่า",
    "กระบวนการสนับสนุน",
    "ฐานข้อมูล",
    "เทคโนโลยีสารสนเทศ",
    "ความพึงพอใจ",
    "ข้อร้องเรียน",
    "มาตรฐานการให้บริการ",
    "ธรรมาภิบาล",
    "การถ่ายทอดตัวชี้วัด",
    "การถ่ายทอดเป้าหมาย",
    "รางวัลคุณภาพการบริหารจัดการภาครัฐ",
    "รางวัลบริการภาครัฐ",
    "การบริหารราชการแบบมีส่วนร่วม",
    "เจ้าภาพ",
    "แนวทางการขับเคลื่อน",
    "บทเรียน",
    "ถอดบทเรียน",
    "แนวปฏิบัติที่ดี",
    "เครือข่าย",
    # agencies
    "สำนักงานคณะกรรมการพัฒนาระบบราชการ",
    "สำนักงาน ก.พ.ร.",
    "กรมทางหลวงชนบท",
    "กรมการพัฒนาชุมชน",
    "กรมป้องกันและบรรเทาสาธารณภัย",
    "สำนักงานปลัดกระทรวงมหาดไทย",
    "กระทรวงพาณิชย์",
    "กระทรวงมหาดไทย",
    "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
    "สำนักงานบริหารหนี้สาธารณะ",
    "กรมเจรจาการค้าระหว่างประเทศ",
    "กรมส่งเสริมการส่งออก",
    "กรมบัญชีกลาง",
    "กรมป่าไม้",
    "กรมปศุสัตว์",
    "สำนักพระราชวัง",
    "กรมส่งเสริมคุณภาพสิ่งแวดล้อม",
    "สำนักงานเศรษฐกิจการเกษตร",
    "สำนักงานจังหวัด",
    "ศาลากลางจังหวัด",
    "กพร",
    "ทช",
    "พช",
    "ปภ",
    "สปมท",
)


#: Bump when normalize() or the choice of dictionary words changes: cached tables are rebuilt.
TABLES_FORMAT = 1


def cache_dir() -> str:
    """Where built tables live (``COP_CACHE_DIR``; the app points it into the data dir)."""
    path = os.environ.get("COP_CACHE_DIR") or os.path.join(tempfile.gettempdir(), "cop-cache")
    os.makedirs(path, exist_ok=True)
    return path


@cache
def inputs_digest() -> str:
    """A hash of everything the dictionary is built from (word list file, PMQA words, categories)."""
    from pythainlp.corpus import corpus_path

    h = hashlib.sha1(usedforsecurity=False)
    h.update(f"{TABLES_FORMAT}\n".encode())
    with open(os.path.join(corpus_path(), "words_th.txt"), "rb") as f:
        h.update(f.read())
    h.update("\n".join(PMQA_WORDS).encode("utf-8"))
    h.update("\n".join(c.name_th for c in categories()).encode("utf-8"))
    return h.hexdigest()[:16]


def cached_table(name: str, build):
    """``build()`` once per dictionary (stored with marshal in :func:`cache_dir`, keyed by
    :func:`inputs_digest`), then loaded in milliseconds by every later process."""
    path = os.path.join(cache_dir(), f"{name}-{inputs_digest()}.marshal")
    try:
        with open(path, "rb") as f:
            return marshal.load(f)  # nosec B302  # our own file, written below
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    fd, tmp = tempfile.mkstemp(dir=cache_dir(), suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        marshal.dump(value, f)
    os.replace(tmp, path)
    return value


def _build_words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    words = {w for w in thai_words() if w and " " not in w}
    words.update(w for w in PMQA_WORDS if " " not in w)
    for c in categories():
        if " " not in c.name_th:
            words.add(c.name_th)
    return frozenset(normalize(w) for w in words)


@cache
def dictionary_words() -> frozenset[str]:
    """PyThaiNLP's bundled word list (no multi-word entries) plus the PMQA words and category names."""
    return cached_table("words", _build_words)


_lock = threading.Lock()
_DICT_NAME: str | None = None


def _dict_file() -> str:
    """The dictionary as a text file for nlpo3 (one per dictionary, written once)."""
    path = os.path.join(cache_dir(), f"words-{inputs_digest()}.txt")
    if not os.path.exists(path):
        data = "\n".join(sorted(dictionary_words())) + "\n"
        fd, tmp = tempfile.mkstemp(dir=cache_dir(), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, path)
    return path


def _segmenter():
    """Return a function segmenting one Thai run (nlpo3 if available, else PyThaiNLP newmm)."""
    global _DICT_NAME
    if _DICT_NAME is None:
        with _lock:
            if _DICT_NAME is None:
                try:
                    import nlpo3

                    path = _dict_file()
                    name = "cop-" + inputs_digest()
                    nlpo3.load_dict(path, name)
                    _DICT_NAME = name
                except Exception:  # pragma: no cover - fallback when the wheel is unavailable
                    _DICT_NAME = ""
    if _DICT_NAME:
        import nlpo3

        name = _DICT_NAME
        return lambda run: nlpo3.segment(run, name)
    return _newmm_segment


@cache
def _newmm_trie():
    from pythainlp.util import dict_trie

    return dict_trie(dictionary_words())


def _newmm_segment(run: str) -> list[str]:  # pragma: no cover - fallback
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(run, custom_dict=_newmm_trie(), engine="newmm", keep_whitespace=False)


def segment_thai_run(run: str) -> list[str]:
    """Segment a run made only of Thai letters (no spaces, digits or punctuation)."""
    return _segmenter()(run)


# --------------------------------------------------------------------------- segmentation

THAI_RUN = "[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+"
# Dotted Thai abbreviations: ก.พ.ร., สป.มท., ม.ค.
THAI_ABBR = "[\u0e01-\u0e2e]{1,3}(?:\\.[\u0e01-\u0e2e]{1,4})+\\.?"
LATIN_WORD = "[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?"
_TOKEN_RE = re.compile(f"(?P<abbr>{THAI_ABBR})|(?P<thai>{THAI_RUN})|(?P<latin>{LATIN_WORD})")


#: One segmenter call per text (Thai runs joined by newlines, which nlpo3 never joins across) rather
#: than one per run: same words, half the time. False gives the per-run reference (tests, benchmarks).
ONE_CALL_PER_TEXT = True


def segment_runs(runs: list[str]) -> list[list[str]]:
    """The words of each Thai run (as :func:`segment_thai_run` would give them, run by run)."""
    seg = _segmenter()
    if len(runs) < 2 or not _DICT_NAME or not ONE_CALL_PER_TEXT:
        return [seg(run) for run in runs]
    import nlpo3

    out: list[list[str]] = [[]]
    for tok in nlpo3.segment("\n".join(runs), _DICT_NAME):
        if tok == "\n":
            out.append([])
        else:
            out[-1].append(tok)
    if len(out) != len(runs) or any("".join(words) != run for words, run in zip(out, runs, strict=True)):
        return [seg(run) for run in runs]  # never seen; kept so a segmenter change cannot shift offsets
    return out


def iter_tokens(text: str, normalized: bool = False):
    """Yield ``(kind, token, start, end)`` over the (normalized) text.

    ``kind`` is ``"thai"`` (a segmented Thai word), ``"abbr"`` (a dotted Thai abbreviation,
    returned as typed) or ``"latin"`` (letters/digits). Offsets refer to the normalized text.
    """
    if not normalized:
        text = normalize(text)
    matches = list(_TOKEN_RE.finditer(text))
    words = iter(segment_runs([m.group() for m in matches if m.lastgroup == "thai"]))
    for m in matches:
        kind = m.lastgroup
        if kind == "thai":
            pos = m.start()
            for word in next(words):
                yield "thai", word, pos, pos + len(word)
                pos += len(word)
        else:
            yield kind, m.group(), m.start(), m.end()


def segment(text: str) -> list[str]:
    """Word tokens of ``text``: Thai runs segmented into words, Latin words and numbers kept whole.

    Whitespace and punctuation are dropped; the text is normalized first.
    """
    return [tok for _, tok, _, _ in iter_tokens(text)]


def word_count(text: str) -> int:
    """Number of words: Thai words by segmentation plus Latin words and numbers (punctuation ignored).

    Used for the award template's word limits.
    """
    return sum(1 for _ in iter_tokens(text))


def boundaries(text: str) -> list[int]:
    """Word-boundary offsets in normalized ``text`` (token starts and ends, whitespace positions).

    Used to cut snippets without splitting a Thai word.
    """
    out: set[int] = {0, len(text)}
    for _, _, start, end in iter_tokens(text, normalized=True):
        out.add(start)
        out.add(end)
    return sorted(out)
