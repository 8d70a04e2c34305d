"""PostgreSQL full-text search backend (``COP_SEARCH_BACKEND=postgres``): the index is a table in the
application's own PostgreSQL database, so every app server sees the same index.

* The tokens are :mod:`cop.search.analysis`'s — the same as the Whoosh backend indexes — stored as a
  ``tsvector`` built here as a literal (``'token':pos,pos…`` with weights), not by PostgreSQL's own
  parser: ``to_tsvector`` would strip the ``=`` of synonym-group tokens (``=km``) and re-split text
  we have already segmented. Title words carry weight A, body words (plus agency and tags) weight B,
  the ``sub`` terms (dictionary words inside Thai compounds that are not already word tokens) weight
  D at the last position. A GIN index makes ``tsv @@ query`` fast.
* Queries come from the same parser (:mod:`cop.search.query`), translated unit by unit the way
  :func:`cop.search.query.to_whoosh` does: a word matches its synonym group; a quoted phrase is
  ``<->`` over title/body words (or the joined word / all words inside Thai text, as for Whoosh);
  exclusion is ``!``; OR is ``|``.
* Ranking: ``ts_rank_cd`` with title above body above sub-words. Filters and facets are SQL over the
  same matching rows (each facet counts with the OTHER facets' filters applied), one round trip.
* Snippets: the Whoosh backend's :func:`~cop.search.snippets.make_snippet` over the stored,
  normalized body (escaped text, ``<mark>`` around matches, cut at Thai word boundaries).

The table ``search_documents`` is declared here (so models == migrations on every engine); on SQLite
it exists but stays empty — the backend needs PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy import JSON, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import thai
from . import analysis
from .base import FACETS, Hit, SearchBackend, SearchDocument, SearchRequest, SearchResults
from .filters import applied_filters, page_window
from .query import ParsedQuery, Unit, parse

TABLE = "search_documents"
#: A rebuild of at least this many documents refreshes the planner's statistics at once (autovacuum
#: would, minutes later); below it, ANALYZE costs more than it saves.
ANALYZE_AFTER_ROWS = 1000
#: ts_rank_cd weights {D, C, B, A}: sub-words, (unused), body, title — the Whoosh ratios 0.4 : 2 : 3.
RANK_WEIGHTS = [0.13, 0.2, 0.67, 1.0]
MAX_POS = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 255  # positions kept per lexeme (PostgreSQL keeps at most 256)
MAX_LEXEME_BYTES = 500  # PostgreSQL refuses lexemes of 2 KiB and more
BATCH = 500

StringList = ARRAY(String(20)).with_variant(JSON(), "sqlite")
TsVector = TSVECTOR().with_variant(Text(), "sqlite")


class SearchEntry(db.Model):
    """One indexed document (filled only by :class:`PostgresBackend`)."""

    __tablename__ = TABLE
    __table_args__ = (
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_documents_codes", "codes", postgresql_using="gin"),
    )

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)  # normalized plain text, for snippets
    categories: Mapped[list] = mapped_column(StringList)
    codes: Mapped[list] = mapped_column(StringList)
    province: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    indexed_at: Mapped[datetime] = mapped_column(sa.DateTime)
    tsv = mapped_column(TsVector)


# ---------------------------------------------------------------------- documents → rows


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _fits(tok: str) -> bool:
    return bool(tok) and len(tok.encode("utf-8")) < MAX_LEXEME_BYTES


def tsvector_literal(title: str, body: str) -> str:
    """The analyzer's tokens of normalized ``title`` and ``body`` as a tsvector literal."""
    lexemes: dict[str, list[str]] = {}

    def add(tok, pos, weight):
        if not _fits(tok):
            return
        entry = lexemes.setdefault(tok, [])
        if len(entry) < MAX_POSITIONS:
            entry.append(f"{min(pos, MAX_POS)}{weight}")

    last = 0
    for tok, pos, _s, _e in analysis.analyze(title, "word") if title else ():
        add(tok, pos + 1, "A")
        last = max(last, pos + 1)
    offset = last + 1  # a gap: a phrase never runs from the title into the body
    for tok, pos, _s, _e in analysis.analyze(body, "word") if body else ():
        add(tok, offset + pos + 1, "B")
    for tok in analysis.index_sub_terms(title + analysis.SUB_SEP + body):
        if tok not in lexemes and _fits(tok):
            lexemes[tok] = [f"{MAX_POS}D"]
    return " ".join(f"{_quote(tok)}:{','.join(ps)}" for tok, ps in lexemes.items())


def _row(doc: SearchDocument) -> dict:
    sep = analysis.SUB_SEP
    title = thai.normalize(doc.title or "").replace(sep, " ")
    body = thai.normalize(doc.body or "").replace(sep, " ")
    tags = [t.replace(sep, " ") for t in doc.tags or []]
    extra = " ".join(x for x in [(doc.agency or "").replace(sep, " "), " ".join(tags)] if x)
    body_value = body + ("\n" + extra if extra else "")
    return {
        "key": doc.key,
        "type": doc.type,
        "id": int(doc.id),
        "title": title,
        "url": doc.url or "",
        "body": body,
        "categories": [str(c) for c in doc.categories or []],
        "codes": [str(c) for c in doc.codes or []],
        "province": doc.province or None,
        "year": int(doc.year) if doc.year is not None else None,
        "checksum": doc.checksum or "",
        "tsv": tsvector_literal(title, body_value),
    }


_UPSERT = text(f"""
INSERT INTO {TABLE} (key, type, id, title, url, body, categories, codes, province, year, checksum, tsv,
                     indexed_at)
VALUES (:key, :type, :id, :title, :url, :body, CAST(:categories AS varchar[]), CAST(:codes AS varchar[]),
        :province, :year, :checksum, CAST(:tsv AS tsvector), clock_timestamp())
ON CONFLICT (key) DO UPDATE SET type = EXCLUDED.type, id = EXCLUDED.id, title = EXCLUDED.title,
    url = EXCLUDED.url, body = EXCLUDED.body, categories = EXCLUDED.categories, codes = EXCLUDED.codes,
    province = EXCLUDED.province, year = EXCLUDED.year, checksum = EXCLUDED.checksum, tsv = EXCLUDED.tsv,
    indexed_at = EXCLUDED.indexed_at
""")  # nosec B608  # only the constant table name is formatted in; every value is a bound parameter


# ---------------------------------------------------------------------- queries → tsquery


def _lexeme(tok: str, weights: str = "") -> str:
    return _quote(tok) + (":" + weights if weights else "")


def _term(tok: str) -> str:
    return _lexeme(analysis.group_of(tok) or tok)


def _unit(unit: Unit) -> str:
    toks = [t for t in unit.tokens if _fits(t)]
    if not toks:
        return ""
    if len(toks) == 1:
        return _term(toks[0])
    joined = "".join(toks)
    if unit.phrase:
        parts = ["(" + " <-> ".join(_lexeme(t, "AB") for t in toks) + ")"]
        if analysis.in_sub_vocabulary(joined):  # a dictionary word segmented differently
            parts.append(_term(joined))
        elif all(analysis.in_sub_vocabulary(t) for t in toks):  # the words anywhere in Thai text
            parts.append("(" + " & ".join(_term(t) for t in toks) + ")")
        return "(" + " | ".join(parts) + ")"
    conj = "(" + " & ".join(_term(t) for t in toks) + ")"
    if analysis.in_sub_vocabulary(joined):
        return f"({conj} | {_term(joined)})"
    return conj


def _group(units: list[Unit]) -> str:
    parts = [p for p in (_unit(u) for u in units) if p]
    return "(" + " | ".join(parts) + ")" if parts else ""


def to_tsquery(parsed: ParsedQuery) -> tuple[str | None, str | None]:
    """(positive tsquery or None, exclusion tsquery or None) as tsquery literals."""
    pos = [p for p in (_group(g.units) for g in parsed.positive) if p]
    neg = [p for p in (_group(g.units) for g in parsed.negative) if p]
    return (" & ".join(pos) or None), (" | ".join(neg) or None)


# ---------------------------------------------------------------------- the backend

_FILTERS = {  # facet → (SearchResults.applied key, SQL condition over alias d)
    "type": ("types", "d.type = ANY(CAST(:f_type AS varchar[]))"),
    "category": ("categories", "d.categories && CAST(:f_category AS varchar[])"),
    "code": ("codes", "d.codes && CAST(:f_code AS varchar[])"),
    "province": ("provinces", "d.province = ANY(CAST(:f_province AS varchar[]))"),
    "year": ("years", "d.year = ANY(CAST(:f_year AS integer[]))"),
}
_FACET_VALUE = {
    "type": "b.type",
    "category": "v",
    "code": "v",
    "province": "b.province",
    "year": "CAST(b.year AS varchar)",
}
_FACET_FROM = {"category": "base b, unnest(b.categories) v", "code": "base b, unnest(b.codes) v"}


class PostgresBackend(SearchBackend):
    def __init__(self, url: str, engine: sa.Engine | None = None):
        if not url.startswith("postgresql"):
            raise RuntimeError(
                "COP_SEARCH_BACKEND=postgres needs a PostgreSQL database (COP_DATABASE_URL=postgresql+psycopg://…)"
            )
        self.url = url
        self.engine = engine or sa.create_engine(url, pool_pre_ping=True, pool_size=3, max_overflow=5)

    def close(self) -> None:
        self.engine.dispose()

    # writes ---------------------------------------------------------------
    def upsert(self, docs: Iterable[SearchDocument]) -> int:
        batch = {d.key: d for d in docs}  # last one wins within a batch
        if not batch:
            return 0
        rows = [_row(batch[k]) for k in sorted(batch)]  # key order: concurrent writers never deadlock
        with self.engine.begin() as conn:
            for i in range(0, len(rows), BATCH):
                conn.execute(_UPSERT, rows[i : i + BATCH])
        return len(rows)

    def delete(self, keys: Iterable[str]) -> int:
        keys = sorted(set(keys))
        if not keys:
            return 0
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE} WHERE key = ANY(CAST(:keys AS varchar[]))"), {"keys": keys})  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
        return len(keys)

    def rebuild(
        self, docs: Iterable[SearchDocument], total: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace every row in one transaction: searches see the old index until it commits."""
        n = 0
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE}"))  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
            pending: dict[str, dict] = {}
            for d in docs:
                pending[d.key] = _row(d)
                n += 1
                if len(pending) >= BATCH:
                    conn.execute(_UPSERT, [pending[k] for k in sorted(pending)])
                    pending.clear()
                if progress and n % 200 == 0:
                    progress(n)
            if pending:
                conn.execute(_UPSERT, [pending[k] for k in sorted(pending)])
        if n >= ANALYZE_AFTER_ROWS:  # the planner's statistics for the rewritten table (else: seq scans)
            with self.engine.begin() as conn:
                conn.execute(text(f"ANALYZE {TABLE}"))
        if progress:
            progress(n)
        return n

    # reads ----------------------------------------------------------------
    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar_one()  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter

    def checksums(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(text(f"SELECT key, checksum FROM {TABLE}")).all())  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter

    def search(self, query: SearchRequest) -> SearchResults:
        parsed = parse(query.text, strict=query.strict)
        applied = applied_filters(query, parsed)
        page, per_page = page_window(query)
        positive, negative = to_tsquery(parsed)
        params: dict = {"pos": positive, "neg": negative, "w": RANK_WEIGHTS}
        where = _match_condition(positive, negative)
        filters = _filter_conditions(applied, params)
        start = (page - 1) * per_page
        ranked = bool(positive)
        with self.engine.connect() as conn:
            if query.facets:
                total, facets, rows = _facets_and_page(conn, where, filters, params, ranked, start, per_page)
            else:
                total, facets = _count(conn, where, filters, params), {}
                rows = _page_rows(conn, where, filters, params, ranked, start, per_page) if start < total else []
        hits = [_hit(r, parsed) for r in rows]
        return SearchResults(
            total=total, page=page, per_page=per_page, hits=hits, facets=facets, applied=applied, query=parsed.text
        )


def _match_condition(positive: str | None, negative: str | None) -> str:
    """The SQL condition for the words of the query (TRUE when it has none)."""
    match = ["TRUE"]
    if positive:
        match.append("d.tsv @@ CAST(:pos AS tsquery)")
    if negative:
        match.append("NOT (d.tsv @@ CAST(:neg AS tsquery))")
    return " AND ".join(match)


def _filter_conditions(applied: dict[str, list], params: dict) -> dict[str, str]:
    """The SQL condition of each facet filtered on; binds the filter values into ``params``."""
    filters = {}
    for facet, (key, cond) in _FILTERS.items():
        values = applied[key]
        if values:
            filters[facet] = cond
            params[f"f_{facet}"] = [int(v) for v in values] if facet == "year" else [str(v) for v in values]
    return filters


def _all_of(filters: dict[str, str]) -> str:
    return " AND ".join(["TRUE", *filters.values()])


def _facets_and_page(conn, where: str, filters: dict[str, str], params: dict, ranked: bool, start: int, per_page: int):
    """(total, facet → value → count, one page of rows) from one pass over the matching documents.

    Each facet counts under the OTHER facets' filters. Matching reads every matching document's
    tsvector (several kB, stored out of line): the facet counts and the ranked page share that one
    read; the page's bodies (for snippets) are read for its rows only."""
    flags = ", ".join(f"({filters.get(f, 'TRUE')}) AS f_{f}" for f in FACETS)
    every = " AND ".join(["TRUE"] + [f"b.f_{f}" for f in FACETS])
    parts = []
    for facet in FACETS:
        others = " AND ".join(["TRUE"] + [f"b.f_{f}" for f in FACETS if f != facet])
        value = _FACET_VALUE[facet]
        parts.append(
            f"SELECT '{facet}', CAST({value} AS varchar), count(*), NULL, NULL "  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
            f"FROM {_FACET_FROM.get(facet, 'base b')} WHERE {others} AND {value} IS NOT NULL GROUP BY {value}"
        )
    order = "b.score DESC, b.indexed_at DESC, b.key" if ranked else "b.indexed_at DESC, b.key DESC"
    sql = (
        f"WITH base AS MATERIALIZED (SELECT d.key, d.type, d.categories, d.codes, d.province, d.year, "  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
        f"d.indexed_at, {_score(ranked)} AS score, {flags} FROM {TABLE} d WHERE {where}), "
        f"page AS (SELECT b.key, row_number() OVER (ORDER BY {order}) AS ord FROM base b WHERE {every} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset) "
        f"SELECT 'total', CAST(NULL AS varchar), count(*), CAST(NULL AS bigint), CAST(NULL AS varchar) "
        f"FROM base b WHERE {every} UNION ALL "
        + " UNION ALL ".join(parts)
        + " UNION ALL SELECT 'hit', NULL, NULL, p.ord, p.key FROM page p"
    )
    total = 0
    counts: dict[str, dict[str, int]] = {f: {} for f in FACETS}
    page: list[tuple[int, str]] = []
    for facet, value, n, ord_, key in conn.execute(text(sql), {**params, "limit": per_page, "offset": start}):
        if facet == "total":
            total = n
        elif facet == "hit":
            page.append((ord_, key))
        elif n:
            counts[facet][str(value)] = n
    facets = {f: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for f, c in counts.items()}
    return total, facets, _rows_by_key(conn, [key for _ord, key in sorted(page)], params, ranked)


def _rows_by_key(conn, keys: list[str], params: dict, ranked: bool) -> list:
    """The page's rows, in the order of ``keys``."""
    if not keys:
        return []
    found = {
        r.key: r
        for r in conn.execute(
            text(
                f"SELECT {_hit_columns(ranked)} "  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
                f"FROM {TABLE} d WHERE d.key = ANY(:keys)"
            ),
            {**params, "keys": keys},
        )
    }
    return [found[k] for k in keys if k in found]


def _hit_columns(ranked: bool) -> str:
    """What a hit is built from (:func:`_hit`)."""
    return f"d.key, d.type, d.id, d.title, d.url, d.body, d.categories, d.codes, {_score(ranked)} AS score"


def _score(ranked: bool) -> str:
    return "ts_rank_cd(CAST(:w AS real[]), d.tsv, CAST(:pos AS tsquery), 1)" if ranked else "0.0"


def _count(conn, where: str, filters: dict[str, str], params: dict) -> int:
    return conn.execute(
        text(f"SELECT count(*) FROM {TABLE} d WHERE {where} AND {_all_of(filters)}"),  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
        params,
    ).scalar_one()


def _page_rows(conn, where: str, filters: dict[str, str], params: dict, ranked: bool, start: int, per_page: int):
    """One page of rows: by score when the query has words, else newest first."""
    order = "score DESC, d.indexed_at DESC, d.key" if ranked else "d.indexed_at DESC, d.key DESC"
    return conn.execute(
        text(
            f"SELECT {_hit_columns(ranked)} "  # nosec B608  # table/column names and SQL fragments are module constants; every value is a bound parameter
            f"FROM {TABLE} d WHERE {where} AND {_all_of(filters)} ORDER BY {order} "
            f"LIMIT :limit OFFSET :offset"
        ),
        {**params, "limit": per_page, "offset": start},
    ).all()


def _hit(r, parsed: ParsedQuery) -> Hit:
    from .snippets import make_snippet  # shared with the Whoosh backend

    return Hit(
        key=r.key,
        type=r.type,
        id=r.id,
        title=r.title,
        url=r.url,
        snippet=make_snippet(r.body or "", parsed),
        score=float(r.score),
        categories=list(r.categories or []),
        codes=list(r.codes or []),
    )
