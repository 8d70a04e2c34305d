"""The threads section of the interchange format (order 30, after users and stories)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.services import find_user
from ..extensions import db
from ..i18n import to_bangkok
from ..interchange.sections import Section, register_section, reject_unknown_keys
from ..text import dates
from ..validation import ValidationError
from . import services
from .models import Thread

KEYS = ("title", "body", "categories", "codes", "author", "created_at", "replies")
REPLY_KEYS = ("body", "author", "created_at", "key_lesson")  # key_lesson: optional, true on at most one


def parse_time(raw, field: str = "created_at") -> datetime | None:
    """ISO 8601 (or a Thai-typed date and time) → naive UTC; a time without an offset is Asia/Bangkok."""
    return dates.parse_past_datetime(raw, field)


def format_time(value: datetime) -> str:
    return to_bangkok(value).isoformat(timespec="seconds")


def _author(email, field: str = "author"):
    user = find_user(str(email or ""))
    if user is None:
        raise ValidationError(_("No user with the e-mail %(email)s; list them under users.", email=email), field)
    return user


def _exists(item: dict) -> bool:
    title = " ".join(str(item.get("title") or "").split())
    try:
        created = parse_time(item.get("created_at"))
    except ValidationError:
        return False
    query = select(Thread.id).where(Thread.title == title)
    if created is not None:
        query = query.where(Thread.created_at == created)
    return db.session.scalar(query.limit(1)) is not None


def _import(item: dict) -> Thread:
    replies = item.get("replies") or []
    if not isinstance(replies, list):
        raise ValidationError(_("replies must be a list."), "replies")
    for index, reply in enumerate(replies):
        if not isinstance(reply, dict):
            raise ValidationError(_("Each reply must be an object."), f"replies[{index}]")
        reject_unknown_keys(reply, REPLY_KEYS, f"replies[{index}]")
        if not isinstance(reply.get("key_lesson", False), bool):
            raise ValidationError(_("key_lesson must be true or false."), f"replies[{index}].key_lesson")
    if sum(1 for reply in replies if reply.get("key_lesson") is True) > 1:
        raise ValidationError(_("A question has at most one key lesson."), "replies")
    created = parse_time(item.get("created_at"))
    thread = services.create_thread(
        _author(item.get("author")),
        title=str(item.get("title") or ""),
        body=str(item.get("body") or ""),
        categories=item.get("categories") or [],
        codes=item.get("codes") or [],
        created_at=created,
        check_limits=False,
        notify=False,
    )
    for index, reply in enumerate(replies):
        when = parse_time(reply.get("created_at"), f"replies[{index}].created_at")
        if when is not None and when < thread.created_at:
            raise ValidationError(_("A reply cannot be older than its question."), f"replies[{index}].created_at")
        added = services.add_reply(
            thread,
            _author(reply.get("author"), f"replies[{index}].author"),
            str(reply.get("body") or ""),
            created_at=when,
            check_limits=False,
            notify=False,
        )
        if reply.get("key_lesson") is True:
            services.set_key_lesson(added, thread.author, True, notify=False)
    return thread


def _export() -> list[dict]:
    threads = db.session.scalars(
        select(Thread)
        .where(Thread.hidden.is_(False))
        .options(selectinload(Thread.tags), selectinload(Thread.replies), selectinload(Thread.author))
        .order_by(Thread.created_at, Thread.id)
    ).all()
    return [
        {
            "title": t.title,
            "body": t.body,
            "categories": t.categories,
            "codes": t.codes,
            "author": t.author.email,
            "created_at": format_time(t.created_at),
            "replies": [_export_reply(r) for r in t.replies if not r.hidden],
        }
        for t in threads
    ]


def _export_reply(reply) -> dict:
    item = {"body": reply.body, "author": reply.author.email, "created_at": format_time(reply.created_at)}
    if reply.is_key:
        item["key_lesson"] = True
    return item


def register() -> None:
    register_section(Section("threads", KEYS, ("title", "body", "author"), _exists, _import, _export, order=30))
