"""Shared model helpers."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp column stores (SQLite keeps no offsets)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class StoredFileColumns:
    """The columns of an attachment row whose file lives in the upload store (``cop/uploads.py``)."""

    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # the name in the upload store
    original_name: Mapped[str] = mapped_column(String(255))  # as the uploader named it
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
