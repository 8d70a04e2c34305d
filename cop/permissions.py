"""Who may see and change what: one module, one argument order — ``can_edit(user, obj)``.

Views and services both ask here; ``user`` may be ``None`` or an anonymous user.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from .aar.models import Aar
from .models import utcnow
from .stories.models import Story
from .threads.models import Reply, Thread
from .trainers.models import Trainer


def signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def has_role(user, *roles: str) -> bool:
    """Admins have every role."""
    return signed_in(user) and user.has_role(*roles)


def is_moderator(user) -> bool:
    return has_role(user, "moderator")


def can_view(user, obj) -> bool:
    if isinstance(obj, Story):
        if obj.is_hidden:
            return is_moderator(user)
        return obj.is_published or is_moderator(user) or (signed_in(user) and user.id == obj.author_id)
    if isinstance(obj, Aar):
        return obj.is_published or can_edit(user, obj)
    raise TypeError(f"no view rule for {type(obj).__name__}")


def can_edit(user, obj) -> bool:
    if not signed_in(user):
        return False
    if isinstance(obj, Story):
        return is_moderator(user) or (user.id == obj.author_id and not obj.is_hidden)
    if isinstance(obj, (Thread, Reply)):
        return is_moderator(user) or _may_still_edit_post(user, obj)
    if isinstance(obj, Aar):
        # Admins edit every AAR; a facilitator edits the AARs they created or facilitated.
        return has_role(user, "facilitator") and (
            user.has_role("admin")
            or obj.created_by_id == user.id
            or any(link.user_id == user.id for link in obj.facilitator_links)
        )
    if isinstance(obj, Trainer):
        return user.has_role("coordinator") or user.id == obj.user_id
    raise TypeError(f"no edit rule for {type(obj).__name__}")


def _may_still_edit_post(user, post: Thread | Reply) -> bool:
    """Authors edit their own visible posts for a while (THREADS_EDIT_MINUTES) after posting."""
    if post.author_id != user.id or post.hidden or (isinstance(post, Reply) and post.thread.hidden):
        return False
    try:
        minutes = int(current_app.config.get("THREADS_EDIT_MINUTES", 60))
    except (TypeError, ValueError):
        minutes = 60
    return utcnow() - post.created_at <= timedelta(minutes=minutes)


def can_post(user) -> bool:
    """Any active member may write stories and questions."""
    return signed_in(user) and bool(user.is_active)


def can_create_aar(user) -> bool:
    return has_role(user, "facilitator")


def can_mark_key(user, thread: Thread) -> bool:
    """The person who asked, or a moderator, chooses a thread's key lesson."""
    return signed_in(user) and (user.id == thread.author_id or is_moderator(user))


def can_record_consent(user, trainer: Trainer) -> bool:
    """Only the trainer (through their linked account) or an admin records consent to show contacts."""
    return signed_in(user) and (user.has_role("admin") or user.id == trainer.user_id)
