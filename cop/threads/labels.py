"""Moderation log entries as people read them: a translated action and a linked, named post."""

from __future__ import annotations

import re

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from .models import ModerationLog, Thread

_ACTIONS = {
    "hide": _l("Hidden"),
    "unhide": _l("Shown again"),
    "lock": _l("Locked"),
    "unlock": _l("Unlocked"),
    "move": _l("Moved to other categories"),
    "resolve": _l("Report handled"),
    "edit": _l("Edited"),
}
_REPORT = re.compile(r"^report (\d+):?\s*(.*)$", re.DOTALL)


def action_label(action: str) -> str:
    return str(_ACTIONS.get(action, action))


def describe(entries: list[ModerationLog]) -> list[dict]:
    """One dict per entry: at, actor, action, target (text), url, detail."""
    ids = {e.thread_id for e in entries if e.thread_id}
    titles = dict(db.session.execute(select(Thread.id, Thread.title).where(Thread.id.in_(ids))).all()) if ids else {}
    out = []
    for e in entries:
        title = titles.get(e.thread_id)
        if e.target_type == "reply":
            target = _("Reply #%(n)d", n=e.target_id)
            if title:
                target = _("%(post)s in “%(title)s”", post=target, title=title)
            url = (
                url_for("threads.show", thread_id=e.thread_id, _anchor=f"reply-{e.target_id}") if e.thread_id else None
            )
        else:
            target = title or _("Question #%(n)d", n=e.target_id)
            url = url_for("threads.show", thread_id=e.thread_id) if e.thread_id else None
        detail = e.detail or ""
        match = _REPORT.match(detail) if e.action == "resolve" else None
        if match:
            detail = _("Report #%(n)s", n=match.group(1)) + (f": {match.group(2)}" if match.group(2) else "")
        out.append(
            {
                "at": e.created_at,
                "actor": e.actor.name if e.actor else "—",
                "action": action_label(e.action),
                "target": target,
                "url": url,
                "detail": detail,
            }
        )
    return out
