"""AARs in search (type "aar"): published ones only, found by any of the four answers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.search_source import make_document, query_source
from ..i18n import be_year
from ..search.base import SearchDocument
from ..search.registry import register_source
from ..text.markup import plain_text
from .models import ANSWERS, Aar

BATCH = 200


def _query():
    return select(Aar).where(Aar.status == "published").options(selectinload(Aar.tags), selectinload(Aar.agency_rows))


def to_document(aar: Aar) -> SearchDocument:
    answers = [plain_text(getattr(aar, f"{name}_html")) for name in (*ANSWERS, "body")]
    return make_document(
        "aar",
        aar,
        body=[*answers, aar.venue, *aar.agencies],
        title=aar.title,
        categories=aar.categories,
        codes=aar.codes,
        province=aar.province,
        year=be_year(aar.held_on),
        agency=(aar.agencies or [None])[0],
        url=f"/aar/{aar.id}",
    )


SOURCE = query_source("aar", Aar, _query, to_document, BATCH)
load, iter_all, count_all = SOURCE.load, SOURCE.iter_all, SOURCE.count_all


def register() -> None:
    register_source(SOURCE)
