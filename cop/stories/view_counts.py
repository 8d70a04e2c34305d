"""Story view counts without a write on the read path.

A page view is noted in this process's memory; a background thread adds the noted views to the
``stories.views`` column every ``VIEW_FLUSH_SECONDS`` (one short transaction for all of them), and
the process flushes what is left when it exits. A ``kill -9`` loses at most that many seconds of
views of one worker — acceptable for a popularity figure, and it keeps SQLite's write lock off
every story read. The flush does not count as a content change (cached pages stay valid).
"""

from __future__ import annotations

from collections import Counter

from flask import current_app
from sqlalchemy import bindparam, update

from ..core.write_behind import WriteBehind
from ..extensions import db
from .models import Story


def _write(app, batch: dict) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(
            update(Story.__table__)
            .where(Story.__table__.c.id == bindparam("sid"))
            .values(views=Story.__table__.c.views + bindparam("n")),
            [{"sid": sid, "n": n} for sid, n in batch.items()],
        )


_views = WriteBehind("view-counts", Counter, Counter.update, _write, lambda batch: sum(batch.values()))
_pending = _views.pending  # app → Counter(story id → views not yet written)
flush = _views.flush
pending = _views.count


def note(story_id: int) -> None:
    """Count one view of a public story (flushed later)."""
    app = current_app._get_current_object()
    seconds = float(app.config.get("VIEW_FLUSH_SECONDS", 0 if app.testing else 10))
    _views.note(app, seconds, lambda views: views.update((int(story_id),)))
