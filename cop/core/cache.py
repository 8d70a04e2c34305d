"""Caching of what everyone sees, correct across several worker processes.

One database row counts content changes (``content_version``): every transaction that writes content
bumps it in the same commit, so a worker that reads the counter knows whether anything it cached is
still current, whichever process made the change. Two caches hang off it, both per process:

* :func:`shared` — a value built from the database and shown to everyone (map counts, the home
  page's blocks as HTML, related stories); rebuilt when the counter moved.
* :func:`cached_page` — a whole anonymous page (no session cookie, nothing written to the session,
  no CSRF token on it), keyed by path, query and language.

Writes to per-person tables (notifications, audit log, API tokens, follows) do not bump the counter.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from functools import wraps

from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    make_response,
    request,
    session,
)
from sqlalchemy import Integer, event, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

#: Tables whose changes nobody else sees on a shared page.
PRIVATE_TABLES = frozenset(
    {
        "content_version",
        "notifications",
        "audit_log",
        "api_tokens",
        "follows",
        "clinic_calendar_tokens",
        "trainer_contact_requests",
        "search_log",
    }
)
#: Memory for cached pages, per worker process: every story of a site of a few thousand (~10 kB each).
PAGE_BUDGET_BYTES = 32 * 1024 * 1024
SHARED_ENTRIES = 4096
PAGE_MAX_BYTES = 512 * 1024
#: A cached page is rebuilt after this long even if no content changed (pages that show "upcoming").
PAGE_TTL = 60.0


class ContentVersion(db.Model):
    """One row: how many content-changing transactions have committed."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


_lock = threading.Lock()


def _store():
    """This app's caches: {"shared": name → (version, value, expires), "pages": key → (version, body, headers,
    expires, note), "page_bytes": the size of the bodies in "pages"}."""
    return current_app.extensions["cop_cache"]


def content_version() -> int:
    """The committed content version (one indexed read; cached for the rest of the request)."""
    v = g.get("_content_version")
    if v is None:
        v = db.session.scalar(select(ContentVersion.version).where(ContentVersion.id == 1)) or 0
        g._content_version = v
    return v


def bump(session) -> None:
    """Count one content change in the session's transaction."""
    if (
        session.execute(
            update(ContentVersion).where(ContentVersion.id == 1).values(version=ContentVersion.version + 1)
        ).rowcount
        == 0
    ):
        session.execute(insert(ContentVersion).values(id=1, version=1))


def shared(name: str, build, ttl: float | None = None):
    """``build()`` once per content version (per process); the value must not hold ORM objects.

    ``ttl`` (seconds) also rebuilds it after that long, for values that depend on the clock
    ("upcoming" clinics) as well as on content."""
    version = content_version()
    store = _store()["shared"]
    hit = store.get(name)
    if hit is not None and hit[0] == version and (hit[2] is None or hit[2] > time.monotonic()):
        return hit[1]
    value = build()
    with _lock:
        store[name] = (version, value, None if ttl is None else time.monotonic() + ttl)
        store.move_to_end(name)
        while len(store) > SHARED_ENTRIES:
            store.popitem(last=False)
    return value


def _anonymous_request() -> bool:
    """A GET by nobody logged in, with no message waiting in the session (a CSRF token may be there)."""
    if request.method != "GET" or "Authorization" in request.headers:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    return "_user_id" not in session and "_flashes" not in session


def cached_page(on_hit=None):
    """Serve an anonymous GET from the page cache while the content version is unchanged.

    ``on_hit(note, **view_args)`` runs when a cached copy is served (e.g. to count a story view);
    ``note`` is what the view left in ``g.page_cache_note`` when it built the page (or None)."""

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not current_app.config.get("PAGE_CACHE", True) or not _anonymous_request():
                return view(**kwargs)
            # the mount point too: its links are in the page
            key = (request.script_root + request.full_path, session.get("lang") or request.cookies.get("lang", ""))
            version = content_version()
            pages = _store()["pages"]
            hit = pages.get(key)
            if hit is not None and hit[0] == version and hit[3] > time.monotonic():
                with _lock:
                    if key in pages:
                        pages.move_to_end(key)  # the budget forgets the least recently used pages first
                if on_hit is not None:
                    on_hit(hit[4], **kwargs)
                return current_app.response_class(hit[1], status=200, headers=hit[2])
            response = make_response(view(**kwargs))
            if (
                response.status_code == 200
                and not session.modified
                and "csrf_token" not in g
                and not response.headers.getlist("Set-Cookie")
                and not response.direct_passthrough
                and content_version() == version
            ):
                body = response.get_data()
                if len(body) <= PAGE_MAX_BYTES:
                    entry = (version, body, {"Content-Type": response.content_type}, time.monotonic() + PAGE_TTL)
                    _keep_page(key, (*entry, g.get("page_cache_note")))
            return response

        return wrapper

    return decorate


def _keep_page(key, entry) -> None:
    """Store a page, forgetting the least recently used ones beyond :data:`PAGE_BUDGET_BYTES`."""
    store = _store()
    pages = store["pages"]
    with _lock:
        old = pages.pop(key, None)
        store["page_bytes"] += len(entry[1]) - (len(old[1]) if old else 0)
        pages[key] = entry
        while store["page_bytes"] > PAGE_BUDGET_BYTES and len(pages) > 1:
            _, dropped = pages.popitem(last=False)
            store["page_bytes"] -= len(dropped[1])


def clear() -> None:
    """Forget every cached value and page in this process (tests, after a restore)."""
    _store()["shared"].clear()
    _store()["pages"].clear()
    _store()["page_bytes"] = 0


def _writes_content(tables) -> bool:
    return any(t not in PRIVATE_TABLES for t in tables)


def _note_flush(session, _context):
    changed = [*session.new, *session.dirty, *session.deleted]
    if _writes_content(getattr(o, "__tablename__", "") for o in changed):
        session.info["content_changed"] = True


def _note_dml(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is None or _writes_content([table.name]):
            state.session.info["content_changed"] = True


def _bump_on_commit(session):
    if session.info.pop("content_changed", False):
        bump(session)
        session.info.pop("content_changed", None)


def _reread(_session):
    if has_app_context():
        g.pop("_content_version", None)


def _forget(session):
    session.info.pop("content_changed", None)


_LISTENERS = (
    ("after_flush", _note_flush),
    ("do_orm_execute", _note_dml),
    ("before_commit", _bump_on_commit),
    ("after_commit", _reread),
    ("after_rollback", _forget),
)


def init_app(app: Flask) -> None:
    app.extensions["cop_cache"] = {"shared": OrderedDict(), "pages": OrderedDict(), "page_bytes": 0}
    for name, listener in _LISTENERS:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)

    @app.teardown_request
    def _drop_version(_exc):
        g.pop("_content_version", None)
