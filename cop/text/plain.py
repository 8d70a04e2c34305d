"""Markdown → readable plain text, for exports that cannot show HTML (iCalendar, vCard, Atom summaries).

The source goes through the one renderer (cop.text.markup), so what a calendar shows is what the page
shows: headings and paragraphs on their own lines, list items with a bullet or their number, a link's
address after its words, no `##`, `**` or HTML left.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset("p div blockquote pre table ul ol dl h1 h2 h3 h4 h5 h6 hr figure section article".split())
_SKIP = frozenset({"script", "style", "template", "noscript", "head", "title"})


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # [kind, next number]
        self.links: list[str | None] = []
        self.link_text: list[str] = []
        self.skip = 0
        self.cells = 0

    def _newline(self, blank: bool = False) -> None:
        self.out.append("\n\n" if blank else "\n")

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 1])
            self._newline(blank=len(self.lists) == 1)
        elif tag == "li":
            self._newline()
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                marker = "• "
            self.out.append("  " * depth + marker)
        elif tag in ("br", "tr"):
            self._newline()
            self.cells = 0
        elif tag in ("td", "th"):
            self.out.append(" | " if self.cells else "")
            self.cells += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_text.append("")
        elif tag in _BLOCKS:
            self._newline(blank=True)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline(blank=not self.lists)
        elif tag == "a" and self.links:
            href, text = self.links.pop(), self.link_text.pop()
            if (
                href
                and href.startswith(("http://", "https://", "mailto:"))
                and href.removeprefix("mailto:") != text.strip()
            ):
                self.out.append(f" ({href.removeprefix('mailto:')})")
        elif tag in _BLOCKS:
            self._newline(blank=True)

    def handle_data(self, data):
        if self.skip or (not data.strip() and "\n" in data):  # layout whitespace between tags
            return
        if self.link_text:
            self.link_text[-1] += data
        self.out.append(data)

    def text(self) -> str:
        raw = "".join(self.out)
        lines = [" ".join(line.split()) if not line.startswith(" ") else line.rstrip() for line in raw.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str | None) -> str:
    if not html:
        return ""
    parser = _Plain()
    parser.feed(html)
    parser.close()
    return parser.text()


def markdown_to_text(source: str | None) -> str:
    """Plain text of a Markdown source, laid out in lines; '' for empty or unrenderable input."""
    from .markup import MarkupError, render_markdown

    if not source or not source.strip():
        return ""
    try:
        return html_to_text(render_markdown(source))
    except MarkupError:
        return " ".join(source.split())
