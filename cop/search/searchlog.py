"""What the community searches for, for coordinators, kept without who asked.

One row per (day, normalized query): how often it was searched that day, how many of those searches found
nothing, and the most recent result count. No user, address, session or time of day is stored. Rows older
than ``SEARCH_LOG_DAYS`` are purged (``flask --app cop search purge-log``, and once a day as searches come
in); ``SEARCH_LOG_DAYS=0`` keeps no log at all.

Like the story view counts (:mod:`cop.stories.view_counts`), a search is noted in this process's memory
and a background thread writes the noted searches every ``SEARCH_LOG_FLUSH_SECONDS`` (default 10) in one
short transaction, and once more when the process exits: a search never waits for SQLite's write lock.
``SEARCH_LOG_FLUSH_SECONDS=0`` (the default under tests) writes each search at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import (
    Date,
    Integer,
    String,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..core.write_behind import WriteBehind
from ..extensions import db
from ..text import thai

MAX_QUERY = 200
_PERSONAL_RE = re.compile(r"@|\d[\d\s-]{7,}\d")  # e-mail addresses, phone and ID numbers: never kept
_last_purge: dict[str, date] = {}


class SearchLogEntry(db.Model):
    __tablename__ = "search_log"
    __table_args__ = (UniqueConstraint("day", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(MAX_QUERY))
    searches: Mapped[int] = mapped_column(Integer, default=0)
    empty: Mapped[int] = mapped_column(Integer, default=0)  # searches that found nothing
    results: Mapped[int] = mapped_column(Integer, default=0)  # the most recent result count


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Bangkok")).date()


def normalize_query(text: str) -> str | None:
    """The form a query is kept in, or None when it is empty or looks like personal data."""
    text = " ".join(thai.normalize(text or "").lower().split())[:MAX_QUERY].strip()
    if not text or _PERSONAL_RE.search(text):
        return None
    return text


def retention_days() -> int:
    return int(current_app.config.get("SEARCH_LOG_DAYS", 180))


def _add(day: date, query: str, searches: int, empty: int, total: int) -> None:
    """Add counts to one (day, query) row in the current session (flushes; the caller commits)."""
    bump = (
        update(SearchLogEntry)
        .where(SearchLogEntry.day == day, SearchLogEntry.query == query)
        .values(searches=SearchLogEntry.searches + searches, empty=SearchLogEntry.empty + empty, results=total)
    )
    if db.session.execute(bump).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(SearchLogEntry(day=day, query=query, searches=searches, empty=empty, results=total))
    except IntegrityError:  # another worker inserted the same row a moment ago
        db.session.execute(bump)


def _purge_daily(day: date) -> None:
    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if _last_purge.get(key) != day:
        _last_purge[key] = day
        purge()


def record(text: str, total: int) -> None:
    """Count one search now (flushes; the caller commits)."""
    query = normalize_query(text)
    if query is None or retention_days() <= 0:
        return
    day = today()
    _add(day, query, 1, 1 if total == 0 else 0, total)
    _purge_daily(day)


def flush_seconds() -> float:
    return float(current_app.config.get("SEARCH_LOG_FLUSH_SECONDS", 0 if current_app.testing else 10))


def log_search(text: str, total: int) -> None:
    """Count one search: noted in memory and written by the flusher (or at once when the flush period is
    0). A failure is logged, never shown to the person searching."""
    seconds = flush_seconds()
    if seconds <= 0:
        try:
            record(text, total)
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.warning("search log: could not record a search", exc_info=True)
        return
    query = normalize_query(text)
    if query is None or retention_days() <= 0:
        return

    def add(rows: dict) -> None:
        row = rows.setdefault((today(), query), [0, 0, 0])
        row[0] += 1
        row[1] += 1 if total == 0 else 0
        row[2] = total

    _searches.note(current_app._get_current_object(), seconds, add)


def _merge_back(rows: dict, batch: dict) -> None:
    for key, (searches, empty, total) in batch.items():
        row = rows.setdefault(key, [0, 0, total])  # a newer note keeps its result count
        row[0] += searches
        row[1] += empty


def _write(app, batch: dict) -> None:
    with app.app_context():
        try:
            for (day, query), (searches, empty, total) in batch.items():
                _add(day, query, searches, empty, total)
            _purge_daily(today())
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


_searches = WriteBehind("search-log", dict, _merge_back, _write, lambda batch: sum(row[0] for row in batch.values()))
_pending = _searches.pending  # app → {(day, query): [searches, empty, latest result count]} not yet written
flush = _searches.flush
pending = _searches.count


def purge(days: int | None = None) -> int:
    """Delete rows older than the retention period; returns how many."""
    days = retention_days() if days is None else days
    cutoff = today() - timedelta(days=max(days, 0))
    return db.session.execute(delete(SearchLogEntry).where(SearchLogEntry.day < cutoff)).rowcount or 0


@dataclass
class QueryFigure:
    query: str
    searches: int
    results: int  # the most found in the period


def _grouped():
    searches = func.sum(SearchLogEntry.searches)
    cutoff = today() - timedelta(days=max(retention_days(), 0))
    stmt = (
        select(SearchLogEntry.query, searches, func.sum(SearchLogEntry.empty), func.max(SearchLogEntry.results))
        .where(SearchLogEntry.day >= cutoff)
        .group_by(SearchLogEntry.query)
    )
    return stmt, searches


def top_queries(limit: int = 20) -> list[QueryFigure]:
    stmt, searches = _grouped()
    rows = db.session.execute(stmt.order_by(searches.desc(), SearchLogEntry.query).limit(limit))
    return [QueryFigure(q, int(n), int(r or 0)) for q, n, _e, r in rows]


def nothing_found(limit: int = 20) -> list[QueryFigure]:
    """Queries that found nothing every time they were searched in the period."""
    stmt, searches = _grouped()
    stmt = stmt.having(func.sum(SearchLogEntry.empty) == searches)
    rows = db.session.execute(stmt.order_by(searches.desc(), SearchLogEntry.query).limit(limit))
    return [QueryFigure(q, int(n), 0) for q, n, _e, _r in rows]
