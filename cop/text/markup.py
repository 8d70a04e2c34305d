"""Markdown → safe HTML: the only place in the app that turns user text into HTML.

``render_markdown`` runs Python-Markdown (``tables``, ``fenced_code``, ``sane_lists``) with bounded
work (``limits``, ``preprocess``, ``inline``: Python-Markdown, html.parser and html5lib are
super-linear on some inputs, so the excess of each costly construct stays text, reading as typed)
and passes the output through the allow-list sanitizer (``sanitize``). A document that trips no
limit renders exactly as plain Python-Markdown renders it. ``plain_text`` gives the text of such
HTML (search, snippets).
"""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
from flask_babel import gettext as _
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from ..validation import ValidationError
from .inline import BoundedWorkExtension
from .limits import BREAK, CONTROL_CHARS, MAX_BLOCK_WEIGHT, MAX_NESTING
from .sanitize import ALLOWED_PROTOCOLS, ALLOWED_TAGS, STAND_IN_CHARS, sanitize

__all__ = [
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "MAX_BLOCK_WEIGHT",
    "MAX_NESTING",
    "MAX_SOURCE_CHARS",
    "MarkupError",
    "plain_text",
    "render_field",
    "render_markdown",
]

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


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            TableExtension(use_align_attribute=True),
            FencedCodeExtension(),
            SaneListExtension(),
            BoundedWorkExtension(),
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
            length=len(text),
            limit=limit,
        )
    text = STAND_IN_CHARS.sub("", CONTROL_CHARS.sub("", text))
    if not text.strip():
        return ""
    # A broken '<' that reached the output unescaped sits in raw HTML Markdown passed through:
    # keep it text there too.
    rendered = _markdown().convert(text).replace("<" + BREAK, "&lt;").replace(BREAK, "")
    return sanitize(rendered)


def render_field(
    text: str | None, field: str, errors: list | None = None, message: str | None = None, max_chars: int | None = None
) -> str:
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

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
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
