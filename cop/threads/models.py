"""Lessons-learned threads: a question, replies in order, a key lesson, edit history, moderation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..models import utcnow

CATEGORY, CODE = "category", "code"


class Thread(db.Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # Markdown source
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitized by cop.text.markup
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # optional link to a story, clinic or AAR: its page path ("/stories/12")
    related_type: Mapped[str | None] = mapped_column(String(20))
    related_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    locked: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    tags: Mapped[list["ThreadTag"]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", order_by="ThreadTag.position"
    )
    replies: Mapped[list["Reply"]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", order_by="[Reply.created_at, Reply.id]"
    )

    @property
    def categories(self) -> list[str]:
        return [t.value for t in self.tags if t.kind == CATEGORY]

    @property
    def codes(self) -> list[str]:
        return [t.value for t in self.tags if t.kind == CODE]

    @property
    def url(self) -> str:
        return f"/threads/{self.id}"

    @property
    def related_url(self) -> str | None:
        if not self.related_type:
            return None
        section = {"story": "stories", "clinic": "clinics", "aar": "aar"}.get(self.related_type, self.related_type)
        return f"/{section}/{self.related_id}"


class ThreadTag(db.Model):
    """A thread's PMQA categories and activity codes (one row each, so lists can filter by them)."""

    __tablename__ = "thread_tags"

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "category" | "code"
    value: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    thread: Mapped[Thread] = relationship(back_populates="tags")


class Reply(db.Model):
    __tablename__ = "thread_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    hidden: Mapped[bool] = mapped_column(default=False)
    is_key: Mapped[bool] = mapped_column(default=False)  # the thread's key lesson

    thread: Mapped[Thread] = relationship(back_populates="replies")
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    @property
    def url(self) -> str:
        return f"/threads/{self.thread_id}#reply-{self.id}"


class PostRevision(db.Model):
    """The text of a thread or reply before an edit (edits keep history)."""

    __tablename__ = "thread_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_type: Mapped[str] = mapped_column(String(10))  # "thread" | "reply"
    post_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User] = relationship()


class Report(db.Model):
    """A member's report of a thread or reply, waiting in the moderator queue until resolved."""

    __tablename__ = "thread_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_type: Mapped[str] = mapped_column(String(10))
    post_id: Mapped[int]
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str] = mapped_column(String(500), default="")

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    thread: Mapped[Thread] = relationship()


class ModerationLog(db.Model):
    """Who did what to which post, and when: every moderation action leaves a row."""

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))  # hide, unhide, lock, unlock, move, resolve, edit
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    thread_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User] = relationship()
