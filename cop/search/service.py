"""The app's one way to the search backend: which backend, outbox replay, index checks."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.exc import OperationalError, ProgrammingError

from ..extensions import db
from . import (  # postgres_backend declares the search_documents table
    outbox,
    postgres_backend,
    registry,
)
from .base import SearchBackend

BATCH = 200  # rows per turn: the lock is held while a batch is indexed
_backends: dict[str, SearchBackend] = {}


def init_app(app: Flask) -> None:
    if not app.config.get("TESTING"):  # tests share one cache in the temp dir, not one per data dir
        os.environ.setdefault("COP_CACHE_DIR", os.path.join(app.config["DATA_DIR"], "cache"))

    @event.listens_for(db.session, "after_commit")
    def _mark_dirty(session):
        if any(isinstance(obj, outbox.SearchOutbox) for obj in session.info.pop("outbox_new", ())):
            g.search_dirty = True

    @event.listens_for(db.session, "before_flush")
    def _remember_outbox(session, _context, _instances):
        new = [obj for obj in session.new if isinstance(obj, outbox.SearchOutbox)]
        if new:
            session.info.setdefault("outbox_new", []).extend(new)

    @event.listens_for(db.session, "after_rollback")
    def _forget(session):
        session.info.pop("outbox_new", None)

    @app.teardown_request
    def _apply_after_commit(_exc):
        if g.pop("search_dirty", False):
            try:
                apply_pending()
            except Exception:  # the rows stay; the next write or start-up applies them
                current_app.logger.exception("search: applying index changes failed; will retry")
                db.session.rollback()

    with app.app_context():
        try:
            replayed = apply_pending()
        except (OperationalError, ProgrammingError):
            db.session.rollback()  # no schema yet: `flask db upgrade` has not run
        else:
            if replayed:
                app.logger.info("search: replayed %d pending index changes", replayed)


def warm_up(app: Flask) -> float:
    """Make a fresh worker answer its first search fast: dictionary and tables loaded, the index
    open and its searcher holding a common term's postings. Returns the seconds it took."""
    from .analysis import warm
    from .base import SearchRequest

    started = time.perf_counter()
    with app.app_context():
        warm()
        try:
            backend().search(SearchRequest(text="การบริการ", per_page=1))
        except (OperationalError, ProgrammingError):  # no schema yet
            db.session.rollback()
        db.session.remove()
    return time.perf_counter() - started


def backend() -> SearchBackend:
    config = current_app.config
    name = config["SEARCH_BACKEND"]
    cache_key = f"{name}:{config['INDEX_DIR']}:{config['SQLALCHEMY_DATABASE_URI']}"
    if cache_key not in _backends:
        if name == "whoosh":
            from .whoosh_backend import WhooshBackend

            _backends[cache_key] = WhooshBackend(config["INDEX_DIR"])
        elif name == "postgres":
            _backends[cache_key] = postgres_backend.PostgresBackend(config["SQLALCHEMY_DATABASE_URI"])
        else:
            raise RuntimeError(f"Unknown search backend {name!r}")
    return _backends[cache_key]


def close_backends() -> None:
    for b in _backends.values():
        b.close()
    _backends.clear()


def apply_pending() -> int:
    """Apply recorded changes to the index; returns how many outbox rows were handled."""
    handled = 0
    while True:
        db.session.commit()  # end any read snapshot: the turn must start a fresh transaction
        outbox.take_apply_turn()
        rows = outbox.pending(BATCH)
        if not rows:
            db.session.commit()
            return handled
        upserts, deletes = registry.load_documents(row.doc_key for row in rows)
        if upserts:
            backend().upsert(upserts)
        if deletes:
            backend().delete(deletes)
        outbox.forget([row.id for row in rows])
        db.session.commit()
        handled += len(rows)


@dataclass
class Drift:
    missing: list[str]
    extra: list[str]
    stale: list[str]
    pending: int

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.pending)


def check() -> Drift:
    expected = {doc.key: doc.checksum for doc in registry.all_documents()}
    actual = backend().checksums()
    return Drift(
        missing=sorted(set(expected) - set(actual)),
        extra=sorted(set(actual) - set(expected)),
        stale=sorted(k for k in expected.keys() & actual.keys() if expected[k] != actual[k]),
        pending=outbox.count_pending(),
    )


def reindex(progress=None) -> int:
    total = registry.count_documents()
    count = backend().rebuild(registry.all_documents(), total=total, progress=progress)
    from ..core import cache

    cache.bump(db.session)  # cached search pages were built from the old index
    db.session.commit()
    return count


def compact() -> None:
    """After a bulk load: merge the index into one segment where the backend keeps segments (Whoosh)."""
    backend().optimize()


def reindex_replacing_outbox(progress=None) -> int:
    """Rebuild the index and drop the outbox rows recorded before it started (the rebuild covers them).

    For bulk loads (``seed --demo N``): one parallel rebuild instead of thousands of small commits."""
    from sqlalchemy import delete, func, select

    last = db.session.scalar(select(func.max(outbox.SearchOutbox.id))) or 0
    db.session.commit()
    count = reindex(progress)
    db.session.execute(delete(outbox.SearchOutbox).where(outbox.SearchOutbox.id <= last))
    db.session.commit()
    return count
