"""Readable differences between two revisions: line by line, with changed words marked inside lines.

Returns plain data (text pieces with a kind); the template escapes every piece.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..text.thai import segment_thai_run

_PIECE_RE = re.compile(r"\s+|[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+|[^\s\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+")
_THAI_RE = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+")


def words(line: str) -> list[str]:
    """Whitespace, Latin words and Thai words (segmented), so a diff marks whole Thai words."""
    out: list[str] = []
    for piece in _PIECE_RE.findall(line):
        if _THAI_RE.fullmatch(piece):
            out += segment_thai_run(piece)
        else:
            out.append(piece)
    return out


@dataclass
class Line:
    kind: str  # "same", "add", "del", "change"
    old: list[tuple[str, str]] = field(default_factory=list)  # (kind "same"/"del", text)
    new: list[tuple[str, str]] = field(default_factory=list)  # (kind "same"/"add", text)


def _inline(a: str, b: str) -> tuple[list, list]:
    wa, wb = words(a), words(b)
    old, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal":
            old.append(("same", "".join(wa[i1:i2])))
            new.append(("same", "".join(wb[j1:j2])))
        else:
            if i2 > i1:
                old.append(("del", "".join(wa[i1:i2])))
            if j2 > j1:
                new.append(("add", "".join(wb[j1:j2])))
    return old, new


def diff_text(a: str, b: str, context: int = 2) -> list[Line | None]:
    """Changed lines with ``context`` unchanged lines around them; None marks skipped stretches."""
    la, lb = (a or "").splitlines(), (b or "").splitlines()
    lines: list[Line | None] = []
    for group in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(None)
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [Line("same", old=[("same", t)], new=[("same", t)]) for t in la[i1:i2]]
            elif op == "replace" and (i2 - i1) == (j2 - j1):
                for x, y in zip(la[i1:i2], lb[j1:j2], strict=False):
                    old, new = _inline(x, y)
                    lines.append(Line("change", old=old, new=new))
            else:
                lines += [Line("del", old=[("del", t)]) for t in la[i1:i2]]
                lines += [Line("add", new=[("add", t)]) for t in lb[j1:j2]]
    return lines


def _meta_labels() -> dict:
    from flask_babel import gettext as _

    return {
        "agency": _("Agency"),
        "province": _("Province"),
        "year": _("Fiscal year (B.E.)"),
        "categories": _("PMQA categories"),
        "codes": _("Activity codes"),
        "tags": _("Tags"),
    }


def diff_revisions(old, new) -> dict:
    """Differences per field between two revisions (old may be None for the first revision)."""
    meta_labels = _meta_labels()

    def fields(rev):
        if rev is None:
            return {"title": "", "summary": "", "body": "", "meta": ""}
        meta = rev.meta or {}
        meta_text = "\n".join(
            f"{meta_labels.get(k, k)}: {', '.join(map(str, v)) if isinstance(v, list) else (v if v is not None else '')}"
            for k, v in sorted(meta.items())
        )
        return {"title": rev.title, "summary": rev.summary, "body": rev.body, "meta": meta_text}

    a, b = fields(old), fields(new)
    return {name: diff_text(a[name], b[name]) for name in ("title", "summary", "body", "meta") if a[name] != b[name]}
