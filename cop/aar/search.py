"""AARs in search (type "aar"): published ones only, found by any of the four answers."""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..i18n import be_year
from ..search.base import SearchDocument
from ..search.registry import SearchSource, register_source
from ..text.markup import plain_text
from .models import ANSWERS, Aar

BATCH = 200


def _query():
    return select(Aar).where(Aar.status == "published").options(selectinload(Aar.tags), selectinload(Aar.agency_rows))


def to_document(aar: Aar) -> SearchDocument:
    parts = [plain_text(getattr(aar, f"{name}_html")) for name in (*ANSWERS, "body")]
    parts += [aar.venue, *aar.agencies]
    return SearchDocument(
        key=SearchDocument.make_key("aar", aar.id),
        type="aar",
        id=aar.id,
        title=aar.title,
        body="\n".join(p for p in parts if p),
        categories=aar.categories,
        codes=aar.codes,
        province=aar.province,
        year=be_year(aar.held_on),
        agency=(aar.agencies or [None])[0],
        url=f"/aar/{aar.id}",
    )


def load(ids: list[int]) -> dict[int, SearchDocument]:
    rows = db.session.scalars(_query().where(Aar.id.in_(ids))).all()
    return {aar.id: to_document(aar) for aar in rows}


def iter_all() -> Iterator[SearchDocument]:
    last = 0
    while True:
        rows = db.session.scalars(_query().where(Aar.id > last).order_by(Aar.id).limit(BATCH)).all()
        if not rows:
            return
        for aar in rows:
            yield to_document(aar)
        last = rows[-1].id


def count_all() -> int:
    return db.session.scalar(select(func.count(Aar.id)).where(Aar.status == "published"))


def register() -> None:
    register_source(SearchSource("aar", load, iter_all, count_all))
