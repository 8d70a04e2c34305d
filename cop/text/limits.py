"""How much work rendering one Markdown document may do: the limits the preprocessor and the
bounded inline processors enforce (``bench/markup.py`` measures the worst cases)."""

from __future__ import annotations

import re

BREAK = "\x10"
"""Invisible marker inserted into the source to stop a character from starting a construct;
removed from the output. Control characters are stripped from user input, so it is never typed."""

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TICK_RUN = re.compile(r"`+")

MAX_NESTING = 16  # quote / list markers honoured at the start of one line
MAX_TAG_CHARS = 1_000  # a raw tag must close ('>') within this many characters
MAX_RAW_TAGS = 3_000  # raw HTML tags per document (outside fenced code)
MAX_UNCLOSED_FENCES = 8  # unclosed ``` / ~~~ openers left alone (each rescans the document)
MAX_FENCED_BLOCKS = 500  # fenced code blocks per document
MAX_SPLIT_LINES = 16  # header / rule / setext lines per block before the block is split up
MAX_LINK_TARGET = 2_048  # characters scanned for a link's "(...)" part
SCAN_BUDGET = 400_000  # link, image and code-span scanning steps per document
INLINE_COPY_BUDGET = 30_000_000  # characters Python-Markdown may copy for inline matches
MAX_INLINE_MATCHES = 5_000  # inline elements (emphasis, code, links, escapes, ...)
MAX_BLOCK_WEIGHT = 20_000  # ~ tags of block elements (paragraphs, items, headers, table cells)


class Budget:
    """Steps of scanning work left for one render."""

    def __init__(self, steps: int) -> None:
        self.left = steps
