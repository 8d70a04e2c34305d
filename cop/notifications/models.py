"""In-app notifications and follows (of a thread, a category, a code — any target a feature names)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(500))  # in the default language (e-mail digests, older rows)
    # msgid and parameters, so the list speaks its reader's language: {"msgid": "...", "params": {...}}
    message: Mapped[dict | None] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_key", name="uq_follows_target"),
        Index("ix_follows_target", "target_type", "target_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(30))  # "thread", "category", "code", …
    target_key: Mapped[str] = mapped_column(String(60))  # "12", "3", "CS1"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
