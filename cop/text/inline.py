"""Bounded inline parsing: link, image and code-span scanning on a per-render ``Budget``; inline
matching stops after ``INLINE_COPY_BUDGET`` copied characters or ``MAX_INLINE_MATCHES`` elements."""

from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.extensions import tables as _tables
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

from .limits import INLINE_COPY_BUDGET, MAX_INLINE_MATCHES, MAX_LINK_TARGET, SCAN_BUDGET, TICK_RUN, Budget
from .preprocess import NeutralizePreprocessor

_BRACKETS = re.compile(r"[\[\]]")


class _BoundedBrackets:
    """Link / image processors whose bracket and target scans are linear-time per call and draw
    on the render's ``Budget``; once it is spent, no further link or image is recognised."""

    md: markdown.Markdown

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        budget: Budget = self.md.cop_budget
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
        budget: Budget = self.md.cop_budget
        if budget.left <= 0:
            return "", None, index, False
        window = data[: index + MAX_LINK_TARGET]
        href, title, end, handled = super().getLink(window, index)
        budget.left -= (end if handled else len(window)) - index
        return href, title, end, handled


class _BoundedBacktick(BacktickInlineProcessor):
    """Same code-span pairing as Python-Markdown, stepping over backtick runs instead of
    characters, within the render's ``Budget``."""

    def __init__(self, pattern: str, md: markdown.Markdown) -> None:
        super().__init__(pattern)
        self.md = md

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        opening = TICK_RUN.match(text, start)
        max_ticks = opening.end() - start if opening else 0
        start += max_ticks
        budget: Budget = self.md.cop_budget
        if budget.left <= 0:
            return start + max_ticks, None
        longest_span = 0
        end = 0
        steps = 0
        for run in TICK_RUN.finditer(text, start):
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
        row1 = block[first_end + 1 : second_end if second_end >= 0 else len(block)].strip(" ")
        self.border = _tables.PIPE_NONE
        if header0.startswith("|"):
            self.border |= _tables.PIPE_LEFT
        if self.RE_END_BORDER.search(header0) is not None:
            self.border |= _tables.PIPE_RIGHT
        row = self._split_row(header0)
        row0_len = len(row)
        is_table = row0_len > 1
        if not is_table and row0_len == 1 and self.border:
            for line in block[first_end + 1 :].split("\n"):
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
    r"""Python-Markdown rebuilds a paragraph's whole text for every inline match (a placeholder
    replaces the match), so a paragraph with k matches costs k x its length: 50,000 ``\*``
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


class BoundedWorkExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.cop_budget = Budget(SCAN_BUDGET)
        md.preprocessors.register(NeutralizePreprocessor(md), "cop_neutralize", 27)
        patterns = md.inlinePatterns
        patterns.register(_BoundedBacktick(BACKTICK_RE, md), "backtick", 190)
        patterns.register(_bounded(ReferenceInlineProcessor)(REFERENCE_RE, md), "reference", 170)
        patterns.register(_bounded(LinkInlineProcessor)(LINK_RE, md), "link", 160)
        patterns.register(_bounded(ImageInlineProcessor)(IMAGE_LINK_RE, md), "image_link", 150)
        patterns.register(_bounded(ImageReferenceInlineProcessor)(IMAGE_REFERENCE_RE, md), "image_reference", 140)
        patterns.register(_bounded(ShortReferenceInlineProcessor)(REFERENCE_RE, md), "short_reference", 130)
        patterns.register(_bounded(ShortImageReferenceInlineProcessor)(IMAGE_REFERENCE_RE, md), "short_image_ref", 125)
        table = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(_BoundedTableProcessor(md.parser, table.config), "table", 75)
        _meter_inline(md)
