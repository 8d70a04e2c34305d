"""The stories section of the interchange format."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import to_bangkok
from ..interchange.sections import Section, register_section
from ..text import dates
from ..validation import ValidationError
from . import services
from .models import Story

KEYS = (
    "title",
    "summary",
    "body",
    "agency",
    "province",
    "year",
    "categories",
    "codes",
    "tags",
    "author",
    "published_at",
)


def _author(item: dict):
    email = item.get("author")
    user = services.author_by_email(str(email)) if isinstance(email, str) and email.strip() else None
    if user is None:
        raise ValidationError(
            _("No user with the e-mail %(email)s; list the author under users first.", email=email), "author"
        )
    return user


def parse_time(value, field: str = "published_at") -> datetime | None:
    """ISO 8601 (or a Thai-typed date and time) → naive UTC; no offset means Bangkok; null/absent → None."""
    return dates.parse_past_datetime(value, field)


def _exists(item: dict) -> bool:
    user = services.author_by_email(str(item.get("author") or ""))
    if user is None:
        return False
    return (
        db.session.scalar(
            select(Story.id).where(Story.title == str(item.get("title", "")).strip(), Story.author_id == user.id)
        )
        is not None
    )


def _import(item: dict) -> Story:
    author = _author(item)
    published_at = parse_time(item.get("published_at"))
    data = {k: item.get(k) for k in ("title", "summary", "body", "agency", "province", "year")}
    for key in ("categories", "codes", "tags"):
        data[key] = item.get(key) if item.get(key) is not None else []
    story = services.create_story(author, data, published_at=published_at)
    if published_at is not None:
        story.created_at = story.updated_at = min(story.created_at, published_at)
    return story


def _export() -> list[dict]:
    stories = db.session.scalars(select(Story).order_by(Story.id)).all()
    return [
        {
            "title": s.title,
            "summary": s.summary,
            "body": s.body,
            "agency": s.agency,
            "province": s.province,
            "year": s.year,
            "categories": list(s.categories or []),
            "codes": list(s.codes or []),
            "tags": list(s.tags or []),
            "author": s.author.email,
            "published_at": to_bangkok(s.published_at).isoformat() if s.published_at else None,
        }
        for s in stories
    ]


def register() -> None:
    register_section(Section("stories", KEYS, ("title", "body", "author"), _exists, _import, _export, order=20))
