"""Trainers in search: name, position, agency, province, expertise and bio — never contact details."""

from __future__ import annotations

from sqlalchemy import select

from ..core.search_source import make_document, query_source
from ..search.base import SearchDocument
from ..search.registry import register_source
from ..taxonomy import category_map, code_map
from ..text.markup import plain_text
from .models import Trainer


def document(trainer: Trainer) -> SearchDocument:
    expertise = [category_map()[c].name_th for c in trainer.categories if c in category_map()]
    expertise += [code_map()[c].gloss_th for c in trainer.codes if c in code_map()]
    return make_document(
        "trainer",
        trainer,
        body=[
            trainer.position,
            trainer.agency,
            trainer.province,
            " ".join(expertise),
            " ".join(trainer.codes),
            plain_text(trainer.bio_html),
            trainer.availability,
        ],
        title=trainer.name,
        categories=trainer.categories,
        codes=trainer.codes,
        province=trainer.province,
        agency=trainer.agency or None,
        url=f"/trainers/{trainer.id}",
    )


def _all():
    return select(Trainer)


SOURCE = query_source("trainer", Trainer, _all, document)
load, iter_all, count_all = SOURCE.load, SOURCE.iter_all, SOURCE.count_all


def register() -> None:
    register_source(SOURCE)
