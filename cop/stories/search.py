"""Stories as search documents: only published, non-hidden stories are ever indexed."""

from __future__ import annotations

from typing import Iterator

from flask import url_for
from sqlalchemy import func, select

from ..extensions import db
from ..search.base import SearchDocument
from ..search.registry import SearchSource, register_source
from ..text.markup import plain_text
from .models import Story
from .services import public_query

BATCH = 500


def story_path(story_id: int) -> str:
    try:
        return url_for("stories.show", story_id=story_id)
    except RuntimeError:  # outside a request/app context with a server name
        return f"/stories/{story_id}"


def to_document(story: Story) -> SearchDocument:
    body = "\n".join(part for part in (story.summary, plain_text(story.body_html or "")) if part)
    return SearchDocument(
        key=SearchDocument.make_key("story", story.id),
        type="story",
        id=story.id,
        title=story.title,
        body=body,
        categories=list(story.categories or []),
        codes=list(story.codes or []),
        province=story.province,
        year=story.year,
        agency=story.agency or None,
        tags=list(story.tags or []),
        url=f"/stories/{story.id}",
    )


def load(ids: list[int]) -> dict[int, SearchDocument]:
    found: dict[int, SearchDocument] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for story in db.session.scalars(public_query().where(Story.id.in_(chunk))):
            found[story.id] = to_document(story)
    return found


def iter_all() -> Iterator[SearchDocument]:
    last = 0
    while True:
        batch = db.session.scalars(public_query().where(Story.id > last).order_by(Story.id).limit(BATCH)).all()
        if not batch:
            return
        for story in batch:
            yield to_document(story)
        last = batch[-1].id


def count_all() -> int:
    return db.session.scalar(select(func.count()).select_from(public_query().subquery()))


def register() -> None:
    register_source(SearchSource("story", load, iter_all, count_all))
