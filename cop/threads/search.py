"""Threads in search: one document per visible thread; its body holds every visible reply's text,
so a word in any reply finds the thread (one result per thread)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.search_source import make_document, query_source
from ..i18n import be_year
from ..search.base import SearchDocument
from ..search.registry import register_source
from ..text.markup import plain_text
from .models import Thread

BATCH = 200


def to_document(thread: Thread) -> SearchDocument:
    replies = [plain_text(r.body_html) for r in thread.replies if not r.hidden]
    return make_document(
        "thread",
        thread,
        body=[plain_text(thread.body_html), *replies],
        sep="\n\n",
        title=thread.title,
        categories=thread.categories,
        codes=thread.codes,
        year=be_year(thread.created_at),
        url=thread.url,
    )


def _query():
    return (
        select(Thread).where(Thread.hidden.is_(False)).options(selectinload(Thread.tags), selectinload(Thread.replies))
    )


SOURCE = query_source("thread", Thread, _query, to_document, BATCH)
load, iter_all, count_all = SOURCE.load, SOURCE.iter_all, SOURCE.count_all


def register() -> None:
    register_source(SOURCE)
