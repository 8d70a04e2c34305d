"""Bounded work on the Markdown source: every unmatched ``[`` or backtick rescans the rest of its
paragraph, every unclosed ``<tag`` or code fence the rest of the document, a block of many header /
rule lines is re-split line by line, deep nesting recurses.

``NeutralizePreprocessor`` gives the excess of each super-linear construct — unclosed or far-closing
raw tags, unclosed fences, deep nesting markers, blocks of many header / rule lines, more blocks than
``MAX_BLOCK_WEIGHT`` — an invisible ``BREAK`` (deleted after rendering) so it stays text."""

from __future__ import annotations

import bisect
import re

from markdown.preprocessors import Preprocessor

from .limits import (
    BREAK,
    MAX_BLOCK_WEIGHT,
    MAX_FENCED_BLOCKS,
    MAX_NESTING,
    MAX_RAW_TAGS,
    MAX_SPLIT_LINES,
    MAX_TAG_CHARS,
    MAX_UNCLOSED_FENCES,
    TICK_RUN,
)

# A '<' that html.parser would start scanning as a tag, declaration, processing instruction or end
# tag. Comments ('<!--') are left alone: Python-Markdown already remembers an unclosed one.
_TAG_START = re.compile(r"<(?=[A-Za-z/?]|!(?!--))")
# A start tag whose quotes are all attribute-value delimiters: html.parser ends it at the same '>'
# (a quoted value may contain '>').
_QUOTED_TAG = re.compile(
    r"""<[A-Za-z][^\s/>"'`<]*+(?:\s++[^\s/>"'=`<]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>"'`<]++))?+)*+"""
    r"""\s*+/?>"""
)
_FENCE_OPEN = re.compile(  # the opening line as FencedBlockPreprocessor.FENCED_BLOCK_RE reads it
    r"""(~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(["']).*?\2[ ]*)?)"""
)
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*")
# One nesting marker at the start of a line: a quote '>' or a list bullet / number.
_NEST_MARKER = re.compile(r"[ ]{0,3}(?:>[ ]?|[*+-][ ]+|\d{1,9}[.)][ ]+)")
# What makes Python-Markdown split a block at a line (header, rule, setext underline), once any
# quote / list markers are skipped.
_SPLIT_BODY = re.compile(r"#|[ ]{0,3}(?:=+|-+)[ ]*$|[ ]{0,3}(?:[-*_][ ]{0,2}){3,}$")
_REFERENCE_DEF = re.compile(r"[ ]{0,3}\[[^\[\]]*\]:[ ]*(\S?)")


def _break_after_first(line: str) -> str:
    return line[:1] + BREAK + line[1:]


def _as_code(lines: list[str]) -> list[str]:
    """``lines`` as one fenced code block (shown as typed, without formatting)."""
    longest = max((len(run) for line in lines for run in TICK_RUN.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return ["", fence, *lines, fence, ""]


def _cap_markers(line: str) -> tuple[str, list[int]]:
    """The line with a BREAK after MAX_NESTING quote / list markers; where each nesting level starts."""
    starts = [0]
    pos = 0
    while True:
        m = _NEST_MARKER.match(line, pos)
        if not m or m.end() == pos:
            return line, starts
        if len(starts) > MAX_NESTING:
            return line[:pos] + BREAK + line[pos:], starts
        pos = m.end()
        starts.append(pos)


def _splits_block(line: str, starts: list[int], following: str) -> bool:
    """Whether Python-Markdown takes this line out of its block (header, rule, setext underline, or a
    reference definition followed by text) and re-parses the rest."""
    for start in starts:
        if _SPLIT_BODY.match(line, start):
            return True
        ref = _REFERENCE_DEF.match(line, start)
        if ref:
            return bool(ref.group(1) and following.strip() and not _REFERENCE_DEF.match(following.lstrip(" >")))
    return False


def _row_weight(line: str) -> int:
    """A table row's weight: its <tr> and its cells."""
    stripped = line.strip()
    cells = stripped.count("|") + 1 - stripped.startswith("|") - stripped.endswith("|")
    return 2 + 2 * max(cells, 1)


class _BlockWriter:
    """The output of ``NeutralizePreprocessor._lines``, block by block, with the work counted so far."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.fenced: list[bool] = []  # ``fenced`` for ``out``, filled up lazily
        self.block_start = 0
        self.split_lines = 0
        self.marks: set[int] = set()  # positions in ``out`` of this block's split lines
        self.weight = 0
        self.after_blank = True

    def _sync(self) -> None:
        self.fenced.extend([False] * (len(self.out) - len(self.fenced)))

    def add_fenced(self, line: str) -> None:
        self._sync()
        self.out.append(line)
        self.fenced.append(True)
        self.after_blank = False

    def add_blank(self, line: str) -> None:
        self.split_lines = 0
        self.marks.clear()
        self.out.append(line)
        self.block_start = len(self.out)
        self.after_blank = True

    def add_text(self, line: str, following: str) -> bool:
        """Adds one text line; False when the document is past MAX_BLOCK_WEIGHT (line not added)."""
        self.weight += 2 * self.after_blank + (_row_weight(line) if "|" in line else 0)
        self.after_blank = False
        if self.weight > MAX_BLOCK_WEIGHT:
            return False
        line, starts = _cap_markers(line)
        self.weight += 2 * (len(starts) - 1)
        if _splits_block(line, starts, following):
            self._add_split_line(line)
        else:
            self.out.append(line)
        return True

    def _add_split_line(self, line: str) -> None:
        self.weight += 2
        self.split_lines += 1
        if self.split_lines == MAX_SPLIT_LINES + 1:
            # From here on this block is cut after each such line: the earlier ones too.
            earlier = self.out[self.block_start :]
            del self.out[self.block_start :]
            for k, prev in enumerate(earlier, start=self.block_start):
                self.out.append(prev)
                if k in self.marks:
                    self.out.append("")
        if self.split_lines > MAX_SPLIT_LINES:
            self.out += [line, ""]
            self.block_start = len(self.out)
        else:
            self.marks.add(len(self.out))
            self.out.append(line)

    def add_as_code(self, rest: list[str]) -> None:
        """The rest of the document as one code block (shown as typed)."""
        code = _as_code(rest)
        self._sync()
        self.fenced.extend([False] + [True] * (len(code) - 2) + [False])
        self.out.extend(code)

    def finish(self) -> tuple[list[str], list[bool]]:
        self._sync()
        return self.out, self.fenced


class NeutralizePreprocessor(Preprocessor):
    """Breaks the excess of constructs that make Python-Markdown super-linear (see module doc)."""

    def run(self, lines: list[str]) -> list[str]:
        fenced = self._fences(lines)
        lines, fenced = self._lines(lines, fenced)
        return self._tags(lines, fenced)

    @staticmethod
    def _fences(lines: list[str]) -> list[bool]:
        """Marks the lines inside fenced code blocks; breaks unclosed openers past
        MAX_UNCLOSED_FENCES and fences past MAX_FENCED_BLOCKS (modifies ``lines``)."""
        closers: dict[str, list[int]] = {}
        for i, line in enumerate(lines):
            if line[:3] in ("```", "~~~"):
                m = _FENCE_CLOSE.fullmatch(line)
                if m:
                    closers.setdefault(m.group(1), []).append(i)
        fenced = [False] * len(lines)
        if not closers and not any(line[:3] in ("```", "~~~") for line in lines):
            return fenced
        blocks = unclosed = 0
        i = 0
        while i < len(lines):
            line = lines[i]
            if line[:3] in ("```", "~~~") and _FENCE_OPEN.fullmatch(line):
                fence = re.match(r"~+|`+", line).group()
                ends = closers.get(fence, [])
                k = bisect.bisect_right(ends, i)
                if k < len(ends) and blocks < MAX_FENCED_BLOCKS:
                    blocks += 1
                    for j in range(i, ends[k] + 1):
                        fenced[j] = True
                    i = ends[k] + 1
                    continue
                if k >= len(ends):
                    unclosed += 1
                if k < len(ends) or unclosed > MAX_UNCLOSED_FENCES:
                    lines[i] = _break_after_first(line)
            i += 1
        return fenced

    @staticmethod
    def _lines(lines: list[str], fenced: list[bool]) -> tuple[list[str], list[bool]]:
        """Caps nesting markers per line at MAX_NESTING. Python-Markdown takes a header / rule /
        setext line (or a reference definition followed by text) out of its block and re-parses
        the rest of the block, so a block of many such lines costs (lines x block size); a block
        with more than MAX_SPLIT_LINES of them gets a blank line after each."""
        blocks = _BlockWriter()
        for i, line in enumerate(lines):
            if fenced[i]:
                blocks.add_fenced(line)
            elif not line.strip():
                blocks.add_blank(line)
            elif not blocks.add_text(line, lines[i + 1] if i + 1 < len(lines) else ""):
                blocks.add_as_code(lines[i:])
                break
        return blocks.finish()

    @staticmethod
    def _tags(lines: list[str], fenced: list[bool]) -> list[str]:
        """Outside fenced code, breaks each '<' that html.parser would scan to a far-away (or
        missing) '>', and every raw tag after the first MAX_RAW_TAGS."""
        out: list[str] = []
        chunk: list[str] = []
        tags = 0

        def flush() -> None:
            nonlocal tags
            if chunk:
                text, tags = _break_tags("\n".join(chunk), tags)
                out.extend(text.split("\n"))
                chunk.clear()

        for line, is_fenced in zip(lines, fenced, strict=True):
            if is_fenced:
                flush()
                out.append(line)
            else:
                chunk.append(line)
        flush()
        return out


def _break_tags(text: str, tags: int) -> tuple[str, int]:
    if "<" not in text:
        return text, tags
    parts: list[str] = []
    last = 0
    for m in _TAG_START.finditer(text):
        i = m.start()
        if tags < MAX_RAW_TAGS:
            end = text.find(">", i, i + MAX_TAG_CHARS)
            if end >= 0:
                segment = text[i : end + 1]
                if ('"' not in segment and "'" not in segment) or _QUOTED_TAG.match(text, i, i + MAX_TAG_CHARS):
                    tags += 1
                    continue
        parts.append(text[last : i + 1])
        parts.append(BREAK)
        last = i + 1
    if not parts:
        return text, tags
    parts.append(text[last:])
    return "".join(parts), tags
