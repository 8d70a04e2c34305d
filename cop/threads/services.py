"""Rules for threads: asking, replying, editing with history, key lessons, follows, flood limits,
reports and moderation (every moderation action is logged).

Functions flush but never commit: the caller (a view, the API, the importer) owns the transaction.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from ..accounts.models import User
from ..extensions import db
from ..i18n import in_default_locale
from ..models import utcnow
from ..notifications import services as notifications
from ..notifications.services import N_
from ..search.outbox import record_change
from ..taxonomy import category_of, normalize_categories, normalize_codes
from ..text.clean import clean_text
from ..validation import ValidationError
from .models import CATEGORY, CODE, ModerationLog, PostRevision, Reply, Report, Thread, ThreadTag

TITLE_MAX = 300
BODY_MAX = 50_000
RELATED_TYPES = {"stories": "story", "clinics": "clinic", "aar": "aar"}
_RELATED_RE = re.compile(r"^(?:https?://[^/\s]+)?/(stories|clinics|aar)/(\d{1,9})/?$")


# --- helpers ----------------------------------------------------------------------------------

def _render(text: str, field: str) -> str:
    from ..text.markup import MarkupError, render_markdown

    try:
        return render_markdown(text)
    except MarkupError:
        raise ValidationError(_("The text is too long."), field) from None


def _setting(name: str, default: int) -> int:
    try:
        return int(current_app.config.get(name, default))
    except (TypeError, ValueError):
        return default


def is_moderator(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role("moderator"))


def _check_body(body: str, field: str = "body") -> str:
    body = clean_text(body)
    if not body:
        raise ValidationError(_("Write something first."), field)
    if len(body) > BODY_MAX:
        raise ValidationError(_("The text is too long (at most %(n)d characters).", n=BODY_MAX), field)
    return body


def _clean_tags(categories, codes) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    category_keys, bad_categories = normalize_categories(categories or [])
    code_keys, bad_codes = normalize_codes(codes or [])
    if bad_categories:
        errors.append(("categories", _("Unknown PMQA category: %(value)s.", value=", ".join(bad_categories))))
    if bad_codes:
        errors.append(("codes", _("Unknown activity code: %(value)s. Use codes such as CS1 or SP5.",
                                   value=", ".join(bad_codes))))
    for code in code_keys:  # a code belongs to its category: file the thread under both
        category = category_of(code)
        if category and category not in category_keys:
            category_keys.append(category)
    if not errors and not category_keys:
        errors.append(("categories", _("Choose at least one PMQA category or activity code.")))
    return category_keys, code_keys, errors


def _set_tags(thread: Thread, categories: list[str], codes: list[str]) -> None:
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
    from ..search.registry import sources

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
    posted = (db.session.scalar(select(func.count(Thread.id)).where(Thread.author_id == user.id,
                                                                      Thread.created_at >= since)) or 0) \
        + (db.session.scalar(select(func.count(Reply.id)).where(Reply.author_id == user.id,
                                                                   Reply.created_at >= since)) or 0)
    if posted >= limit:
        raise ValidationError(_("New accounts may post at most %(n)d questions and replies an hour. "
                                "Please try again a little later.", n=limit), "body")


def _log(actor: User, action: str, target_type: str, target_id: int, thread_id: int | None, detail: str = "") -> None:
    db.session.add(ModerationLog(actor_id=actor.id, action=action, target_type=target_type, target_id=target_id,
                                 thread_id=thread_id, detail=detail[:1000]))


# --- asking and replying ----------------------------------------------------------------------

def create_thread(author: User, *, title: str, body: str, categories=(), codes=(), related: str | None = None,
                  created_at: datetime | None = None, check_limits: bool = True, notify: bool = True) -> Thread:
    errors: list[tuple[str, str]] = []
    title = " ".join(clean_text(title).split())
    if not title:
        errors.append(("title", _("Give the question a title.")))
    elif len(title) > TITLE_MAX:
        errors.append(("title", _("The title is too long (at most %(n)d characters).", n=TITLE_MAX)))
    try:
        body = _check_body(body)
    except ValidationError as exc:
        errors += exc.errors
    category_keys, code_keys, tag_errors = _clean_tags(categories, codes)
    errors += tag_errors
    link = None
    try:
        link = parse_related(related)
    except ValidationError as exc:
        errors += exc.errors
    if errors:
        raise ValidationError(errors)
    body_html = _render(body, "body")
    if check_limits:
        check_flood(author)
    when = created_at or utcnow()
    thread = Thread(title=title, body=body, body_html=body_html, author_id=author.id, created_at=when,
                    last_activity_at=when)
    if link:
        thread.related_type, thread.related_id = link
    db.session.add(thread)
    db.session.flush()
    _set_tags(thread, category_keys, code_keys)
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


def add_reply(thread: Thread, author: User, body: str, *, created_at: datetime | None = None,
              check_limits: bool = True, notify: bool = True) -> Reply:
    refusal = reply_refusal(thread)
    if refusal:
        raise ValidationError(refusal, "body")
    body = _check_body(body)
    body_html = _render(body, "body")
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

def can_edit(post: Thread | Reply, user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_moderator(user):
        return True
    if post.author_id != user.id or post.hidden or (isinstance(post, Reply) and post.thread.hidden):
        return False
    window = timedelta(minutes=_setting("THREADS_EDIT_MINUTES", 60))
    return utcnow() - post.created_at <= window


def _require_edit(post, user) -> None:
    if not can_edit(post, user):
        raise ValidationError(_("You can no longer edit this post; ask a moderator if something must change."), "body")


def edit_thread(thread: Thread, editor: User, *, title: str, body: str) -> Thread:
    _require_edit(thread, editor)
    title = " ".join((title or "").split())
    errors = []
    if not title or len(title) > TITLE_MAX:
        errors.append(("title", _("Give the question a title (at most %(n)d characters).", n=TITLE_MAX)))
    try:
        body = _check_body(body)
    except ValidationError as exc:
        errors += exc.errors
    if errors:
        raise ValidationError(errors)
    if title == thread.title and body == thread.body:
        return thread
    body_html = _render(body, "body")
    db.session.add(PostRevision(post_type="thread", post_id=thread.id, title=thread.title, body=thread.body,
                                editor_id=editor.id))
    thread.title, thread.body, thread.body_html, thread.edited_at = title, body, body_html, utcnow()
    if editor.id != thread.author_id:
        _log(editor, "edit", "thread", thread.id, thread.id)
    db.session.flush()
    record_change("thread", thread.id)
    return thread


def edit_reply(reply: Reply, editor: User, *, body: str) -> Reply:
    _require_edit(reply, editor)
    body = _check_body(body)
    if body == reply.body:
        return reply
    body_html = _render(body, "body")
    db.session.add(PostRevision(post_type="reply", post_id=reply.id, body=reply.body, editor_id=editor.id))
    reply.body, reply.body_html, reply.edited_at = body, body_html, utcnow()
    if editor.id != reply.author_id:
        _log(editor, "edit", "reply", reply.id, reply.thread_id)
    db.session.flush()
    record_change("thread", reply.thread_id)
    return reply


def revisions(post_type: str, post_id: int) -> list[PostRevision]:
    return db.session.scalars(select(PostRevision).where(PostRevision.post_type == post_type,
                                                         PostRevision.post_id == post_id)
                              .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())).all()


# --- key lesson -------------------------------------------------------------------------------

def can_mark_key(thread: Thread, user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (user.id == thread.author_id or is_moderator(user)))


def set_key_lesson(reply: Reply, user: User, on: bool = True, *, notify: bool = True) -> None:
    thread = reply.thread
    if not can_mark_key(thread, user):
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
    if not is_moderator(viewer):
        query = query.where(Thread.hidden.is_(False))
    return query


def _tag_clause(kind: str, value: str):
    return exists().where(ThreadTag.thread_id == Thread.id, ThreadTag.kind == kind, ThreadTag.value == value)


def list_threads(*, category: str | None = None, code: str | None = None, answered: bool | None = None,
                 viewer=None, page: int = 1, per_page: int = 20, codes_any=(), categories_any=()):
    """Threads by newest activity, filtered; returns (threads, total)."""
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
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.options(selectinload(Thread.tags), selectinload(Thread.author))
                              .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def reply_counts(thread_ids: list[int]) -> dict[int, int]:
    if not thread_ids:
        return {}
    rows = db.session.execute(select(Reply.thread_id, func.count(Reply.id)).where(
        Reply.thread_id.in_(thread_ids), Reply.hidden.is_(False)).group_by(Reply.thread_id)).all()
    return dict(rows)


def answered_ids(thread_ids: list[int]) -> set[int]:
    if not thread_ids:
        return set()
    return set(db.session.scalars(select(Thread.id).where(Thread.id.in_(thread_ids), _answered_clause())).all())


def get_thread(thread_id: int, viewer=None) -> Thread | None:
    thread = db.session.get(Thread, thread_id)
    if thread is None or (thread.hidden and not is_moderator(viewer)):
        return None
    return thread


def ordered_replies(thread: Thread) -> list[Reply]:
    """Replies in order, the key lesson first."""
    return sorted(thread.replies, key=lambda r: (not r.is_key, r.created_at, r.id))


def key_reply(thread: Thread) -> Reply | None:
    return next((r for r in thread.replies if r.is_key and not r.hidden), None)


def key_lessons(*, code: str | None = None, category: str | None = None, limit: int = 6) -> list[tuple[Thread, Reply]]:
    """Key lessons of visible threads (newest first) under a code or category: the 'tactic cards'."""
    query = (select(Thread, Reply).join(Reply, and_(Reply.thread_id == Thread.id, Reply.is_key.is_(True),
                                                    Reply.hidden.is_(False)))
             .where(Thread.hidden.is_(False)))
    if code:
        query = query.where(_tag_clause(CODE, code))
    if category:
        query = query.where(_tag_clause(CATEGORY, category))
    return [tuple(row) for row in db.session.execute(
        query.order_by(Reply.created_at.desc()).limit(limit)).all()]


def expertise_of(user: User) -> tuple[list[str], list[str]]:
    """Codes and categories a user knows: what they follow, plus a trainer profile's codes if there is one."""
    codes = [f.target_key for f in notifications.follows_of(user.id, "code")]
    categories = [f.target_key for f in notifications.follows_of(user.id, "category")]
    try:  # the trainer directory is another feature; use its codes when it is there
        from ..trainers.models import Trainer  # type: ignore
    except ImportError:
        Trainer = None
    if Trainer is not None and hasattr(Trainer, "email") and hasattr(Trainer, "codes"):
        match = func.lower(Trainer.email) == user.email.lower()
        if hasattr(Trainer, "user_id"):
            match = or_(Trainer.user_id == user.id, match)
        trainer = db.session.scalar(select(Trainer).where(match).limit(1))
        raw = getattr(trainer, "codes", None) or []
        for item in ([raw] if isinstance(raw, str) else raw):
            value = item if isinstance(item, str) else getattr(item, "code", None)
            for code in normalize_codes(value or "")[0]:
                if code not in codes:
                    codes.append(code)
    return codes, categories


# --- reports and moderation -------------------------------------------------------------------

def report_post(post: Thread | Reply, reporter: User, reason: str) -> Report:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say briefly what is wrong with this post."), "reason")
    if len(reason) > 1000:
        raise ValidationError(_("Keep the reason under 1,000 characters."), "reason")
    post_type = "thread" if isinstance(post, Thread) else "reply"
    thread_id = post.id if isinstance(post, Thread) else post.thread_id
    report = Report(post_type=post_type, post_id=post.id, thread_id=thread_id, reporter_id=reporter.id,
                    reason=reason)
    db.session.add(report)
    db.session.flush()
    # every moderator and admin hears of it in the app (and by the e-mail digest, where SMTP is set up)
    title = post.title if isinstance(post, Thread) else post.thread.title
    text = notifications.message(N_("New report on “%(title)s”: %(reason)s"), title=title, reason=reason[:200])
    notifications.notify_many([uid for uid in moderator_ids() if uid != reporter.id], "thread.report", text,
                              f"/threads/moderation#report-{report.id}")
    return report


def moderator_ids() -> list[int]:
    return list(db.session.scalars(select(User.id).where(User.role.in_(("moderator", "admin")),
                                                         User.active.is_(True)).order_by(User.id)))


def open_report_count() -> int:
    return db.session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None))) or 0


def open_reports() -> list[Report]:
    return db.session.scalars(select(Report).where(Report.resolved_at.is_(None))
                              .options(selectinload(Report.thread), selectinload(Report.reporter))
                              .order_by(Report.created_at)).all()


def recent_log(limit: int = 50, thread_id: int | None = None) -> list[ModerationLog]:
    query = select(ModerationLog).options(selectinload(ModerationLog.actor))
    if thread_id is not None:
        query = query.where(ModerationLog.thread_id == thread_id)
    return db.session.scalars(query.order_by(ModerationLog.created_at.desc(), ModerationLog.id.desc())
                              .limit(limit)).all()


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise ValidationError(_("Only moderators may do this."), "")


def set_hidden(post: Thread | Reply, actor: User, hidden: bool = True, reason: str = "") -> None:
    _require_moderator(actor)
    post.hidden = hidden
    if isinstance(post, Reply) and hidden:
        post.is_key = False
    post_type = "thread" if isinstance(post, Thread) else "reply"
    thread_id = post.id if isinstance(post, Thread) else post.thread_id
    _log(actor, "hide" if hidden else "unhide", post_type, post.id, thread_id, reason)
    db.session.flush()
    record_change("thread", thread_id)


def set_locked(thread: Thread, actor: User, locked: bool = True, reason: str = "") -> None:
    _require_moderator(actor)
    thread.locked = locked
    _log(actor, "lock" if locked else "unlock", "thread", thread.id, thread.id, reason)
    db.session.flush()


def move_thread(thread: Thread, actor: User, *, categories, codes) -> None:
    _require_moderator(actor)
    category_keys, code_keys, errors = _clean_tags(categories, codes)
    if errors:
        raise ValidationError(errors)
    before = f"{','.join(thread.categories)} {','.join(thread.codes)}".strip()
    _set_tags(thread, category_keys, code_keys)
    after = f"{','.join(category_keys)} {','.join(code_keys)}".strip()
    _log(actor, "move", "thread", thread.id, thread.id, f"{before} → {after}")
    db.session.flush()
    record_change("thread", thread.id)


def resolve_report(report: Report, actor: User, resolution: str = "", *, hide: bool = False) -> None:
    """Close a report; with ``hide`` the reported post is hidden too, closing its other open reports."""
    _require_moderator(actor)
    if report.resolved_at is not None:
        raise ValidationError(_("This report is already resolved."), "")
    if hide:
        post = find_post(report.post_type, report.post_id)
        if post is not None and not post.hidden:
            set_hidden(post, actor, True, report.reason)
        for other in db.session.scalars(select(Report).where(
                Report.post_type == report.post_type, Report.post_id == report.post_id,
                Report.resolved_at.is_(None), Report.id != report.id)):
            _close(other, actor, resolution or in_default_locale(lambda: _("The post is hidden.")))
    _close(report, actor, resolution)


def _close(report: Report, actor: User, resolution: str) -> None:
    report.resolved_at, report.resolved_by_id = utcnow(), actor.id
    report.resolution = (resolution or "").strip()[:500]
    _log(actor, "resolve", report.post_type, report.post_id, report.thread_id,
         f"report {report.id}: {report.resolution}".strip())
    db.session.flush()


def find_post(post_type: str, post_id: int) -> Thread | Reply | None:
    model = {"thread": Thread, "reply": Reply}.get(post_type)
    return db.session.get(model, post_id) if model else None
