"""An optional e-mail digest of unread notifications, sent when SMTP is configured.

Settings (environment ``COP_…``): ``SMTP_HOST``, ``SMTP_PORT`` (25), ``SMTP_FROM``, ``SMTP_USER``,
``SMTP_PASSWORD``, ``SMTP_STARTTLS`` (false), ``BASE_URL`` (links in the mail). Run it from cron with
``flask --app cop notifications digest``. Each notification is mailed at most once.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..models import utcnow
from .models import Notification


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def _message(user: User, notes: list[Notification]) -> EmailMessage:
    config = current_app.config
    base = str(config.get("BASE_URL") or "").rstrip("/")
    with force_locale(config.get("BABEL_DEFAULT_LOCALE", "th")):
        subject = _("PMQA CoP: %(n)d new notifications", n=len(notes))
        lines = [_("Hello %(name)s,", name=user.name), "", _("Here is what happened in what you follow:"), ""]
        lines += [f"- {n.text}\n  {base}{n.url}" for n in notes]
        lines += ["", _("Read them all at %(url)s", url=f"{base}/notifications")]
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = config.get("SMTP_FROM") or "cop@localhost"
    msg["To"] = user.email
    msg.set_content("\n".join(lines))
    return msg


def send_digest() -> int:
    """Mail each user their unread, not yet mailed notifications; returns the number of mails sent."""
    if not smtp_configured():
        return 0
    config = current_app.config
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.read_at.is_(None), Notification.emailed_at.is_(None))
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[int, list[Notification]] = {}
    for note in notes:
        by_user.setdefault(note.user_id, []).append(note)
    if not by_user:
        return 0
    sent = 0
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=30) as smtp:
        if str(config.get("SMTP_STARTTLS", "")).lower() in ("1", "true", "yes"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        for user_id, user_notes in by_user.items():
            user = db.session.get(User, user_id)
            if user is None or not user.active or not user.email:
                continue
            smtp.send_message(_message(user, user_notes))
            stamp = utcnow()
            for note in user_notes:
                note.emailed_at = stamp
            db.session.commit()  # a mail sent is recorded at once: a later failure does not resend it
            sent += 1
    return sent
