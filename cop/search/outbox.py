"""Durable index updates: a row per changed document, written in the content's own transaction.

After commit the rows are applied to the index and deleted. A crash between the two leaves the
rows in place, and the next `apply_pending()` (on start, after the next write, or from the CLI)
catches the index up. Applying is idempotent. Appliers in several processes take turns through
one lock row, so a process that read an older version of a document can never write it over a
newer one that another process read later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"
    # ids are never reused (SQLite would otherwise give a forgotten row's id to a new row, and a
    # worker still holding the old id would delete the new, unapplied change: migration 0008)
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(60), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchApplyLock(db.Model):
    """One row; updating it holds the database's write lock (SQLite) or row lock (PostgreSQL)
    until the applier commits."""

    __tablename__ = "search_apply_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    turns: Mapped[int] = mapped_column(default=0)


def take_apply_turn() -> None:
    """Wait until no other process is applying; call as the first statement of a transaction."""
    taken = db.session.execute(
        update(SearchApplyLock).where(SearchApplyLock.id == 1).values(turns=SearchApplyLock.turns + 1)
    ).rowcount
    if not taken:
        db.session.add(SearchApplyLock(id=1, turns=1))
        db.session.flush()


def record_change(doc_type: str, doc_id: int) -> None:
    """Note that a document changed; call inside the transaction that changes it."""
    db.session.add(SearchOutbox(doc_key=f"{doc_type}:{doc_id}"))


def pending(limit: int) -> list[SearchOutbox]:
    return db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id).limit(limit)).all()


def forget(row_ids: list[int]) -> None:
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids)))


def count_pending() -> int:
    return db.session.query(SearchOutbox).count()
