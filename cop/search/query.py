"""The search box language, parsed by hand (never Whoosh's stock QueryParser on user input).

Syntax offered, and nothing else:

* plain words: all must match (``การมีส่วนร่วม ตัวชี้วัด``);
* ``"a phrase"``: the words in order;
* ``-word`` / ``-"a phrase"``: exclude documents that match;
* ``a OR b`` (upper-case ``OR``, or ``|``): either;
* an activity code (``SP7``, ``sp 7``, ``CS 1 A``) or ``หมวด 3`` / ``หมวด P`` also acts as a filter
  (returned in ``applied``), not as text.

Everything else is text: ``status:draft``, ``NOT``, ``AND``, ``*``, ``~``, parentheses are words or
punctuation. Bounds: :data:`MAX_LENGTH` characters, :data:`MAX_TERMS` terms, :data:`MAX_TOKEN`
characters per word. ``parse(text, strict=True)`` raises :class:`QueryError` on malformed or
oversized input (the API answers 400); ``strict=False`` does its best (the web page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from cop.search import analysis
from cop.taxonomy import get_category
from cop.text import thai

MAX_LENGTH = 500
MAX_TERMS = 32
MAX_TOKEN = 64


class QueryError(ValueError):
    """A query the API should refuse with 400 (message is safe to show)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Unit:
    text: str
    phrase: bool = False
    tokens: list[str] = field(default_factory=list)  # analyzed word-mode tokens


@dataclass
class Group:
    """Units joined by OR; ``negated`` groups exclude documents."""

    units: list[Unit]
    negated: bool = False


@dataclass
class ParsedQuery:
    groups: list[Group] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    text: str = ""  # the normalized input

    @property
    def positive(self) -> list[Group]:
        return [g for g in self.groups if not g.negated]

    @property
    def negative(self) -> list[Group]:
        return [g for g in self.groups if g.negated]

    def highlight_terms(self) -> list[str]:
        """Surface strings (normalized) of the positive units, for snippets."""
        out = []
        for g in self.positive:
            for u in g.units:
                out.append(u.text)
        return out


_CATEGORY_RE = re.compile(r"หมวด\s*(?:ที่\s*)?(?P<key>[1-7]|[Pp](?![A-Za-z]))")
_LEX_RE = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"|(?P<quote>")|(?P<word>[^\s"]+)')


def _latin_phrase_re_ignorecase():
    return re.compile(analysis._latin_phrase_re().pattern, re.IGNORECASE)


def _short_form(phrase: str) -> str:
    group = analysis.group_of(re.sub(r"\s+", " ", phrase.lower()))
    forms = analysis.SYNONYMS.get(group[1:], ()) if group else ()
    return next((f for f in forms if f.isascii() and " " not in f), phrase)


def _clean(text: str) -> str:
    text = thai.normalize(text)
    text = text.replace("“", '"').replace("”", '"').replace("„", '"')
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)


def parse(text: str | None, strict: bool = False) -> ParsedQuery:
    """Parse the search box; see the module docstring for the syntax."""
    raw = text or ""
    if len(raw) > MAX_LENGTH:
        if strict:
            raise QueryError(_l("The search is too long (at most %(n)d characters).", n=MAX_LENGTH))
        raw = raw[:MAX_LENGTH]
    text = _clean(raw)
    parsed = ParsedQuery(text=text)
    work = _take_filters(text, parsed)
    # Multi-word Latin synonyms ("After Action Review") → the group's short form ("aar").
    work = _latin_phrase_re_ignorecase().sub(lambda m: " " + _short_form(m.group(1)) + " ", work)
    if strict and work.count('"') % 2:
        raise QueryError(_l("A quotation mark is not closed."))
    parsed.groups = _bounded(_groups(_lex(work, strict), strict), strict)
    if strict and text.strip() and not parsed.groups and not parsed.codes and not parsed.categories:
        raise QueryError(_l("The search has no words to look for."))
    return parsed


def _take_filters(text: str, parsed: ParsedQuery) -> str:
    """Move the filters typed in the box (หมวด 3, activity codes not excluded with "-" and not
    inside quotes) into ``parsed``; returns the text without them."""

    def take_category(m):
        cat = get_category(m["key"])
        if cat and cat.key not in parsed.categories:
            parsed.categories.append(cat.key)
        return " "

    work = _CATEGORY_RE.sub(take_category, text)

    def take_code(m):
        start = m.start()
        if start > 0 and work[start - 1] == "-":
            return m.group()
        if work.count('"', 0, start) % 2:  # inside quotes: leave as text
            return m.group()
        codes = analysis.codes_in(m)
        if not codes:
            return m.group()
        for c in codes:
            if c not in parsed.codes:
                parsed.codes.append(c)
        return " "

    return analysis.CODE_RE.sub(take_code, work)


def _lex(work: str, strict: bool) -> list:
    """Units (with their negation flag) and "OR" operators, in order."""
    items: list[object] = []  # (Unit, negated) | "OR"
    for m in _LEX_RE.finditer(work):
        if m["quote"]:
            continue  # a lone quote (best effort): ignore
        if m["phrase"] is not None:
            unit, neg = Unit(m["phrase"].strip(), phrase=True), bool(m["neg"])
        else:
            word = m["word"]
            if word in ("OR", "|", "||"):
                items.append("OR")
                continue
            neg = False
            if word.startswith("-") and len(word) > 1:
                neg, word = True, word[1:]
            if len(word) > MAX_TOKEN:
                if strict:
                    raise QueryError(_l("A word in the search is too long (at most %(n)d characters).", n=MAX_TOKEN))
                word = word[:MAX_TOKEN]
            unit = Unit(word)
        unit.tokens = analysis.query_tokens(unit.text)
        if not unit.tokens:
            continue  # punctuation only: "*", "((((", "-", "~"
        if unit.phrase and len(unit.tokens) > MAX_TERMS:
            if strict:
                raise QueryError(_l("A phrase is too long (at most %(n)d words).", n=MAX_TERMS))
            unit.tokens = unit.tokens[:MAX_TERMS]
        items.append((unit, neg))
    return items


def _groups(items: list, strict: bool) -> list[Group]:
    """A OR b OR c → one group; negation applies to a whole single-unit group."""
    groups: list[Group] = []
    pending_or = False
    for item in items:
        if item == "OR":
            if not groups or pending_or:
                if strict:
                    raise QueryError(_l("OR needs a word on each side."))
                continue
            pending_or = True
            continue
        unit, neg = item
        if pending_or and groups and not groups[-1].negated and not neg:
            groups[-1].units.append(unit)
        else:
            if pending_or and strict:
                raise QueryError(_l("OR cannot be combined with an excluded word."))
            groups.append(Group([unit], negated=neg))
        pending_or = False
    if pending_or and strict:
        raise QueryError(_l("OR needs a word on each side."))
    return groups


def _bounded(groups: list[Group], strict: bool) -> list[Group]:
    """At most MAX_TERMS terms: refused (strict) or cut after the last whole unit that fits."""
    if sum(len(u.tokens) for g in groups for u in g.units) <= MAX_TERMS:
        return groups
    if strict:
        raise QueryError(_l("Too many words in the search (at most %(n)d).", n=MAX_TERMS))
    kept, count = [], 0
    for g in groups:
        units = []
        for u in g.units:
            if count + len(u.tokens) > MAX_TERMS:
                break
            units.append(u)
            count += len(u.tokens)
        if units:
            kept.append(Group(units, g.negated))
    return kept


# --------------------------------------------------------------------------- Whoosh queries

TITLE_BOOST = 3.0
BODY_BOOST = 2.0
SUB_BOOST = 0.4


def _term_query(tok: str):
    from whoosh import query as wq

    group = analysis.group_of(tok)
    tok = group or tok
    parts = [wq.Term("title", tok, boost=TITLE_BOOST), wq.Term("body", tok, boost=BODY_BOOST)]
    if group or analysis.in_sub_vocabulary(tok):
        parts.append(wq.Term("sub", tok, boost=SUB_BOOST))
    return wq.Or(parts)


def _anywhere(tok: str):
    """``tok`` as a word (title/body) or inside Thai text (``sub``): the index keeps a sub-word in
    ``sub`` only for documents where it is not already a word token, so the three are needed."""
    return _term_query(tok)


def unit_query(unit: Unit):
    from whoosh import query as wq

    toks = unit.tokens
    if len(toks) == 1:
        return _term_query(toks[0])
    if unit.phrase:
        phrase_toks = list(toks)
        parts = [wq.Phrase("title", phrase_toks, boost=TITLE_BOOST), wq.Phrase("body", phrase_toks, boost=BODY_BOOST)]
        joined = "".join(toks)
        if analysis.in_sub_vocabulary(joined):  # a dictionary word segmented differently
            parts.append(_anywhere(joined))
        elif all(analysis.in_sub_vocabulary(t) for t in toks):
            # Thai running text is segmented differently in context ("มีส่วน|ร่วมใน"): all the words
            # occurring in the document also counts (weaker than the positional phrase).
            parts.append(wq.And([_anywhere(t) for t in toks]))
        return wq.Or(parts)
    # A typed word that segments into several tokens (a compound not in the dictionary, "KM2553"):
    # every token must occur; no positional phrase (slow on common short Thai words).
    joined = "".join(toks)
    conj = wq.And([_term_query(t) for t in toks])
    if analysis.in_sub_vocabulary(joined):
        return wq.Or([conj, _anywhere(joined)])
    return conj


def group_query(group: Group):
    from whoosh import query as wq

    qs = [unit_query(u) for u in group.units]
    return qs[0] if len(qs) == 1 else wq.Or(qs)


def to_whoosh(parsed: ParsedQuery):
    """(positive query or None, exclusion query or None) as Whoosh query objects."""
    from whoosh import query as wq

    pos = [group_query(g) for g in parsed.positive]
    neg = [group_query(g) for g in parsed.negative]
    positive = None if not pos else pos[0] if len(pos) == 1 else wq.And(pos)
    negative = None if not neg else neg[0] if len(neg) == 1 else wq.Or(neg)
    return positive, negative
