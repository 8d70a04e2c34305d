"""One way for a feature to feed search: its visible rows as a query, and how one row becomes a document."""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from sqlalchemy import Select, func, select

from ..extensions import db
from ..search.base import SearchDocument
from ..search.registry import SearchSource


def make_document(doc_type: str, row, *, body: Iterable[str | None], sep: str = "\n", **fields) -> SearchDocument:
    """A document of `doc_type` for `row`: key, type and id from the row; the non-empty body parts joined."""
    key = SearchDocument.make_key(doc_type, row.id)
    return SearchDocument(key=key, type=doc_type, id=row.id, body=sep.join(p for p in body if p), **fields)


def query_source(
    doc_type: str,
    model,
    visible: Callable[[], Select],
    to_document: Callable[[object], SearchDocument],
    batch: int = 200,
) -> SearchSource:
    """A search source over `visible()` (rows anyone may see), read in id order by batches."""

    def load(ids: list[int]) -> dict[int, SearchDocument]:
        found: dict[int, SearchDocument] = {}
        for start in range(0, len(ids), batch):  # bounded IN lists
            for row in db.session.scalars(visible().where(model.id.in_(ids[start : start + batch]))):
                found[row.id] = to_document(row)
        return found

    def iter_all() -> Iterator[SearchDocument]:
        last = 0
        while rows := db.session.scalars(visible().where(model.id > last).order_by(model.id).limit(batch)).all():
            yield from (to_document(row) for row in rows)
            last = rows[-1].id

    def count_all() -> int:
        return db.session.scalar(select(func.count()).select_from(visible().subquery())) or 0

    return SearchSource(doc_type, load, iter_all, count_all)
