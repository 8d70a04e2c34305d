"""Clinics in search: title, description, venue, province, codes and trainer names (cancelled ones left out)."""

from __future__ import annotations

from sqlalchemy import select

from ..core.search_source import make_document, query_source
from ..i18n import be_year, to_bangkok
from ..search.base import SearchDocument
from ..search.registry import register_source
from ..taxonomy import implied_categories
from ..text.markup import plain_text
from .models import Clinic


def document(clinic: Clinic) -> SearchDocument:
    trainers = [t.name for t in clinic.trainers]
    agencies = sorted({t.agency for t in clinic.trainers if t.agency})
    return make_document(
        "clinic",
        clinic,
        body=[
            plain_text(clinic.description_html),
            clinic.venue,
            clinic.province,
            " ".join(trainers),
            " ".join(agencies),
            " ".join(clinic.codes),
        ],
        title=clinic.title,
        categories=sorted(implied_categories(clinic.codes)),
        codes=clinic.codes,
        province=clinic.province,
        year=be_year(to_bangkok(clinic.starts_at)),
        agency=agencies[0] if agencies else None,
        url=f"/clinics/{clinic.id}",
    )


def _visible():
    return select(Clinic).where(Clinic.status != "cancelled")


SOURCE = query_source("clinic", Clinic, _visible, document)
load, iter_all, count_all = SOURCE.load, SOURCE.iter_all, SOURCE.count_all


def register() -> None:
    register_source(SOURCE)
