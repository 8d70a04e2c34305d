"""After Action Reviews: the workshop record, its tags, facilitators, action items and outputs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..models import StoredFileColumns, utcnow

STATUSES = ("draft", "published")
ANSWERS = ("expected", "actual", "why", "next_time")
ACTION_STATES = ("open", "done", "dropped")
LINK_TYPES = ("clinic", "story", "thread")


class Aar(db.Model):
    __tablename__ = "aars"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date] = mapped_column(index=True)
    held_until: Mapped[date | None]
    venue: Mapped[str] = mapped_column(String(300), default="")
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    participants: Mapped[int | None]
    # The four AAR questions and free notes, as Markdown source plus the sanitized HTML.
    expected: Mapped[str] = mapped_column(Text, default="")
    expected_html: Mapped[str] = mapped_column(Text, default="")
    actual: Mapped[str] = mapped_column(Text, default="")
    actual_html: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    why_html: Mapped[str] = mapped_column(Text, default="")
    next_time: Mapped[str] = mapped_column(Text, default="")
    next_time_html: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # A loose link to a clinic, story or thread (type + id), checked when those tables exist.
    link_type: Mapped[str | None] = mapped_column(String(20))
    link_id: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
    facilitator_links: Mapped[list["AarFacilitator"]] = relationship(
        cascade="all, delete-orphan", order_by="AarFacilitator.position", back_populates="aar"
    )
    tags: Mapped[list["AarTag"]] = relationship(cascade="all, delete-orphan", order_by="AarTag.id")
    agency_rows: Mapped[list["AarAgency"]] = relationship(cascade="all, delete-orphan", order_by="AarAgency.id")
    actions: Mapped[list["ActionItem"]] = relationship(
        cascade="all, delete-orphan", back_populates="aar", order_by="ActionItem.id"
    )
    attachments: Mapped[list["AarAttachment"]] = relationship(
        cascade="all, delete-orphan", back_populates="aar", order_by="AarAttachment.id"
    )

    @property
    def facilitators(self) -> list[User]:
        return [link.user for link in self.facilitator_links]

    @property
    def codes(self) -> list[str]:
        return [t.value for t in self.tags if t.kind == "code"]

    @property
    def categories(self) -> list[str]:
        return [t.value for t in self.tags if t.kind == "category"]

    @property
    def agencies(self) -> list[str]:
        return [a.name for a in self.agency_rows]

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def missing_answers(self) -> list[str]:
        return [name for name in ANSWERS if not (getattr(self, name) or "").strip()]


class AarFacilitator(db.Model):
    __tablename__ = "aar_facilitators"
    __table_args__ = (UniqueConstraint("aar_id", "user_id", name="uq_aar_facilitators_aar_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    aar_id: Mapped[int] = mapped_column(ForeignKey("aars.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    aar: Mapped[Aar] = relationship(back_populates="facilitator_links")
    user: Mapped[User] = relationship()


class AarTag(db.Model):
    """A code ("SP5") or a category ("2") the AAR is filed under; categories include those of its codes."""

    __tablename__ = "aar_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    aar_id: Mapped[int] = mapped_column(ForeignKey("aars.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "code" | "category"
    value: Mapped[str] = mapped_column(String(10), index=True)


class AarAgency(db.Model):
    __tablename__ = "aar_agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    aar_id: Mapped[int] = mapped_column(ForeignKey("aars.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)


class ActionItem(db.Model):
    __tablename__ = "aar_action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    aar_id: Mapped[int] = mapped_column(ForeignKey("aars.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")  # why it was dropped
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    aar: Mapped[Aar] = relationship(back_populates="actions")

    def is_overdue(self, today: date) -> bool:
        return self.state == "open" and self.due_on is not None and self.due_on < today


class AarAttachment(StoredFileColumns, db.Model):
    """An output of the workshop (flip-chart photo, slides); the file is kept in the shared upload store."""

    __tablename__ = "aar_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    aar_id: Mapped[int] = mapped_column(ForeignKey("aars.id", ondelete="CASCADE"), index=True)

    aar: Mapped[Aar] = relationship(back_populates="attachments")
