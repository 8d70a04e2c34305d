"""Clinics in search: title, description, venue, province, codes and trainer names (cancelled ones left out)."""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select

from ..extensions import db
from ..i18n import be_year, to_bangkok
from ..search.base import SearchDocument
from ..search.registry import SearchSource, register_source
from ..taxonomy import implied_categories
from ..text.markup import plain_text
from .models import Clinic


def document(clinic: Clinic) -> SearchDocument:
    categories = sorted(implied_categories(clinic.codes))
    trainers = [t.name for t in clinic.trainers]
    agencies = sorted({t.agency for t in clinic.trainers if t.agency})
    body = "\n".join(
        x
        for x in (
            plain_text(clinic.description_html),
            clinic.venue,
            clinic.province or "",
            " ".join(trainers),
            " ".join(agencies),
            " ".join(clinic.codes),
        )
        if x
    )
    return SearchDocument(
        key=SearchDocument.make_key("clinic", clinic.id),
        type="clinic",
        id=clinic.id,
        title=clinic.title,
        body=body,
        categories=categories,
        codes=clinic.codes,
        province=clinic.province,
        year=be_year(to_bangkok(clinic.starts_at)),
        agency=agencies[0] if agencies else None,
        url=f"/clinics/{clinic.id}",
    )


def _visible():
    return select(Clinic).where(Clinic.status != "cancelled")


def load(ids: list[int]) -> dict[int, SearchDocument]:
    return {c.id: document(c) for c in db.session.scalars(_visible().where(Clinic.id.in_(ids)))}


def iter_all() -> Iterator[SearchDocument]:
    for clinic in db.session.scalars(_visible().order_by(Clinic.id)):
        yield document(clinic)


def count_all() -> int:
    return db.session.scalar(select(func.count(Clinic.id)).where(Clinic.status != "cancelled"))


def register() -> None:
    register_source(SearchSource("clinic", load, iter_all, count_all))
