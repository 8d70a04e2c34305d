"""The allow-list sanitizer for rendered Markdown (bleach): only the tags, attributes and URL schemes
listed here survive; ``<script>``, ``<style>`` and the like go with their content. Before bleach runs,
open elements past ``MAX_HTML_DEPTH`` / ``MAX_OPEN_FORMATTING`` become text and the character
references Markdown writes are swapped for stand-ins; the tree is walked in linear time."""

from __future__ import annotations

import html
import re
import threading

import bleach
from bleach import html5lib_shim

ALLOWED_TAGS = frozenset(
    "h1 h2 h3 h4 h5 h6 p br hr ul ol li strong em b i code pre blockquote table thead tbody tr th td a img del sup sub".split()
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})  # for <a href>; bleach checks them
LINK_REL = "nofollow noopener"

# Elements dropped *with* their content before the allow-list runs (bleach's strip=True would keep
# their text): scripts and styles, and containers whose content is not document text.
_DROP_WITH_CONTENT = frozenset(
    "script style template iframe frame frameset object embed applet svg math noscript noembed noframes xmp textarea title select".split()
)

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
            tags=_PARSED_TAGS, strip=True, consume_entities=False, namespaceHTMLElements=False
        )
        self.walker = lambda tree: _DropContentFilter(_LinearEtreeWalker(tree))


_local = threading.local()  # bleach cleaners keep parser state: one per thread

MAX_HTML_DEPTH = 64  # open elements (raw HTML included) when bleach parses the output
MAX_OPEN_FORMATTING = 12  # open <b>, <i>, <a>, ... (html5lib re-opens them in every new block)

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
            parts.append(fragment[last : m.start()])
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
STAND_IN_CHARS = re.compile("[\U0010fff0-\U0010fff2]")


def sanitize(fragment: str) -> str:
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
