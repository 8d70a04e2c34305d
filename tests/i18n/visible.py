"""What a person reads on a page, and the rules for text in the wrong language.

Visible text: text nodes outside script/style/template/textarea, plus the attributes people read
(placeholder, title, alt, aria-label, the label of a submit button). Text inside an element whose `lang`
differs from the page's language was marked as deliberately in the other language and is skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HIDDEN = {"script", "style", "template", "noscript", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRS = ("placeholder", "title", "alt", "aria-label")


class _Visible(HTMLParser):
    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool, bool]] = []  # tag, hidden, other language
        self.chunks: list[str] = []

    def _skipping(self) -> bool:
        return any(hidden or other for _tag, hidden, other in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = (a.get("lang") or "").split("-")[0]
        other = bool(lang) and lang != self.page_lang and tag != "html"
        if not self._skipping() and not other:
            for name in READ_ATTRS:
                if a.get(name):
                    self.chunks.append(a[name])
            if tag == "input" and (a.get("type") or "").lower() in ("submit", "button") and a.get("value"):
                self.chunks.append(a["value"])
        if tag not in VOID:
            self.stack.append((tag, tag in HIDDEN or "hidden" in a, other))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            self.chunks.append(data)


def visible_chunks(html: str, page_lang: str) -> list[str]:
    parser = _Visible(page_lang)
    parser.feed(html)
    return [" ".join(c.split()) for c in parser.chunks]


# --- English left in Thai pages ------------------------------------------------------------------

# Words that stay Latin in a Thai interface: acronyms, product and format names, proper names.
ALLOWED_WORDS = {
    "PMQA",
    "AAR",
    "AARs",
    "KM",
    "CoP",
    "OPDC",
    "FL",
    "ID",
    "LINE",
    "Markdown",
    "PDF",
    "Word",
    "PowerPoint",
    "Excel",
    "PNG",
    "JPEG",
    "JPG",
    "GIF",
    "WebP",
    "CSV",
    "iCalendar",
    "ics",
    "vCard",
    "vcf",
    "Atom",
    "RSS",
    "API",
    "Bearer",
    "TOKEN",
    "Authorization",
    "URL",
    "HTTP",
    "HTTPS",
    "English",
    "Google",
    "Outlook",
    "Calendar",
    "Thunderbird",
    "Apple",
    "Chrome",
    "MB",
    "KB",
    "GB",
    "IP",
    "MAC",
    "UUID",
    "JSON",
    "OK",
    "QR",
    "SMS",
    "IT",
    "KPI",
    "KPIs",
    "SAR",
    "Zoom",
    "Teams",
    "Microsoft",
    "Fundamental",
    "Level",
    "Public",
    "Sector",
    "Management",
    "Quality",
    "Award",
    "cop",
    "www",
    "example",
    "org",
    "com",
    "txt",
}
URL = re.compile(r"(https?://\S+|www\.\S+|(?<![\w])/[\w\-./?=&%#]+)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CODE = re.compile(r"\b[A-Z]{1,4}[ -]?\d+(?:[ ,.-]?\d+)*[A-Za-z]?\b")  # SP5, CS 1 A, IT 2,3
FILE = re.compile(r"\b[\w-]+\.(?:pdf|docx?|pptx?|xlsx?|png|jpe?g|gif|webp|txt|csv|ics|vcf|atom)\b", re.IGNORECASE)
SECRET = re.compile(r"[A-Za-z0-9_-]{20,}")  # an API token or a calendar key shown once: not prose
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ \t,:;–—-]+[A-Za-z][A-Za-z'’]+)+")


def english_left(chunk: str, content: str = "") -> str | None:
    """The English in a chunk of a Thai page: two or more Latin words in a row, or a chunk that is one
    Latin word alone (a button, a column head, an option). Allowed words and patterns are removed first;
    English that people wrote (it is in CONTENT) is content, not interface."""
    text = EMAIL.sub(" ", URL.sub(" ", chunk))
    text = FILE.sub(" ", CODE.sub(" ", SECRET.sub(" ", text)))
    words = [w for w in LATIN_WORD.findall(text)]
    for word in set(words):
        if word in ALLOWED_WORDS:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", " · ", text)
    for run in ENGLISH_RUN.finditer(text):
        pieces = [p.strip(" \t:;–—-") for p in re.split(r"[,;]", run.group(0))]  # a list of tags, say
        if run.group(0) not in content and any(p and p not in content for p in pieces):
            return run.group(0)
    rest = LATIN_WORD.findall(text)
    if (
        len(rest) == 1
        and len(rest[0]) >= 3
        and not re.search(r"[\u0E00-\u0E7F0-9]", text)
        and not re.search(rf"(?<![A-Za-z]){re.escape(rest[0])}(?![A-Za-z])", content)
    ):
        return rest[0]
    return None


# --- Thai left in English pages ------------------------------------------------------------------

THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+(?:[ \t]+[\u0E00-\u0E7F]+)*")


BE_BESIDE_WORDS = re.compile(  # "FY 2567", "1 Dec 2569": a Buddhist-Era year where English shows dates
    r"\b(?:FY|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|"
    r"August|September|October|November|December)\.?\s+(2[4-7]\d\d)\b"
)


def thai_left(chunk: str, content: str, snippets: bool = False) -> str | None:
    """Thai in an English page is allowed where it is content (people's text, names, agencies, provinces:
    it is in CONTENT, the database's text and the province list); any other Thai is interface that leaked."""
    # A search snippet is indexed text cut at both ends and re-spaced: it is checked word by word.
    if not re.search(r"[\u0E00-\u0E7F]", chunk):
        be = BE_BESIDE_WORDS.search(chunk)  # English pages give Gregorian years, fiscal years too
        if be and be.group(0) not in content:
            return be.group(0)
    snippet = snippets or "…" in chunk
    for run in THAI_RUN.findall(chunk):
        if run not in content and not (snippet and all(word in content for word in run.split())):
            return run
    return None
