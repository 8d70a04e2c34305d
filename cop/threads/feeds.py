"""Atom feeds: a thread's replies, and the questions under an activity code (or all)."""
from flask import Response, abort, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import utcnow
from ..taxonomy import normalize_code
from . import services
from .models import Thread
from .views import bp

LIMIT = 50


def _atom(**context):
    body = render_template("threads/feed.xml", base=request.host_url.rstrip("/"), **context)
    return Response(body, mimetype="application/atom+xml")


@bp.route("/threads/<int:thread_id>/feed.atom")
def thread_feed(thread_id):
    thread = services.get_thread(thread_id)
    if thread is None:
        abort(404)
    replies = [r for r in thread.replies if not r.hidden]
    entries = [{"id": f"reply-{r.id}", "title": r.author.name, "url": r.url, "html": r.body_html,
                "author": r.author.name, "updated": r.edited_at or r.created_at} for r in reversed(replies)]
    return _atom(title=thread.title, self_url=url_for("threads.thread_feed", thread_id=thread.id),
                 alt_url=thread.url, feed_id=f"thread-{thread.id}", entries=entries,
                 updated=thread.last_activity_at or utcnow())


def _thread_entries(threads):
    return [{"id": f"thread-{t.id}", "title": t.title, "url": t.url, "html": t.body_html, "author": t.author.name,
             "updated": t.last_activity_at} for t in threads]


@bp.route("/threads/codes/<raw>/feed.atom")
def code_feed(raw):
    code = normalize_code(raw)
    if code is None:
        abort(404)
    if code != raw:
        return redirect(url_for("threads.code_feed", raw=code), 301)
    threads, _total = services.list_threads(code=code, per_page=LIMIT)
    return _atom(title=f"{code} · PMQA CoP", self_url=url_for("threads.code_feed", raw=code),
                 alt_url=url_for("threads.index", code=code), feed_id=f"code-{code}",
                 entries=_thread_entries(threads), updated=threads[0].last_activity_at if threads else utcnow())


@bp.route("/threads/feed.atom")
def all_feed():
    threads = db.session.scalars(select(Thread).where(Thread.hidden.is_(False)).options(selectinload(Thread.author))
                                 .order_by(Thread.last_activity_at.desc()).limit(LIMIT)).all()
    return _atom(title="PMQA CoP", self_url=url_for("threads.all_feed"), alt_url=url_for("threads.index"),
                 feed_id="threads", entries=_thread_entries(threads),
                 updated=threads[0].last_activity_at if threads else utcnow())
