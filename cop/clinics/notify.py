"""The one place this feature hands messages to cop.notifications (built by the threads feature)."""

from __future__ import annotations

from ..notifications.services import N_, message, notify  # noqa: F401  N_, message re-exported for this feature's callers


def send(user_id: int, kind: str, text, url: str) -> None:
    """Queue an in-app notification in the caller's transaction (plain text or a message)."""
    notify(user_id, kind, text if isinstance(text, dict) else str(text)[:500], url)
