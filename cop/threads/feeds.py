"""Atom feeds: a thread's replies, and the questions under an activity code (or all)."""

from flask import Blueprint, abort, request, url_for

from ..feeds import Entry, atom_response
from ..listing import canonical_code
from . import services

LIMIT = 50


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def thread_feed(thread_id):
    thread = services.get_thread(thread_id)
    if thread is None:
        abort(404)
    replies = [r for r in thread.replies if not r.hidden]
    entries = [
        Entry(
            id=_absolute(f"/reply-{r.id}"),
            title=r.author.name,
            url=_absolute(r.url),
            html=r.body_html,
            author=r.author.name,
            updated=r.edited_at or r.created_at,
        )
        for r in reversed(replies)
    ]
    return atom_response(
        thread.title,
        _absolute(url_for("threads.thread_feed", thread_id=thread.id)),
        _absolute(thread.url),
        entries,
        feed_id=_absolute(f"/thread-{thread.id}"),
        updated=thread.last_activity_at,
    )


def _thread_entries(threads):
    return [
        Entry(
            id=_absolute(f"/thread-{t.id}"),
            title=t.title,
            url=_absolute(t.url),
            html=t.body_html,
            author=t.author.name,
            updated=t.last_activity_at,
        )
        for t in threads
    ]


def code_feed(raw):
    code = canonical_code(raw, "threads.code_feed", "raw")
    threads = services.list_threads(code=code, per_page=LIMIT).items
    return atom_response(
        f"{code} · PMQA CoP",
        _absolute(url_for("threads.code_feed", raw=code)),
        _absolute(url_for("threads.index", code=code)),
        _thread_entries(threads),
        feed_id=_absolute(f"/code-{code}"),
    )


def all_feed():
    threads = services.list_threads(per_page=LIMIT).items
    return atom_response(
        "PMQA CoP",
        _absolute(url_for("threads.all_feed")),
        _absolute(url_for("threads.index")),
        _thread_entries(threads),
        feed_id=_absolute("/threads"),
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/threads/<int:thread_id>/feed.atom", view_func=thread_feed)
    bp.add_url_rule("/threads/codes/<raw>/feed.atom", view_func=code_feed)
    bp.add_url_rule("/threads/feed.atom", view_func=all_feed)
