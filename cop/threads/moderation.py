"""Reports and moderation of threads and replies: every moderation action is logged.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import permissions
from ..accounts.models import User
from ..extensions import db
from ..i18n import in_default_locale
from ..models import utcnow
from ..notifications import services as notifications
from ..notifications.services import N_
from ..search.outbox import record_change
from ..validation import ValidationError
from . import services
from .models import ModerationLog, Reply, Report, Thread


def report_post(post: Thread | Reply, reporter: User, reason: str) -> Report:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say briefly what is wrong with this post."), "reason")
    if len(reason) > 1000:
        raise ValidationError(_("Keep the reason under 1,000 characters."), "reason")
    post_type = "thread" if isinstance(post, Thread) else "reply"
    thread_id = post.id if isinstance(post, Thread) else post.thread_id
    report = Report(post_type=post_type, post_id=post.id, thread_id=thread_id, reporter_id=reporter.id, reason=reason)
    db.session.add(report)
    db.session.flush()
    # every moderator and admin hears of it in the app (and by the e-mail digest, where SMTP is set up)
    title = post.title if isinstance(post, Thread) else post.thread.title
    text = notifications.message(N_("New report on “%(title)s”: %(reason)s"), title=title, reason=reason[:200])
    notifications.notify_many(
        [uid for uid in moderator_ids() if uid != reporter.id],
        "thread.report",
        text,
        f"/threads/moderation#report-{report.id}",
    )
    return report


def moderator_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(User.role.in_(("moderator", "admin")), User.active.is_(True)).order_by(User.id)
        )
    )


def open_report_count() -> int:
    return db.session.scalar(select(func.count(Report.id)).where(Report.resolved_at.is_(None))) or 0


def open_reports() -> list[Report]:
    return db.session.scalars(
        select(Report)
        .where(Report.resolved_at.is_(None))
        .options(selectinload(Report.thread), selectinload(Report.reporter))
        .order_by(Report.created_at)
    ).all()


def recent_log(limit: int = 50, thread_id: int | None = None) -> list[ModerationLog]:
    query = select(ModerationLog).options(selectinload(ModerationLog.actor))
    if thread_id is not None:
        query = query.where(ModerationLog.thread_id == thread_id)
    return db.session.scalars(
        query.order_by(ModerationLog.created_at.desc(), ModerationLog.id.desc()).limit(limit)
    ).all()


def _require_moderator(user) -> None:
    if not permissions.is_moderator(user):
        raise ValidationError(_("Only moderators may do this."), "")


def set_hidden(post: Thread | Reply, actor: User, hidden: bool = True, reason: str = "") -> None:
    _require_moderator(actor)
    post.hidden = hidden
    if isinstance(post, Reply) and hidden:
        post.is_key = False
    post_type = "thread" if isinstance(post, Thread) else "reply"
    thread_id = post.id if isinstance(post, Thread) else post.thread_id
    services.log_action(actor, "hide" if hidden else "unhide", post_type, post.id, thread_id, reason)
    db.session.flush()
    record_change("thread", thread_id)


def set_locked(thread: Thread, actor: User, locked: bool = True, reason: str = "") -> None:
    _require_moderator(actor)
    thread.locked = locked
    services.log_action(actor, "lock" if locked else "unlock", "thread", thread.id, thread.id, reason)
    db.session.flush()


def move_thread(thread: Thread, actor: User, *, categories, codes) -> None:
    _require_moderator(actor)
    category_keys, code_keys, errors = services.clean_tags(categories, codes)
    if errors:
        raise ValidationError(errors)
    before = f"{','.join(thread.categories)} {','.join(thread.codes)}".strip()
    services.set_tags(thread, category_keys, code_keys)
    after = f"{','.join(category_keys)} {','.join(code_keys)}".strip()
    services.log_action(actor, "move", "thread", thread.id, thread.id, f"{before} → {after}")
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
        for other in db.session.scalars(
            select(Report).where(
                Report.post_type == report.post_type,
                Report.post_id == report.post_id,
                Report.resolved_at.is_(None),
                Report.id != report.id,
            )
        ):
            _close(other, actor, resolution or in_default_locale(lambda: _("The post is hidden.")))
    _close(report, actor, resolution)


def _close(report: Report, actor: User, resolution: str) -> None:
    report.resolved_at, report.resolved_by_id = utcnow(), actor.id
    report.resolution = (resolution or "").strip()[:500]
    services.log_action(
        actor,
        "resolve",
        report.post_type,
        report.post_id,
        report.thread_id,
        f"report {report.id}: {report.resolution}".strip(),
    )
    db.session.flush()


def find_post(post_type: str, post_id: int) -> Thread | Reply | None:
    model = {"thread": Thread, "reply": Reply}.get(post_type)
    return db.session.get(model, post_id) if model else None
