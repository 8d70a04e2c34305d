"""Story view counts without a write on the read path.

A page view is noted in this process's memory; a background thread adds the noted views to the
``stories.views`` column every ``VIEW_FLUSH_SECONDS`` (one short transaction for all of them), and
the process flushes what is left when it exits. A ``kill -9`` loses at most that many seconds of
views of one worker — acceptable for a popularity figure, and it keeps SQLite's write lock off
every story read. The flush does not count as a content change (cached pages stay valid).
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter

from flask import current_app
from sqlalchemy import bindparam, update

from ..extensions import db
from .models import Story

_lock = threading.Lock()
_pending: dict = {}  # app → Counter(story id → views not yet written)
_thread: threading.Thread | None = None
_wake = threading.Event()


def note(story_id: int) -> None:
    """Count one view of a public story (flushed later)."""
    app = current_app._get_current_object()
    with _lock:
        if not _pending and not app.testing:  # tests flush by hand (their databases are gone at exit)
            atexit.register(_flush_at_exit)
        _pending.setdefault(app, Counter())[int(story_id)] += 1
        _start_flusher(float(app.config.get("VIEW_FLUSH_SECONDS", 0 if app.testing else 10)), app.logger)


def _start_flusher(seconds: float, logger) -> None:
    global _thread
    if seconds <= 0 or (_thread is not None and _thread.is_alive()):
        return

    def run():
        while not _wake.wait(seconds):
            try:
                flush()
            except Exception:  # the views stay noted; the next turn tries again
                logger.exception("view counts: flush failed; will retry")

    _thread = threading.Thread(target=run, name="view-counts", daemon=True)
    _thread.start()


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # noqa: BLE001 - the process is ending: nothing left to retry with
        logging.getLogger(__name__).warning("view counts: %d views could not be written at exit", pending())


def pending() -> int:
    with _lock:
        return sum(sum(c.values()) for c in _pending.values())


def flush(only=None) -> int:
    """Add the noted views (of every app in this process, or of app ``only``) to the database;
    returns how many were written."""
    with _lock:
        batches = {app: dict(c) for app, c in _pending.items() if c and (only is None or app is only)}
        for app in batches:
            _pending[app].clear()
    written, failed = 0, None
    for app, batch in batches.items():
        try:
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(
                    update(Story.__table__)
                    .where(Story.__table__.c.id == bindparam("sid"))
                    .values(views=Story.__table__.c.views + bindparam("n")),
                    [{"sid": sid, "n": n} for sid, n in batch.items()],
                )
        except Exception as exc:  # noqa: BLE001 - any failure: keep the views for the next turn
            with _lock:
                _pending[app].update(batch)
            failed = failed or exc
        else:
            written += sum(batch.values())
    if failed is not None:
        raise failed
    return written
