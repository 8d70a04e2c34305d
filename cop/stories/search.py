"""Stories as search documents: only published, non-hidden stories are ever indexed."""

from __future__ import annotations

from flask import url_for

from ..core.search_source import make_document, query_source
from ..search.base import SearchDocument
from ..search.registry import register_source
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
    return make_document(
        "story",
        story,
        body=[story.summary, plain_text(story.body_html or "")],
        title=story.title,
        categories=list(story.categories or []),
        codes=list(story.codes or []),
        province=story.province,
        year=story.year,
        agency=story.agency or None,
        tags=list(story.tags or []),
        url=f"/stories/{story.id}",
    )


SOURCE = query_source("story", Story, public_query, to_document, BATCH)
load, iter_all, count_all = SOURCE.load, SOURCE.iter_all, SOURCE.count_all


def register() -> None:
    register_source(SOURCE)
