"""The stories section on PMQA category, code and home pages."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..i18n import format_thai_date
from ..pmqa.registry import Section
from . import services


def provider(category: str | None = None, code: str | None = None, limit: int = 5) -> Section:
    stories = services.latest(category=category, code=code, limit=limit)
    items = [
        {
            "url": url_for("stories.show", story_id=s.id),
            "title": s.title,
            "meta": " · ".join(p for p in (s.agency, format_thai_date(s.published_at)) if p),
        }
        for s in stories
    ]
    args = {k: v for k, v in (("category", category), ("code", code)) if v}
    feed = None
    if code:
        feed = url_for("stories.feed_code", code=code)
    elif category:
        feed = url_for("stories.feed_category", key=category)
    section = Section(
        title=_("Case stories") if (category or code) else _("Latest case stories"),
        items=items,
        template="stories/_section.html",
        more_url=url_for("stories.index", **args),
    )
    section.feed_url = feed
    return section
