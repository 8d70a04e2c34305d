"""Notify users and keep their follows. Small and generic: any feature may call these.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import utcnow
from ..validation import ValidationError
from .models import Follow, Notification

# target type -> function turning what a person sent into the canonical key (or None: unknown)
_target_types: dict[str, Callable[[str], str | None]] = {}


def register_target_type(name: str, normalize: Callable[[str], str | None]) -> None:
    _target_types[name] = normalize


def N_(msgid: str) -> str:  # marks a msgid for pybabel; translated when shown
    return msgid


def message(msgid: str, **params) -> dict:
    """A notification text kept as msgid and parameters; a datetime parameter is shown in the reader's style."""
    return {
        "msgid": msgid,
        "params": {k: ({"datetime": v.isoformat()} if isinstance(v, datetime) else v) for k, v in params.items()},
    }


def render(msg: dict, locale: str | None = None) -> str:
    from flask_babel import force_locale, gettext

    from ..i18n import format_thai_date

    def text():
        params = {
            k: format_thai_date(datetime.fromisoformat(v["datetime"]), "datetime")
            if isinstance(v, dict) and "datetime" in v
            else v
            for k, v in msg.get("params", {}).items()
        }
        msgid = msg["msgid"]  # a variable: pybabel must not read "msgid" as a message of its own
        return gettext(msgid, **params)

    if locale is None:
        return text()
    with force_locale(locale):
        return text()


def note_text(note: Notification) -> str:
    """What a notification says, in the reader's language when it was stored as a message."""
    if note.message and note.message.get("msgid"):
        try:
            return render(note.message)
        except (KeyError, TypeError, ValueError):
            pass
    return note.text


def notify(user_id: int, kind: str, text: str | dict, url: str) -> Notification:
    """Leave an in-app notification for one user; ``url`` is a path on this site. TEXT is plain text or a
    :func:`message`, which the list shows in its reader's language."""
    msg = text if isinstance(text, dict) else None
    if msg is not None:
        from flask import current_app

        text = render(msg, current_app.config.get("BABEL_DEFAULT_LOCALE", "th"))
    note = Notification(user_id=user_id, kind=kind[:40], text=text[:500], message=msg, url=url[:500])
    db.session.add(note)
    return note


def notify_many(user_ids: Iterable[int], kind: str, text: str | dict, url: str) -> int:
    count = 0
    for user_id in dict.fromkeys(user_ids):  # once per person, in order
        notify(user_id, kind, text, url)
        count += 1
    return count


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def list_for(user_id: int, limit: int = 50, offset: int = 0) -> list[Notification]:
    return db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()


def count_for(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user_id)) or 0


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one notification (or, with no id, all of them) read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=utcnow())).rowcount


def mark_read_for_url(user_id: int, url: str) -> int:
    """Opening a page reads the notifications that point at it."""
    return db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            (Notification.url == url) | Notification.url.startswith(url + "#"),
        )
        .values(read_at=utcnow())
    ).rowcount


# --- follows ----------------------------------------------------------------------------------


def _canonical(target_type: str, key: str) -> str:
    normalize = _target_types.get(target_type)
    canonical = normalize(str(key)) if normalize else None
    if canonical is None:
        raise ValidationError(_("There is nothing to follow there."), "target")
    return canonical


def follow(user_id: int, target_type: str, key: str) -> Follow:
    key = _canonical(target_type, key)
    existing = db.session.scalar(
        select(Follow).where(Follow.user_id == user_id, Follow.target_type == target_type, Follow.target_key == key)
    )
    if existing:
        return existing
    row = Follow(user_id=user_id, target_type=target_type, target_key=key)
    db.session.add(row)
    db.session.flush()
    return row


def unfollow(user_id: int, target_type: str, key: str) -> bool:
    key = _canonical(target_type, key)
    result = db.session.execute(
        delete(Follow).where(Follow.user_id == user_id, Follow.target_type == target_type, Follow.target_key == key)
    )
    return bool(result.rowcount)


def is_following(user_id: int, target_type: str, key: str) -> bool:
    return (
        db.session.scalar(
            select(Follow.id).where(
                Follow.user_id == user_id, Follow.target_type == target_type, Follow.target_key == str(key)
            )
        )
        is not None
    )


def followers(targets: Iterable[tuple[str, str]]) -> list[int]:
    """Ids of users following any of the (type, key) targets, each once, oldest follow first."""
    targets = list(targets)
    if not targets:
        return []
    condition = None
    for target_type, key in targets:
        clause = (Follow.target_type == target_type) & (Follow.target_key == str(key))
        condition = clause if condition is None else condition | clause
    rows = db.session.scalars(select(Follow.user_id).where(condition).order_by(Follow.id)).all()
    return list(dict.fromkeys(rows))


def follows_of(user_id: int, target_type: str | None = None) -> list[Follow]:
    query = select(Follow).where(Follow.user_id == user_id)
    if target_type:
        query = query.where(Follow.target_type == target_type)
    return db.session.scalars(query.order_by(Follow.target_type, Follow.target_key)).all()
