"""Registration, waitlist and reminders.

Seats are claimed race-free on SQLite and PostgreSQL alike: every change starts by writing the clinic
row (``lock_clinic``). On SQLite that first write takes the database's write lock (other writers wait
on busy_timeout); on PostgreSQL it takes the row lock, held to commit. The seat itself is then taken
with a conditional UPDATE (``seats_taken < capacity``) whose row count says whether a seat was left.
Callers commit; an IntegrityError (a double click) rolls everything back.
"""

from __future__ import annotations

import csv
import io
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..accounts.models import User
from ..extensions import db
from ..models import utcnow
from ..validation import ValidationError
from .models import CalendarToken, Clinic, Registration
from .notify import N_, message, send


def lock_clinic(clinic: Clinic) -> None:
    db.session.execute(
        update(Clinic)
        .where(Clinic.id == clinic.id)
        .values(seats_taken=Clinic.seats_taken)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(clinic)


def _take_seat(clinic: Clinic) -> bool:
    result = db.session.execute(
        update(Clinic)
        .where(Clinic.id == clinic.id, Clinic.seats_taken < Clinic.capacity)
        .values(seats_taken=Clinic.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _free_seat(clinic: Clinic) -> None:
    db.session.execute(
        update(Clinic)
        .where(Clinic.id == clinic.id, Clinic.seats_taken > 0)
        .values(seats_taken=Clinic.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def registration_for(clinic: Clinic, user) -> Registration | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration).where(Registration.clinic_id == clinic.id, Registration.user_id == user.id)
    )


def registration_closed_reason(clinic: Clinic, now: datetime | None = None) -> str | None:
    """Why registration is closed, or None."""
    now = now or utcnow()
    if clinic.status == "cancelled":
        return _("This clinic is cancelled.")
    if clinic.status == "done" or clinic.starts_at <= now:
        return _("This clinic has already taken place.")
    if clinic.registration_deadline and clinic.registration_deadline < now:
        return _("Registration for this clinic is closed.")
    return None


def register(clinic: Clinic, user) -> Registration:
    lock_clinic(clinic)
    problem = registration_closed_reason(clinic)
    if problem:
        raise ValidationError(problem)
    existing = registration_for(clinic, user)
    if existing is not None and existing.status != "cancelled":
        raise ValidationError(
            _("You are already registered for this clinic.")
            if existing.status == "registered"
            else _("You are already on the waitlist for this clinic.")
        )
    status = "registered" if _take_seat(clinic) else "waitlisted"
    now = utcnow()
    if existing is None:
        existing = Registration(clinic_id=clinic.id, user_id=user.id, status=status, queued_at=now, created_at=now)
        db.session.add(existing)
    else:
        existing.status, existing.queued_at, existing.cancelled_at = status, now, None
        existing.promoted_at = existing.reminded_at = None
    db.session.flush()
    db.session.refresh(clinic)
    return existing


def cancel(clinic: Clinic, user) -> Registration | None:
    """Cancel the member's place; the first on the waitlist takes a freed seat. Returns who was promoted."""
    lock_clinic(clinic)
    existing = registration_for(clinic, user)
    if existing is None or existing.status == "cancelled":
        raise ValidationError(_("You are not registered for this clinic."))
    had_seat = existing.status == "registered"
    existing.status, existing.cancelled_at = "cancelled", utcnow()
    db.session.flush()
    promoted = None
    if had_seat:
        _free_seat(clinic)
        promoted = promote_waitlist(clinic)
    db.session.refresh(clinic)
    return promoted[0] if promoted else None


def promote_waitlist(clinic: Clinic) -> list[Registration]:
    """Fill free seats from the waitlist in order, notifying each person promoted."""
    promoted: list[Registration] = []
    if clinic.status == "cancelled" or clinic.starts_at <= utcnow():
        return promoted
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.clinic_id == clinic.id, Registration.status == "waitlisted")
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    for registration in waiting:
        if not _take_seat(clinic):
            break
        registration.status, registration.promoted_at = "registered", utcnow()
        promoted.append(registration)
        send(
            registration.user_id,
            "clinic_promoted",
            message(N_("A place opened up: you are now registered for “%(title)s”."), title=clinic.title),
            f"/clinics/{clinic.id}",
        )
    db.session.flush()
    db.session.refresh(clinic)
    return promoted


def registrants(clinic: Clinic) -> dict[str, list[Registration]]:
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.clinic_id == clinic.id)
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    out: dict[str, list[Registration]] = {"registered": [], "waitlisted": [], "cancelled": []}
    for row in rows:
        out[row.status].append(row)
    return out


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != "waitlisted":
        return None
    ahead = db.session.scalars(
        select(Registration.id)
        .where(Registration.clinic_id == registration.clinic_id, Registration.status == "waitlisted")
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    return ahead.index(registration.id) + 1


def registrants_csv(clinic: Clinic) -> str:
    """For Excel in a Thai office: a BOM, headers and statuses in the interface language, BE dates in Thai."""
    from ..text.dates import format_datetime_input

    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 Thai correctly with a BOM
    writer = csv.writer(out)
    writer.writerow(
        [_("Status"), _("Order"), _("Name"), _("E-mail"), _("Agency"), _("Province"), _("Registered at (Bangkok time)")]
    )
    labels = {"registered": _("Registered"), "waitlisted": _("Waiting list"), "cancelled": _("Cancelled")}
    groups = registrants(clinic)
    for status in ("registered", "waitlisted", "cancelled"):
        for index, row in enumerate(groups[status], start=1):
            cells = [
                labels[status],
                index,
                row.user.name,
                row.user.email,
                row.user.agency,
                row.user.province or "",
                format_datetime_input(row.queued_at),
            ]
            writer.writerow([_csv_safe(c) for c in cells])
    return out.getvalue()


def _csv_safe(value):
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def my_registrations(user, upcoming_only: bool = False) -> list[Registration]:
    query = (
        select(Registration)
        .join(Clinic, Clinic.id == Registration.clinic_id)
        .where(Registration.user_id == user.id, Registration.status != "cancelled")
    )
    if upcoming_only:
        query = query.where(Clinic.ends_at >= utcnow())
    return db.session.scalars(query.order_by(Clinic.starts_at)).all()


def calendar_token(user, rotate: bool = False) -> str:
    row = db.session.get(CalendarToken, user.id)
    if row is None:
        row = CalendarToken(user_id=user.id, token=secrets.token_urlsafe(24))
        db.session.add(row)
    elif rotate:
        row.token, row.created_at = secrets.token_urlsafe(24), utcnow()
    db.session.flush()
    return row.token


def user_for_calendar_token(token: str):
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token == token))
    if row is None:
        return None

    user = db.session.get(User, row.user_id)
    return user if user is not None and user.active else None


def remind(days: int, now: datetime | None = None) -> int:
    """Notify everyone registered for a clinic starting within ``days`` days, once per registration."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Registration)
        .join(Clinic, Clinic.id == Registration.clinic_id)
        .where(
            Registration.status == "registered",
            Registration.reminded_at.is_(None),
            Clinic.status.in_(("planned", "confirmed")),
            Clinic.starts_at > now,
            Clinic.starts_at <= now + timedelta(days=days),
        )
    ).all()
    for row in rows:
        # kept as a message: the list shows it in its reader's language, the date in their style
        text = message(
            N_("Reminder: “%(title)s” starts %(when)s at %(venue)s."),
            title=row.clinic.title,
            when=row.clinic.starts_at,
            venue=row.clinic.venue or row.clinic.province or "-",
        )
        send(row.user_id, "clinic_reminder", text, f"/clinics/{row.clinic_id}")
        row.reminded_at = now
    db.session.flush()
    return len(rows)
