"""Markdown → safe HTML: the only place in the app that turns user text into HTML.

``render_markdown`` runs Python-Markdown (extensions ``tables``, ``fenced_code``, ``sane_lists``) and
passes its output through an allow-list sanitizer (bleach). Whatever Markdown emits — its own
elements or raw HTML the user typed — is re-parsed by the sanitizer, which keeps only the tags,
attributes and URL schemes listed below; ``<script>``, ``<style>`` and similar elements are removed
together with their content. ``plain_text`` gives the text of such HTML (search, snippets).

Bounded work. Python-Markdown, the stdlib ``html.parser`` it drives and bleach's html5lib do
super-linear work on some inputs: every unmatched ``[`` or backtick rescans the rest of its
paragraph, every unclosed ``<tag`` or code fence the rest of the document, a block of many header
/ rule lines is re-split line by line, every inline match copies its whole paragraph, deep nesting
recurses (up to a ``RecursionError``), and html5lib scans its stack of open elements at every tag.
Beyond the ``MAX_SOURCE_CHARS`` limit (``MarkupError``), the excess of each such construct is
neutralized — it stays text, reading as typed:

* ``_NeutralizePreprocessor`` (on the source): unclosed / far-closing raw tags and raw tags past
  ``MAX_RAW_TAGS``, unclosed fences past ``MAX_UNCLOSED_FENCES``, fences past
  ``MAX_FENCED_BLOCKS``, nesting markers past ``MAX_NESTING`` get an invisible ``BREAK`` character
  (deleted after rendering); blocks with many header / rule lines are cut into one block per line;
  past ``MAX_BLOCK_WEIGHT`` (~ paragraphs, items, cells) the rest is shown as preformatted text;
* link / image / code-span scanning runs on a per-render budget (``SCAN_BUDGET``), and inline
  matching stops after ``INLINE_COPY_BUDGET`` copied characters or ``MAX_INLINE_MATCHES``;
* before bleach, open elements past ``MAX_HTML_DEPTH`` / ``MAX_OPEN_FORMATTING`` become text, and
  the character references Markdown writes are swapped for stand-ins while bleach runs; the
  sanitizer walks its tree in linear time.

A document that trips none of these renders exactly as plain Python-Markdown would render it.
``bench/markup.py`` measures the worst cases.
"""
from __future__ import annotations

import bisect
import html
import re
import threading
from html.parser import HTMLParser

import bleach
import markdown
from bleach import html5lib_shim
from markdown.extensions import Extension
from markdown.extensions import tables as _tables
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import (
    BACKTICK_RE,
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    BacktickInlineProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.preprocessors import Preprocessor

from flask_babel import gettext as _

from ..validation import ValidationError

__all__ = ["MAX_SOURCE_CHARS", "MarkupError", "plain_text", "render_field", "render_markdown"]

MAX_SOURCE_CHARS = 100_000
"""Longest Markdown source (in characters) that ``render_markdown`` accepts by default."""


class MarkupError(ValueError):
    """User text that cannot be rendered. ``message`` is an English, user-facing text with
    ``%(name)s`` placeholders filled from ``params`` (so the app can translate ``message`` first);
    ``str(error)`` is the filled-in English text."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


# --------------------------------------------------------------------------------------------
# Sanitizer (allow-list)

ALLOWED_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i",
    "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "del",
    "sup", "sub",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})  # for <a href>; bleach checks them
LINK_REL = "nofollow noopener"

# Elements dropped *with* their content before the allow-list runs (bleach's strip=True would keep
# their text): scripts and styles, and containers whose content is not document text.
_DROP_WITH_CONTENT = frozenset({
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "noscript", "noembed", "noframes", "xmp", "textarea", "title", "select",
})

_PARSED_TAGS = ALLOWED_TAGS | _DROP_WITH_CONTENT  # tags that become elements in bleach's tree

_ALIGN_VALUES = frozenset({"left", "right", "center"})
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")  # what browsers ignore in a URL
_UPLOAD_SRC = re.compile(r"/uploads/[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")
_HTTPS_SRC = re.compile(r"https://[^/?#\\@\s]+(?:[/?#][^\s\\]*)?", re.IGNORECASE)


def _image_src_allowed(value: str) -> bool:
    """``https:`` URLs, or our own uploads as a site-relative path (no dot segments, no escapes)."""
    url = _URL_JUNK.sub("", html.unescape(value))
    return bool(_HTTPS_SRC.fullmatch(url) or _UPLOAD_SRC.fullmatch(url))


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title")
    if tag == "img":
        if name == "src":
            return _image_src_allowed(value)
        return name in ("alt", "title")
    if tag in ("th", "td"):
        return name == "align" and value.strip().lower() in _ALIGN_VALUES
    if tag == "ol":  # sane_lists keeps a list's first number
        return name == "start" and value.isascii() and value.isdigit() and len(value) <= 9
    return False


_EtreeWalker = html5lib_shim.getTreeWalker("etree")


class _LinearEtreeWalker(_EtreeWalker):
    """html5lib's etree walker finds a parent's position among its siblings with ``list.index``
    each time it climbs back up, which is quadratic in the number of siblings that have element
    children (paragraphs with emphasis, list items, table rows). Same walk, indexed once."""

    def __init__(self, tree):
        super().__init__(tree)
        self._positions: dict[int, dict[int, int]] = {}

    def getParentNode(self, node):
        if not isinstance(node, tuple):
            return None
        element, key, parents, flag = node
        if flag == "text":
            return element if not parents else (element, key, parents, None)
        parent = parents.pop()
        if not parents:
            return parent
        grandparent = parents[-1]
        positions = self._positions.get(id(grandparent))
        if positions is None:
            positions = {id(child): i for i, child in enumerate(grandparent)}
            self._positions[id(grandparent)] = positions
        return parent, positions[id(parent)], parents, None


class _DropContentFilter(html5lib_shim.Filter):
    """Removes ``_DROP_WITH_CONTENT`` elements and everything inside them (runs before bleach's
    sanitizer, which would otherwise keep the text of stripped elements)."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            name = token.get("name", "")
            name = name.lower() if isinstance(name, str) else ""
            if kind == "StartTag" and name in _DROP_WITH_CONTENT:
                depth += 1
            elif kind == "EndTag" and name in _DROP_WITH_CONTENT and depth:
                depth -= 1
            elif kind == "EmptyTag" and name in _DROP_WITH_CONTENT:
                pass
            elif not depth:
                yield token


class _LinkRelFilter(html5lib_shim.Filter):
    """Adds ``rel="nofollow noopener"`` to every link (runs after the sanitizer)."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a" and token.get("data"):
                token["data"][(None, "rel")] = LINK_REL
            yield token


class _Cleaner(bleach.sanitizer.Cleaner):
    def __init__(self) -> None:
        super().__init__(
            tags=ALLOWED_TAGS,
            attributes=_attribute_allowed,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_LinkRelFilter],
        )
        # bleach's tokenizer drops disallowed tags before the tree is built, which leaves the text
        # of <script> / <style> behind. Let the _DROP_WITH_CONTENT elements into the tree so that
        # _DropContentFilter removes them with their content; bleach's sanitizer filter (same
        # allow-list, strip=True) would remove them anyway.
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=_PARSED_TAGS, strip=True, consume_entities=False, namespaceHTMLElements=False)
        self.walker = lambda tree: _DropContentFilter(_LinearEtreeWalker(tree))


_local = threading.local()  # bleach cleaners keep parser state: one per thread

MAX_HTML_DEPTH = 64         # open elements (raw HTML included) when bleach parses the output
MAX_OPEN_FORMATTING = 12    # open <b>, <i>, <a>, ... (html5lib re-opens them in every new block)

_HTML_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")
_SELF_CLOSING = frozenset({"br", "hr", "img", "embed"})  # void elements among _PARSED_TAGS
_AUTO_CLOSED = frozenset({"p", "li", "tr", "td", "th", "thead", "tbody"})  # closed by a sibling
_FORMATTING = frozenset({"a", "b", "code", "em", "i", "strong"})  # html5lib's, among _PARSED_TAGS


def _cap_nesting(fragment: str) -> str:
    """html5lib's tree builder scans the stack of open elements (and re-opens the list of open
    formatting elements) at every start tag, so thousands of unclosed raw tags make it
    quadratic. Turns start tags beyond MAX_HTML_DEPTH / MAX_OPEN_FORMATTING into text."""
    if fragment.count("<") <= min(MAX_HTML_DEPTH, MAX_OPEN_FORMATTING):
        return fragment
    depth = formatting = 0
    parts: list[str] = []
    last = 0
    for m in _HTML_TAG.finditer(fragment):
        name = m.group(2).lower()
        if name not in _PARSED_TAGS or name in _SELF_CLOSING or name in _AUTO_CLOSED:
            continue
        is_formatting = name in _FORMATTING
        if m.group(1):
            depth = max(0, depth - 1)
            if is_formatting:
                formatting = max(0, formatting - 1)
        elif depth >= MAX_HTML_DEPTH or (is_formatting and formatting >= MAX_OPEN_FORMATTING):
            parts.append(fragment[last:m.start()])
            parts.append("&lt;")
            last = m.start() + 1
        else:
            depth += 1
            formatting += is_formatting
    if not parts:
        return fragment
    parts.append(fragment[last:])
    return "".join(parts)


# bleach re-parses every character reference in the text (about 20 µs each): 100,000 escaped
# '&' or '<' take seconds. The three references Python-Markdown writes are swapped for private-use
# characters (stripped from the input) while bleach runs, then swapped back. Inside an attribute
# value the stand-in hides nothing from bleach's URL check: it stands for '&', '<' or '>', none of
# which can make a URL scheme.
_STAND_INS = (("&amp;", "\U0010fff0"), ("&lt;", "\U0010fff1"), ("&gt;", "\U0010fff2"))
_STAND_IN_CHARS = re.compile("[\U0010fff0-\U0010fff2]")


def _sanitize(fragment: str) -> str:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _Cleaner()
    fragment = _cap_nesting(fragment)
    for reference, stand_in in _STAND_INS:
        fragment = fragment.replace(reference, stand_in)
    cleaned = cleaner.clean(fragment)
    for reference, stand_in in _STAND_INS:
        cleaned = cleaned.replace(stand_in, reference)
    return cleaned


# --------------------------------------------------------------------------------------------
# Bounded Markdown

BREAK = "\x10"
"""Invisible marker inserted into the source to stop a character from starting a construct;
removed from the output. Control characters are stripped from user input, so it is never typed."""

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TICK_RUN = re.compile(r"`+")

MAX_NESTING = 16            # quote / list markers honoured at the start of one line
MAX_TAG_CHARS = 1_000       # a raw tag must close ('>') within this many characters
MAX_RAW_TAGS = 3_000        # raw HTML tags per document (outside fenced code)
MAX_UNCLOSED_FENCES = 8     # unclosed ``` / ~~~ openers left alone (each rescans the document)
MAX_FENCED_BLOCKS = 500     # fenced code blocks per document
MAX_SPLIT_LINES = 16        # header / rule / setext lines per block before the block is split up
MAX_LINK_TARGET = 2_048     # characters scanned for a link's "(...)" part
SCAN_BUDGET = 400_000       # link, image and code-span scanning steps per document
INLINE_COPY_BUDGET = 30_000_000  # characters Python-Markdown may copy for inline matches
MAX_INLINE_MATCHES = 5_000       # inline elements (emphasis, code, links, escapes, ...)
MAX_BLOCK_WEIGHT = 20_000   # ~ tags of block elements (paragraphs, items, headers, table cells)


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps


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
    longest = max((len(run) for line in lines for run in _TICK_RUN.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return ["", fence, *lines, fence, ""]


class _NeutralizePreprocessor(Preprocessor):
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
        out: list[str] = []
        out_fenced: list[bool] = []  # ``fenced`` for ``out``
        block_start = 0
        split_lines = 0
        marks: set[int] = set()  # positions in ``out`` of this block's split lines
        count_lines = len(lines)
        weight = 0
        after_blank = True
        for i, line in enumerate(lines):
            if fenced[i]:
                out_fenced.extend([False] * (len(out) - len(out_fenced)))
                out.append(line)
                out_fenced.append(True)
                after_blank = False
                continue
            if not line.strip():
                split_lines = 0
                marks.clear()
                out.append(line)
                block_start = len(out)
                after_blank = True
                continue
            weight += 2 * after_blank
            if "|" in line:  # a table row: <tr> and its cells
                stripped = line.strip()
                cells = stripped.count("|") + 1 - stripped.startswith("|") - stripped.endswith("|")
                weight += 2 + 2 * max(cells, 1)
            after_blank = False
            if weight > MAX_BLOCK_WEIGHT:
                code = _as_code(lines[i:])
                out_fenced.extend([False] * (len(out) - len(out_fenced)))
                out_fenced.extend([False] + [True] * (len(code) - 2) + [False])
                out.extend(code)
                break
            starts = [0]
            pos = 0
            while True:
                m = _NEST_MARKER.match(line, pos)
                if not m or m.end() == pos:
                    break
                if len(starts) > MAX_NESTING:
                    line = line[:pos] + BREAK + line[pos:]
                    break
                pos = m.end()
                starts.append(pos)
            weight += 2 * (len(starts) - 1)
            is_split = False
            for start in starts:
                if _SPLIT_BODY.match(line, start):
                    is_split = True
                    break
                ref = _REFERENCE_DEF.match(line, start)
                if ref:
                    following = lines[i + 1] if i + 1 < count_lines else ""
                    is_split = bool(ref.group(1) and following.strip()
                                    and not _REFERENCE_DEF.match(following.lstrip(" >")))
                    break
            if is_split:
                weight += 2
                split_lines += 1
                if split_lines == MAX_SPLIT_LINES + 1:
                    # From here on this block is cut after each such line: the earlier ones too.
                    earlier = out[block_start:]
                    del out[block_start:]
                    for k, prev in enumerate(earlier, start=block_start):
                        out.append(prev)
                        if k in marks:
                            out.append("")
                if split_lines > MAX_SPLIT_LINES:
                    out.append(line)
                    out.append("")
                    block_start = len(out)
                    continue
                marks.add(len(out))
            out.append(line)
        out_fenced.extend([False] * (len(out) - len(out_fenced)))
        return out, out_fenced

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

        for line, is_fenced in zip(lines, fenced):
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
                segment = text[i:end + 1]
                if ('"' not in segment and "'" not in segment) or _QUOTED_TAG.match(
                        text, i, i + MAX_TAG_CHARS):
                    tags += 1
                    continue
        parts.append(text[last:i + 1])
        parts.append(BREAK)
        last = i + 1
    if not parts:
        return text, tags
    parts.append(text[last:])
    return "".join(parts), tags


_BRACKETS = re.compile(r"[\[\]]")


class _BoundedBrackets:
    """Link / image processors whose bracket and target scans are linear-time per call and draw
    on the render's ``_Budget``; once it is spent, no further link or image is recognised."""

    md: markdown.Markdown

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        budget: _Budget = self.md.cop_budget
        if budget.left <= 0:
            return "", index, False
        depth = 1
        steps = 0
        for m in _BRACKETS.finditer(data, index):
            steps += 1
            if data[m.start()] == "]":
                depth -= 1
                if not depth:
                    end = m.start()
                    budget.left -= steps + (end - index) // 64
                    return data[index:end], end + 1, True
            else:
                depth += 1
            if steps > budget.left:
                break
        budget.left -= steps + (len(data) - index) // 64
        return "", len(data), False

    def getLink(self, data: str, index: int):
        budget: _Budget = self.md.cop_budget
        if budget.left <= 0:
            return "", None, index, False
        window = data[:index + MAX_LINK_TARGET]
        href, title, end, handled = super().getLink(window, index)
        budget.left -= (end if handled else len(window)) - index
        return href, title, end, handled


class _BoundedBacktick(BacktickInlineProcessor):
    """Same code-span pairing as Python-Markdown, stepping over backtick runs instead of
    characters, within the render's ``_Budget``."""

    def __init__(self, pattern: str, md: markdown.Markdown) -> None:
        super().__init__(pattern)
        self.md = md

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        opening = _TICK_RUN.match(text, start)
        max_ticks = opening.end() - start if opening else 0
        start += max_ticks
        budget: _Budget = self.md.cop_budget
        if budget.left <= 0:
            return start + max_ticks, None
        longest_span = 0
        end = 0
        steps = 0
        for run in _TICK_RUN.finditer(text, start):
            steps += 1
            span_length = run.end() - run.start()
            if max_ticks == span_length:
                budget.left -= steps
                return start, run.start()
            if span_length > longest_span:
                longest_span = span_length
                end = run.end()
            if steps > budget.left:
                break
        budget.left -= steps
        if 0 < longest_span < max_ticks:
            return start - (max_ticks - longest_span), end - longest_span
        return start + max_ticks, None


def _bounded(cls):
    return type("Bounded" + cls.__name__, (_BoundedBrackets, cls), {})


class _BoundedTableProcessor(_tables.TableProcessor):
    """``TableProcessor.test`` splits and strips every line of the block it is asked about; a
    block that Python-Markdown peels line by line is asked about once per line. Test the first
    two lines only (the whole block only for a one-column table, as before)."""

    def test(self, parent, block: str) -> bool:
        first_end = block.find("\n")
        if first_end < 0:
            return False
        header0 = block[:first_end].strip(" ")
        second_end = block.find("\n", first_end + 1)
        row1 = block[first_end + 1:second_end if second_end >= 0 else len(block)].strip(" ")
        self.border = _tables.PIPE_NONE
        if header0.startswith("|"):
            self.border |= _tables.PIPE_LEFT
        if self.RE_END_BORDER.search(header0) is not None:
            self.border |= _tables.PIPE_RIGHT
        row = self._split_row(header0)
        row0_len = len(row)
        is_table = row0_len > 1
        if not is_table and row0_len == 1 and self.border:
            for line in block[first_end + 1:].split("\n"):
                line = line.strip(" ")
                is_table = line.startswith("|") or self.RE_END_BORDER.search(line) is not None
                if not is_table:
                    break
        if is_table:
            row = self._split_row(row1)
            is_table = (len(row) == row0_len) and set("".join(row)) <= set("|:- ")
            if is_table:
                self.separator = row
        return is_table


_NEVER = re.compile(r"(?!)")


def _meter_inline(md: markdown.Markdown) -> None:
    """Python-Markdown rebuilds a paragraph's whole text for every inline match (a placeholder
    replaces the match), so a paragraph with k matches costs k x its length: 50,000 ``\\*``
    escapes in one paragraph take tens of seconds. Charge each match the length of the text it
    rebuilds; once INLINE_COPY_BUDGET is spent, or MAX_INLINE_MATCHES elements are made, no
    inline pattern matches any more (the rest of the document keeps its text, without inline
    markup)."""
    processors = list(md.inlinePatterns)
    left = [INLINE_COPY_BUDGET, MAX_INLINE_MATCHES]

    def stop() -> None:
        for processor in processors:
            processor.compiled_re = _NEVER
            if hasattr(processor, "reset"):
                processor.reset()  # the emphasis processor caches matches across calls

    def metered(handle_match):
        def handleMatch(m, data):
            if left[0] <= 0 or left[1] <= 0:
                return None, None, None
            node, start, end = handle_match(m, data)
            if node is not None and start is not None:
                left[0] -= len(data)
                left[1] -= 1
                if left[0] <= 0 or left[1] <= 0:
                    stop()
            return node, start, end
        return handleMatch

    for processor in processors:
        processor.handleMatch = metered(processor.handleMatch)


class _BoundedWorkExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.cop_budget = _Budget(SCAN_BUDGET)
        md.preprocessors.register(_NeutralizePreprocessor(md), "cop_neutralize", 27)
        patterns = md.inlinePatterns
        patterns.register(_BoundedBacktick(BACKTICK_RE, md), "backtick", 190)
        patterns.register(_bounded(ReferenceInlineProcessor)(REFERENCE_RE, md), "reference", 170)
        patterns.register(_bounded(LinkInlineProcessor)(LINK_RE, md), "link", 160)
        patterns.register(_bounded(ImageInlineProcessor)(IMAGE_LINK_RE, md), "image_link", 150)
        patterns.register(
            _bounded(ImageReferenceInlineProcessor)(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        patterns.register(
            _bounded(ShortReferenceInlineProcessor)(REFERENCE_RE, md), "short_reference", 130)
        patterns.register(
            _bounded(ShortImageReferenceInlineProcessor)(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)
        table = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(
            _BoundedTableProcessor(md.parser, table.config), "table", 75)
        _meter_inline(md)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            TableExtension(use_align_attribute=True),
            FencedCodeExtension(),
            SaneListExtension(),
            _BoundedWorkExtension(),
        ],
        output_format="html",
    )


def render_markdown(text: str | None, max_chars: int | None = None) -> str:
    """Sanitized HTML for a Markdown source.

    Raises ``MarkupError`` when the source is longer than ``max_chars`` characters
    (default ``MAX_SOURCE_CHARS``)."""
    text = text or ""
    if not isinstance(text, str):
        raise TypeError("render_markdown() takes a str")
    limit = MAX_SOURCE_CHARS if max_chars is None else max_chars
    if len(text) > limit:
        raise MarkupError(
            "The text is too long (%(length)d characters; at most %(limit)d are allowed).",
            length=len(text), limit=limit,
        )
    text = _STAND_IN_CHARS.sub("", _CONTROL_CHARS.sub("", text))
    if not text.strip():
        return ""
    # A broken '<' that reached the output unescaped sits in raw HTML Markdown passed through:
    # keep it text there too.
    rendered = _markdown().convert(text).replace("<" + BREAK, "&lt;").replace(BREAK, "")
    return _sanitize(rendered)


def render_field(text: str | None, field: str, errors: list | None = None, message: str | None = None,
                 max_chars: int | None = None) -> str:
    """``render_markdown`` for a form field: a source too long or complex to render becomes a
    ``ValidationError`` on ``field`` — raised, or appended to ``errors`` (then "" is returned)."""
    try:
        return render_markdown(text or "", max_chars)
    except MarkupError:
        problem = (field, message or _("The text is too long."))
        if errors is None:
            raise ValidationError([problem]) from None
        errors.append(problem)
        return ""


# --------------------------------------------------------------------------------------------
# Plain text

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "title", "head"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def plain_text(html_text: str | None) -> str:
    """The text content of (sanitized) HTML: tags removed, entities decoded, whitespace collapsed;
    block elements separate words. For search indexing and snippets."""
    if not html_text:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html_text)
    extractor.close()
    return " ".join("".join(extractor.parts).split())
