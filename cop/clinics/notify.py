"""The one place this feature hands messages to cop.notifications (built by the threads feature)."""
from __future__ import annotations

from ..notifications.services import notify


def send(user_id: int, kind: str, text: str, url: str) -> None:
    """Queue an in-app notification in the caller's transaction."""
    notify(user_id, kind, str(text)[:500], url)
