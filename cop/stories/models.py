"""Case stories, their revisions, attachments and helpful marks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..models import StoredFileColumns, utcnow


class Story(db.Model):
    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown source
    body_html: Mapped[str] = mapped_column(Text, default="")  # rendered once on save, sanitized
    agency: Mapped[str] = mapped_column(String(200), default="")
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    year: Mapped[int | None] = mapped_column(index=True)  # Buddhist-Era fiscal year
    # Lists kept in the writer's order for display and export; StoryTerm rows serve the filters.
    categories: Mapped[list] = mapped_column(JSON, default=list)
    codes: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    template: Mapped[str | None] = mapped_column(String(30))  # the story_template the writer started from
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(index=True)  # None: a draft
    hidden_at: Mapped[datetime | None]  # set by a moderator: only moderators see it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    views: Mapped[int] = mapped_column(default=0)
    helpful_count: Mapped[int] = mapped_column(default=0, index=True)

    author: Mapped[User] = relationship()
    terms: Mapped[list["StoryTerm"]] = relationship(cascade="all, delete-orphan", back_populates="story")
    revisions: Mapped[list["StoryRevision"]] = relationship(
        cascade="all, delete-orphan", back_populates="story", order_by="StoryRevision.number"
    )
    attachments: Mapped[list["StoryAttachment"]] = relationship(
        cascade="all, delete-orphan", back_populates="story", order_by="StoryAttachment.id"
    )
    helpful_marks: Mapped[list["StoryHelpful"]] = relationship(cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.hidden_at is None


class StoryTerm(db.Model):
    """One (kind, value) per category, code and tag of a story, for filtering with an index."""

    __tablename__ = "story_terms"
    __table_args__ = (Index("ix_story_terms_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "category", "code", "tag"
    value: Mapped[str] = mapped_column(String(100))  # tags lower-cased here for matching

    story: Mapped[Story] = relationship(back_populates="terms")


class StoryRevision(db.Model):
    __tablename__ = "story_revisions"
    __table_args__ = (UniqueConstraint("story_id", "number", name="uq_story_revisions_story_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict] = mapped_column(JSON, default=dict)  # agency, province, year, categories, codes, tags
    note: Mapped[str] = mapped_column(String(200), default="")
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    story: Mapped[Story] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()


class StoryAttachment(StoredFileColumns, db.Model):
    __tablename__ = "story_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)

    story: Mapped[Story] = relationship(back_populates="attachments")


class StoryHelpful(db.Model):
    __tablename__ = "story_helpful"
    __table_args__ = (UniqueConstraint("story_id", "user_id", name="uq_story_helpful_story_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
