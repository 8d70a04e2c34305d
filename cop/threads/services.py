"""Rules for threads: asking, replying, editing with history, key lessons, follows, flood limits.
Reports and moderation are in ``moderation.py``.

Functions flush but never commit: the caller (a view, the API, the importer) owns the transaction.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from .. import permissions
from ..accounts.models import User
from ..extensions import db
from ..listing import paginate
from ..models import utcnow
from ..notifications import services as notifications
from ..notifications.services import N_
from ..search.outbox import record_change
from ..search.registry import sources
from ..taxonomy import normalize_categories, normalize_codes, with_implied_categories
from ..text.clean import clean_text
from ..text.markup import render_field
from ..trainers.models import Trainer
from ..validation import ValidationError, gather
from .models import CATEGORY, CODE, ModerationLog, PostRevision, Reply, Thread, ThreadTag

TITLE_MAX = 300
BODY_MAX = 50_000
RELATED_TYPES = {"stories": "story", "clinics": "clinic", "aar": "aar"}
_RELATED_RE = re.compile(r"^(?:https?://[^/\s]+)?/(stories|clinics|aar)/(\d{1,9})/?$")


# --- helpers ----------------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    try:
        return int(current_app.config.get(name, default))
    except (TypeError, ValueError):
        return default


def _check_body(body: str, field: str = "body") -> str:
    body = clean_text(body)
    if not body:
        raise ValidationError(_("Write something first."), field)
    if len(body) > BODY_MAX:
        raise ValidationError(_("The text is too long (at most %(n)d characters).", n=BODY_MAX), field)
    return body


def clean_tags(categories, codes) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    category_keys, bad_categories = normalize_categories(categories or [])
    code_keys, bad_codes = normalize_codes(codes or [])
    if bad_categories:
        errors.append(("categories", _("Unknown PMQA category: %(value)s.", value=", ".join(bad_categories))))
    if bad_codes:
        errors.append(
            ("codes", _("Unknown activity code: %(value)s. Use codes such as CS1 or SP5.", value=", ".join(bad_codes)))
        )
    category_keys = with_implied_categories(category_keys, code_keys)
    if not errors and not category_keys:
        errors.append(("categories", _("Choose at least one PMQA category or activity code.")))
    return category_keys, code_keys, errors


def set_tags(thread: Thread, categories: list[str], codes: list[str]) -> None:
    thread.tags.clear()
    db.session.flush()
    for position, value in enumerate(categories):
        thread.tags.append(ThreadTag(kind=CATEGORY, value=value, position=position))
    for position, value in enumerate(codes):
        thread.tags.append(ThreadTag(kind=CODE, value=value, position=position))


def parse_related(raw: str | None) -> tuple[str, int] | None:
    """'/stories/12' (or the full address) → ("story", 12); empty → None."""
    raw = (raw or "").strip()
    if not raw:
        return None
    match = _RELATED_RE.match(raw)
    if not match:
        raise ValidationError(_("Paste the address of a story, clinic or AAR page, such as /stories/12."), "related")
    related_type, related_id = RELATED_TYPES[match.group(1)], int(match.group(2))

    source = sources().get(related_type)
    if source is not None and related_id not in source.load([related_id]):
        raise ValidationError(_("There is no such page to link to."), "related")
    return related_type, related_id


def check_flood(user: User) -> None:
    """New accounts post slowly; older accounts and staff roles are not limited."""
    if user.has_role("coordinator", "facilitator", "moderator"):
        return
    now = utcnow()
    new_hours = _setting("THREADS_NEW_ACCOUNT_HOURS", 24)
    if user.created_at is None or user.created_at < now - timedelta(hours=new_hours):
        return
    limit = _setting("THREADS_NEW_ACCOUNT_POSTS_PER_HOUR", 5)
    since = now - timedelta(hours=1)
    posted = (
        db.session.scalar(select(func.count(Thread.id)).where(Thread.author_id == user.id, Thread.created_at >= since))
        or 0
    ) + (
        db.session.scalar(select(func.count(Reply.id)).where(Reply.author_id == user.id, Reply.created_at >= since))
        or 0
    )
    if posted >= limit:
        raise ValidationError(
            _(
                "New accounts may post at most %(n)d questions and replies an hour. Please try again a little later.",
                n=limit,
            ),
            "body",
        )


def log_action(
    actor: User, action: str, target_type: str, target_id: int, thread_id: int | None, detail: str = ""
) -> None:
    db.session.add(
        ModerationLog(
            actor_id=actor.id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            thread_id=thread_id,
            detail=detail[:1000],
        )
    )


# --- asking and replying ----------------------------------------------------------------------


def create_thread(
    author: User,
    *,
    title: str,
    body: str,
    categories=(),
    codes=(),
    related: str | None = None,
    created_at: datetime | None = None,
    check_limits: bool = True,
    notify: bool = True,
) -> Thread:
    errors: list[tuple[str, str]] = []
    title = " ".join(clean_text(title).split())
    if not title:
        errors.append(("title", _("Give the question a title.")))
    elif len(title) > TITLE_MAX:
        errors.append(("title", _("The title is too long (at most %(n)d characters).", n=TITLE_MAX)))
    body = gather(errors, _check_body, body)
    category_keys, code_keys, tag_errors = clean_tags(categories, codes)
    errors += tag_errors
    link = gather(errors, parse_related, related)
    if errors:
        raise ValidationError(errors)
    body_html = render_field(body, "body")
    if check_limits:
        check_flood(author)
    when = created_at or utcnow()
    thread = Thread(
        title=title, body=body, body_html=body_html, author_id=author.id, created_at=when, last_activity_at=when
    )
    if link:
        thread.related_type, thread.related_id = link
    db.session.add(thread)
    db.session.flush()
    set_tags(thread, category_keys, code_keys)
    db.session.flush()
    record_change("thread", thread.id)
    notifications.follow(author.id, "thread", str(thread.id))
    if notify:
        targets = [("category", c) for c in category_keys] + [("code", c) for c in code_keys]
        recipients = [uid for uid in notifications.followers(targets) if uid != author.id]
        where = ", ".join(code_keys) or ", ".join(category_keys)
        text = notifications.message(N_("New question in %(where)s: %(title)s"), where=where, title=title)
        notifications.notify_many(recipients, "thread.new", text, thread.url)
    return thread


def reply_refusal(thread: Thread) -> str | None:
    """Why no one may reply now, or None."""
    if thread.hidden:
        return _("This question was hidden by a moderator; it takes no replies.")
    if thread.locked:
        return _("This question is locked; it takes no new replies.")
    return None


def add_reply(
    thread: Thread,
    author: User,
    body: str,
    *,
    created_at: datetime | None = None,
    check_limits: bool = True,
    notify: bool = True,
) -> Reply:
    refusal = reply_refusal(thread)
    if refusal:
        raise ValidationError(refusal, "body")
    body = _check_body(body)
    body_html = render_field(body, "body")
    if check_limits:
        check_flood(author)
    when = created_at or utcnow()
    reply = Reply(thread=thread, body=body, body_html=body_html, author_id=author.id, created_at=when)
    db.session.add(reply)
    thread.last_activity_at = max(thread.last_activity_at or when, when)
    db.session.flush()
    record_change("thread", thread.id)
    if notify:
        recipients = [uid for uid in notifications.followers([("thread", str(thread.id))]) if uid != author.id]
        text = notifications.message(N_("%(name)s replied to “%(title)s”"), name=author.name, title=thread.title)
        notifications.notify_many(recipients, "thread.reply", text, reply.url)
    notifications.follow(author.id, "thread", str(thread.id))  # hear about the answers to your answer
    return reply


# --- editing (with history) -------------------------------------------------------------------


def _require_edit(post, user) -> None:
    if not permissions.can_edit(user, post):
        raise ValidationError(_("You can no longer edit this post; ask a moderator if something must change."), "body")


def edit_thread(thread: Thread, editor: User, *, title: str, body: str) -> Thread:
    _require_edit(thread, editor)
    title = " ".join((title or "").split())
    errors = []
    if not title or len(title) > TITLE_MAX:
        errors.append(("title", _("Give the question a title (at most %(n)d characters).", n=TITLE_MAX)))
    body = gather(errors, _check_body, body)
    if errors:
        raise ValidationError(errors)
    if title == thread.title and body == thread.body:
        return thread
    body_html = render_field(body, "body")
    db.session.add(
        PostRevision(post_type="thread", post_id=thread.id, title=thread.title, body=thread.body, editor_id=editor.id)
    )
    thread.title, thread.body, thread.body_html, thread.edited_at = title, body, body_html, utcnow()
    if editor.id != thread.author_id:
        log_action(editor, "edit", "thread", thread.id, thread.id)
    db.session.flush()
    record_change("thread", thread.id)
    return thread


def edit_reply(reply: Reply, editor: User, *, body: str) -> Reply:
    _require_edit(reply, editor)
    body = _check_body(body)
    if body == reply.body:
        return reply
    body_html = render_field(body, "body")
    db.session.add(PostRevision(post_type="reply", post_id=reply.id, body=reply.body, editor_id=editor.id))
    reply.body, reply.body_html, reply.edited_at = body, body_html, utcnow()
    if editor.id != reply.author_id:
        log_action(editor, "edit", "reply", reply.id, reply.thread_id)
    db.session.flush()
    record_change("thread", reply.thread_id)
    return reply


def revisions(post_type: str, post_id: int) -> list[PostRevision]:
    return db.session.scalars(
        select(PostRevision)
        .where(PostRevision.post_type == post_type, PostRevision.post_id == post_id)
        .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())
    ).all()


# --- key lesson -------------------------------------------------------------------------------


def set_key_lesson(reply: Reply, user: User, on: bool = True, *, notify: bool = True) -> None:
    thread = reply.thread
    if not permissions.can_mark_key(user, thread):
        raise ValidationError(_("Only the person who asked, or a moderator, chooses the key lesson."), "reply")
    if on and reply.hidden:
        raise ValidationError(_("A hidden reply cannot be the key lesson."), "reply")
    for other in thread.replies:
        other.is_key = False
    reply.is_key = on
    db.session.flush()
    if notify and on and reply.author_id != user.id:
        text = notifications.message(N_("Your reply is the key lesson of “%(title)s”"), title=thread.title)
        notifications.notify(reply.author_id, "thread.key", text, reply.url)


# --- reading ----------------------------------------------------------------------------------


def _answered_clause():
    other = aliased(Reply)
    return exists().where(other.thread_id == Thread.id, other.hidden.is_(False), other.author_id != Thread.author_id)


def visible_threads_query(viewer=None):
    query = select(Thread)
    if not permissions.is_moderator(viewer):
        query = query.where(Thread.hidden.is_(False))
    return query


def _tag_clause(kind: str, value: str):
    return exists().where(ThreadTag.thread_id == Thread.id, ThreadTag.kind == kind, ThreadTag.value == value)


def list_threads(
    *,
    category: str | None = None,
    code: str | None = None,
    answered: bool | None = None,
    viewer=None,
    page: int = 1,
    per_page: int = 20,
    codes_any=(),
    categories_any=(),
):
    """Threads by newest activity, filtered; one page of them."""
    query = visible_threads_query(viewer)
    if category:
        query = query.where(_tag_clause(CATEGORY, category))
    if code:
        query = query.where(_tag_clause(CODE, code))
    expertise = [_tag_clause(CODE, c) for c in codes_any] + [_tag_clause(CATEGORY, c) for c in categories_any]
    if codes_any or categories_any:
        query = query.where(or_(*expertise))
    if answered is True:
        query = query.where(_answered_clause())
    elif answered is False:
        query = query.where(~_answered_clause())
    return paginate(
        query.options(selectinload(Thread.tags), selectinload(Thread.author)).order_by(
            Thread.last_activity_at.desc(), Thread.id.desc()
        ),
        page,
        per_page,
    )


def reply_counts(thread_ids: list[int]) -> dict[int, int]:
    if not thread_ids:
        return {}
    rows = db.session.execute(
        select(Reply.thread_id, func.count(Reply.id))
        .where(Reply.thread_id.in_(thread_ids), Reply.hidden.is_(False))
        .group_by(Reply.thread_id)
    ).all()
    return dict(rows)


def answered_ids(thread_ids: list[int]) -> set[int]:
    if not thread_ids:
        return set()
    return set(db.session.scalars(select(Thread.id).where(Thread.id.in_(thread_ids), _answered_clause())).all())


def get_thread(thread_id: int, viewer=None) -> Thread | None:
    thread = db.session.get(Thread, thread_id)
    if thread is None or (thread.hidden and not permissions.is_moderator(viewer)):
        return None
    return thread


def ordered_replies(thread: Thread) -> list[Reply]:
    """Replies in order, the key lesson first."""
    return sorted(thread.replies, key=lambda r: (not r.is_key, r.created_at, r.id))


def key_reply(thread: Thread) -> Reply | None:
    return next((r for r in thread.replies if r.is_key and not r.hidden), None)


def key_lessons(*, code: str | None = None, category: str | None = None, limit: int = 6) -> list[tuple[Thread, Reply]]:
    """Key lessons of visible threads (newest first) under a code or category: the 'tactic cards'."""
    query = (
        select(Thread, Reply)
        .join(Reply, and_(Reply.thread_id == Thread.id, Reply.is_key.is_(True), Reply.hidden.is_(False)))
        .where(Thread.hidden.is_(False))
    )
    if code:
        query = query.where(_tag_clause(CODE, code))
    if category:
        query = query.where(_tag_clause(CATEGORY, category))
    return [tuple(row) for row in db.session.execute(query.order_by(Reply.created_at.desc()).limit(limit)).all()]


def expertise_of(user: User) -> tuple[list[str], list[str]]:
    """Codes and categories a user knows: what they follow, plus a trainer profile's codes if there is one."""
    codes = [f.target_key for f in notifications.follows_of(user.id, "code")]
    categories = [f.target_key for f in notifications.follows_of(user.id, "category")]
    trainer = db.session.scalar(
        select(Trainer).where(or_(Trainer.user_id == user.id, func.lower(Trainer.email) == user.email.lower())).limit(1)
    )
    codes += [code for code in (trainer.codes if trainer else []) if code not in codes]
    return codes, categories
