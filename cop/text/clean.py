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
# Control (Cc, but newline and tab), format (Cf) and surrogate (Cs) characters, as of Unicode 14
# (tests/text checks this against unicodedata), and fillers that print nothing: runs of them are
# what the rule looks at.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]+"
)
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _visible(ch: str) -> bool:
    return bool(ch) and not ch.isspace()


def _keep(match: re.Match) -> str:
    """A run of invisible characters becomes nothing, or the one joiner or Thai break it carries."""
    text, run = match.string, match.group()
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    for ch in run:
        if ch in (ZWJ, ZWNJ) and _visible(before) and _visible(after):
            return ch
        if ch == ZWSP and _is_thai(before) and _is_thai(after):
            return ch
    return ""


def clean_text(value) -> str:
    """Cleaned text; None → ''. Non-strings are converted with str()."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", str(value)))
    return _INVISIBLE.sub(_keep, text).strip()


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
