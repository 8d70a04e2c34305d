"""Threads in search: one document per visible thread; its body holds every visible reply's text,
so a word in any reply finds the thread (one result per thread)."""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..i18n import be_year
from ..search.base import SearchDocument
from ..search.registry import SearchSource, register_source
from ..text.markup import plain_text
from .models import Thread

BATCH = 200


def _plain(html: str) -> str:
    return plain_text(html)


def to_document(thread: Thread) -> SearchDocument:
    parts = [_plain(thread.body_html)] + [_plain(r.body_html) for r in thread.replies if not r.hidden]
    return SearchDocument(
        key=SearchDocument.make_key("thread", thread.id),
        type="thread",
        id=thread.id,
        title=thread.title,
        body="\n\n".join(p for p in parts if p),
        categories=thread.categories,
        codes=thread.codes,
        year=be_year(thread.created_at),
        url=thread.url,
    )


def _query():
    return (
        select(Thread).where(Thread.hidden.is_(False)).options(selectinload(Thread.tags), selectinload(Thread.replies))
    )


def load(ids: list[int]) -> dict[int, SearchDocument]:
    rows = db.session.scalars(_query().where(Thread.id.in_(ids))).all()
    return {t.id: to_document(t) for t in rows}


def iter_all() -> Iterator[SearchDocument]:
    last = 0
    while True:
        rows = db.session.scalars(_query().where(Thread.id > last).order_by(Thread.id).limit(BATCH)).all()
        if not rows:
            return
        for thread in rows:
            yield to_document(thread)
        last = rows[-1].id


def count_all() -> int:
    return db.session.scalar(select(func.count(Thread.id)).where(Thread.hidden.is_(False))) or 0


def register() -> None:
    register_source(SearchSource("thread", load, iter_all, count_all))
