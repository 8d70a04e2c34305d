"""The Whoosh index layout: schema, codec and how a search document becomes index fields.

Distribution: ``whoosh-reloaded`` 2.7.5 rather than ``whoosh`` 2.7.4 — see WHOOSH_CHOICE below.
"""

from __future__ import annotations

import zlib

from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence

from cop.search import analysis
from cop.search.base import SearchDocument
from cop.text import thai

WHOOSH_CHOICE = """
Evidence gathered on this machine (Python 3.11.7): both ``whoosh`` 2.7.4 (2016 wheel) and
``whoosh-reloaded`` 2.7.5 install and import; both produce the same on-disk format and ~120
invalid-escape-sequence warnings when their sources are compiled (SyntaxWarning on 3.12+), so
neither is "warning-free". 106 files differ, mostly reformatting. One behavioural difference found:
reloaded's ``FileIndex._reader(reuse=...)`` re-adds the reused reader's segments to the new list
(a merged-away segment can come back after ``Searcher.refresh()``), and BOTH reuse segment readers
by segment id only, so a refreshed searcher keeps a stale deletion set (an updated or deleted
document stays visible — reproduced with reloaded). This backend therefore never calls
``refresh()``: :meth:`WhooshBackend._refreshed` rebuilds the reader, reusing a segment reader only
when id and deletion count match, which makes the choice neutral. We keep ``whoosh-reloaded``
2.7.5 because it is the project's declared dependency and Python-3-only; both say they are
unmaintained, which is why Whoosh stays behind :class:`cop.search.base.SearchBackend`.
"""

INDEX_NAME = "cop"
VERSION_FILE = "cop-analysis-version"


#: Posting lists shorter than this are kept inside the term table instead of a compressed block of
#: their own (Whoosh's default of 1 turns this off): every term of a one-document update, and the
#: many rare sub-words of a rebuild, skip a pickle, a zlib call and a postings-file write.
INLINE_LIMIT = 2


def _set_inline(terminfo, ids, weights, values):
    """Whoosh's inlined postings, with one empty value per posting when the format stores none:
    its ListMatcher then hands a merge ``b""`` (what a block gives) instead of ``""``, which the
    posting pool rejects."""
    terminfo.set_inlined(ids, weights, values if len(values) else [b""] * len(ids))


if not hasattr(W3TermInfo, "set_inline"):  # whoosh-reloaded's postings writer calls a misspelt method
    W3TermInfo.set_inline = _set_inline


class Codec(W3Codec):
    """Whoosh's default codec with inlined short posting lists (:data:`INLINE_LIMIT`) and without
    per-block length statistics: those only serve Whoosh's own block-max scoring, which this backend
    does not use (it ranks from the length columns, which are still written), and computing them
    read the length column once per posting at commit. Pickled into each segment of the index: keep
    the name and module (unpickling it, even in a spawned worker, imports the fix above)."""

    length_stats = False

    def __init__(self):
        super().__init__(inlinelimit=INLINE_LIMIT)


def _codec():
    return Codec()


class SubField(TEXT):
    """TEXT whose index() hands Whoosh the distinct sub-word terms directly: the same postings as
    the analyzer through ``Existence.word_values``, without a Token object and two generators per
    term (~210 terms per document). Pickled into new index schemas: keep the name and module."""

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        fb = self.format.field_boost
        for term in analysis.index_sub_terms(thai.normalize(value)):
            yield term.encode("utf-8"), 1, fb, b""


def _sub_field():
    """Sub-words: a filter-like field (distinct terms, no frequencies, positions or lengths)."""
    f = SubField(analyzer=analysis.sub_analyzer(), phrase=False)
    f.format = Existence()
    f.scorable = False
    return f


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True, sortable=True),
        type=ID(stored=True),
        id=STORED,
        title=TEXT(analyzer=analysis.word_analyzer(), stored=True, field_boost=1.0),
        body=TEXT(analyzer=analysis.word_analyzer()),
        sub=_sub_field(),
        body_z=STORED,
        url=STORED,
        categories=STORED,
        codes=STORED,
        checksum=ID(stored=True, sortable=True),
        category=KEYWORD(),
        code=KEYWORD(),
        province=ID(),
        year=ID(),
        tags=KEYWORD(lowercase=True, commas=True),
        agency=TEXT(analyzer=analysis.word_analyzer()),
    )


def document_fields(doc: SearchDocument) -> dict:
    sep = analysis.SUB_SEP
    title = thai.normalize(doc.title or "").replace(sep, " ")
    body = thai.normalize(doc.body or "").replace(sep, " ")
    tags = [t.replace(",", " ").replace(sep, " ") for t in doc.tags or []]
    extra = " ".join(x for x in [(doc.agency or "").replace(sep, " "), " ".join(tags)] if x)
    body_value = body + ("\n" + extra if extra else "")
    fields = dict(
        key=doc.key,
        type=doc.type,
        id=int(doc.id),
        title=title,
        body=body_value,
        sub=title + sep + body_value,
        body_z=zlib.compress(body.encode("utf-8"), 1),
        url=doc.url or "",
        categories=list(doc.categories or []),
        codes=list(doc.codes or []),
        checksum=doc.checksum or "",
        category=" ".join(doc.categories or []),
        code=" ".join(doc.codes or []),
        tags=",".join(tags),
    )
    if doc.province:
        fields["province"] = doc.province
    if doc.year is not None:
        fields["year"] = str(int(doc.year))
    if doc.agency:
        fields["agency"] = doc.agency
    return fields
