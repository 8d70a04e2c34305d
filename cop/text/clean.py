"""The one cleaning rule for text people send us (web forms, the JSON API, the importer).

NFC; line breaks unified; control, bidi-override and other invisible characters removed where they
carry nothing; invisible characters and spaces trimmed at the ends. Kept inside text: newlines and
tabs, ZWJ/ZWNJ between two visible characters (emoji sequences, Indic and Arabic shaping) and a
zero-width space between two Thai characters (a word-break hint some Thai writers use).
"""
from __future__ import annotations

import re
import unicodedata

ZWSP, ZWNJ, ZWJ = "\u200b", "\u200c", "\u200d"
# Not format characters, yet they print nothing: fillers and blanks used to fake "empty" text.
_BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _invisible(ch: str) -> bool:
    if ch in "\n\t":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs") or ch in _BLANKS


def _visible(ch: str) -> bool:
    return bool(ch) and not ch.isspace() and not _invisible(ch)


def clean_text(value) -> str:
    """Cleaned text; None → ''. Non-strings are converted with str()."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", str(value)))
    if text.isascii() and text.isprintable():  # the common case: nothing to remove
        return text.strip()
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if not _invisible(ch):
            out.append(ch)
            continue
        before = out[-1] if out else ""
        after = next((c for c in text[i + 1:i + 8] if not _invisible(c)), "") if i + 1 < n else ""
        joins = ch in (ZWJ, ZWNJ) and _visible(before) and _visible(after)
        thai_break = ch == ZWSP and _is_thai(before) and _is_thai(after)
        if joins or thai_break:
            out.append(ch)
    cleaned = "".join(out)
    # Drop kept joiners doubled up, then trim spaces (incl. no-break and ideographic) at the ends.
    cleaned = re.sub(r"([\u200b-\u200d])[\u200b-\u200d]+", r"\1", cleaned)
    return cleaned.strip()


def is_blank(value) -> bool:
    return not clean_text(value)


def clean_tree(value):
    """Clean every string inside JSON-like data (dicts, lists); keys are left as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value
