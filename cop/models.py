"""Shared model helpers."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp column stores (SQLite keeps no offsets)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
