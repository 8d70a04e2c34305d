"""Trainers in search: name, position, agency, province, expertise and bio — never contact details."""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import func, select

from ..extensions import db
from ..search.base import SearchDocument
from ..search.registry import SearchSource, register_source
from ..taxonomy import category_map, code_map
from ..text.markup import plain_text
from .models import Trainer


def document(trainer: Trainer) -> SearchDocument:
    expertise = [category_map()[c].name_th for c in trainer.categories if c in category_map()]
    expertise += [code_map()[c].gloss_th for c in trainer.codes if c in code_map()]
    body = "\n".join(
        x
        for x in (
            trainer.position,
            trainer.agency,
            trainer.province or "",
            " ".join(expertise),
            " ".join(trainer.codes),
            plain_text(trainer.bio_html),
            trainer.availability,
        )
        if x
    )
    return SearchDocument(
        key=SearchDocument.make_key("trainer", trainer.id),
        type="trainer",
        id=trainer.id,
        title=trainer.name,
        body=body,
        categories=trainer.categories,
        codes=trainer.codes,
        province=trainer.province,
        agency=trainer.agency or None,
        url=f"/trainers/{trainer.id}",
    )


def load(ids: list[int]) -> dict[int, SearchDocument]:
    return {t.id: document(t) for t in db.session.scalars(select(Trainer).where(Trainer.id.in_(ids)))}


def iter_all() -> Iterator[SearchDocument]:
    for trainer in db.session.scalars(select(Trainer).order_by(Trainer.id)):
        yield document(trainer)


def count_all() -> int:
    return db.session.scalar(select(func.count(Trainer.id)))


def register() -> None:
    register_source(SearchSource("trainer", load, iter_all, count_all))
