"""Clinic rules: validation, conflicts, create/edit/cancel, listing. Flush, never commit."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import BANGKOK, to_bangkok
from ..listing import where_coded
from ..models import utcnow
from ..search.outbox import record_change
from ..taxonomy import THAI_DIGITS, normalize_each
from ..text.dates import DateError, local_day, parse_datetime, window_problem, years
from ..text.markup import render_field
from ..text.thai import fold_digits
from ..trainers.models import Trainer
from ..trainers.services import find_trainer
from ..validation import ValidationError, check_codes, check_line, check_province
from .models import STATUSES, Clinic, ClinicCode, ClinicTrainer, Registration
from .notify import N_, message, send
from .registrations import lock_clinic, promote_waitlist

UTC = ZoneInfo("UTC")
MAX_DESCRIPTION = 20_000
# Changes subscribers' calendars must pick up: SEQUENCE rises when one of these changes.
# A clinic is planned at most this far ahead and recorded at most this far back.
CLINIC_WINDOW = years(3)
CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "venue", "province", "status")
# what a coordinator edits on a clinic, as stored
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "capacity", "registration_deadline")


class ClinicConflictError(ValidationError):
    """Trainer clashes the coordinator must acknowledge before saving."""


def to_utc(value) -> datetime | None:
    """Aware → UTC; naive → read as Bangkok time; text as Thai people type it. Returns naive UTC or None."""
    try:
        return parse_datetime(value)
    except DateError:
        return None


def _when(fields: dict, key: str, missing: str, errors: list, required: bool = True) -> datetime | None:
    try:
        value = parse_datetime(fields.get(key))
    except DateError as exc:
        errors.append((key, str(exc)))
        return None
    if value is None and required:
        errors.append((key, missing))
    return value


def bangkok_iso(value: datetime) -> str:
    return to_bangkok(value).isoformat()


def _trainers_by_name(names) -> tuple[list[Trainer], list[str]]:
    return normalize_each(names, r"[\n;]+", find_trainer)


def _checked_fields(fields: dict, clinic: Clinic | None) -> dict:
    """The clinic's columns from submitted fields; raises ValidationError naming every field at fault."""
    errors: list[tuple[str, str]] = []
    out: dict = {"title": check_line(fields, "title", 300, errors, required=_("Enter a title (up to 300 characters)."))}
    description = str(fields.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors.append(("description", _("The text is too long.")))
    out["description"] = description
    out.update(_checked_schedule(fields, errors))
    out["venue"] = check_line(fields, "venue", 300, errors)
    out["province"] = check_province(fields.get("province"), errors)
    out["codes"] = check_codes(fields.get("codes"), errors)
    out["capacity"] = _checked_capacity(fields.get("capacity"), clinic, errors)
    trainers, missing = _trainers_by_name(fields.get("trainers") or [])
    if missing:
        errors.append(("trainers", _("Not in the trainer directory: %(names)s.", names=", ".join(missing))))
    out["trainers"] = trainers
    status = fields.get("status") or (clinic.status if clinic else "planned")
    if status not in STATUSES:
        errors.append(("status", _("Unknown status.")))
    out["status"] = status
    if errors:
        raise ValidationError(errors)
    return out


def _checked_schedule(fields: dict, errors: list) -> dict:
    """starts_at, ends_at and registration_deadline, each in order and within the clinic window."""
    starts = _when(fields, "starts_at", _("Enter when the clinic starts."), errors)
    ends = _when(fields, "ends_at", _("Enter when the clinic ends."), errors)
    if starts and (
        problem := window_problem(
            local_day(starts), past=CLINIC_WINDOW, future=CLINIC_WINDOW, what=_("The start of the clinic")
        )
    ):
        errors.append(("starts_at", problem))
    elif starts and ends and ends <= starts:
        errors.append(("ends_at", _("The end must be after the start.")))
    elif starts and ends and ends - starts > timedelta(days=14):
        errors.append(("ends_at", _("A clinic lasts at most 14 days.")))
    deadline = _when(fields, "registration_deadline", "", errors, required=False)
    if deadline and starts and deadline > starts:
        errors.append(("registration_deadline", _("Registration must close before the clinic starts.")))
    elif deadline and starts and starts - deadline > years(1):
        errors.append(
            (
                "registration_deadline",
                _("Registration would close more than a year before the clinic starts. Check the year."),
            )
        )
    return {"starts_at": starts, "ends_at": ends, "registration_deadline": deadline}


def _checked_capacity(value, clinic: Clinic | None, errors: list) -> int:
    """Seats from 1 to 10,000, and never fewer than the people already registered."""
    try:
        capacity = int(str(value if value is not None else "").translate(THAI_DIGITS))
    except ValueError:
        capacity = -1
    if not 0 < capacity <= 10_000:
        errors.append(("capacity", _("Enter the number of seats (1 to 10,000).")))
    elif clinic is not None and capacity < clinic.seats_taken:
        errors.append(
            ("capacity", _("%(n)d people are already registered: the capacity cannot be lower.", n=clinic.seats_taken))
        )
    return capacity


def conflicts(
    trainers: list[Trainer], starts: datetime, ends: datetime, province: str | None, exclude_id: int | None = None
) -> list[str]:
    """A trainer in two overlapping clinics, or in two provinces on one (Bangkok) day."""
    if not trainers:
        return []
    day_start = datetime.combine(to_bangkok(starts).date(), datetime.min.time(), BANGKOK)
    window_start = min(starts, day_start.astimezone(UTC).replace(tzinfo=None))
    day_end = datetime.combine(to_bangkok(ends).date() + timedelta(days=1), datetime.min.time(), BANGKOK)
    window_end = max(ends, day_end.astimezone(UTC).replace(tzinfo=None))
    query = (
        select(Clinic, ClinicTrainer.trainer_id)
        .join(ClinicTrainer, ClinicTrainer.clinic_id == Clinic.id)
        .where(
            ClinicTrainer.trainer_id.in_([t.id for t in trainers]),
            Clinic.status != "cancelled",
            Clinic.starts_at < window_end,
            Clinic.ends_at > window_start,
        )
    )
    if exclude_id is not None:
        query = query.where(Clinic.id != exclude_id)
    names = {t.id: t.name for t in trainers}
    days = {
        to_bangkok(starts).date() + timedelta(days=i)
        for i in range((to_bangkok(ends).date() - to_bangkok(starts).date()).days + 1)
    }
    messages: list[str] = []
    for other, trainer_id in db.session.execute(query).all():
        if other.starts_at < ends and other.ends_at > starts:
            messages.append(
                _(
                    "%(name)s is already in “%(title)s” at an overlapping time.",
                    name=names[trainer_id],
                    title=other.title,
                )
            )
        elif other.province != province and to_bangkok(other.starts_at).date() in days:
            messages.append(
                _(
                    "%(name)s is in %(province)s on the same day (“%(title)s”).",
                    name=names[trainer_id],
                    province=other.province or "-",
                    title=other.title,
                )
            )
    return messages


def _check_conflicts(data: dict, exclude_id: int | None, acknowledge: bool) -> None:
    if data["status"] == "cancelled" or acknowledge:
        return
    found = conflicts(data["trainers"], data["starts_at"], data["ends_at"], data["province"], exclude_id)
    if found:
        raise ClinicConflictError([("acknowledge", m) for m in found])


def _write_codes_and_trainers(clinic: Clinic, data: dict) -> None:
    if data["codes"] != clinic.codes:
        clinic.code_rows = [ClinicCode(code=c) for c in data["codes"]]
    if [t.id for t in data["trainers"]] != [t.id for t in clinic.trainers]:
        clinic.trainer_rows = [
            ClinicTrainer(trainer_id=t.id, trainer=t, position=i) for i, t in enumerate(data["trainers"])
        ]


def create_clinic(*, actor=None, acknowledge: bool = False, **fields) -> Clinic:
    data = _checked_fields(fields, None)
    _check_conflicts(data, None, acknowledge)
    clinic = Clinic(
        uid=f"clinic-{uuid.uuid4()}@cop",
        created_by=getattr(actor, "id", None),
        **{k: data[k] for k in EDITABLE_FIELDS},
    )
    clinic.description_html = render_field(clinic.description, "description")
    _write_codes_and_trainers(clinic, data)
    db.session.add(clinic)
    db.session.flush()
    record_change("clinic", clinic.id)
    return clinic


def update_clinic(clinic: Clinic, *, acknowledge: bool = False, **fields) -> Clinic:
    lock_clinic(clinic)  # capacity is checked against registrations nobody can change meanwhile
    data = _checked_fields(fields, clinic)
    _check_conflicts(data, clinic.id, acknowledge)
    before = {k: getattr(clinic, k) for k in CALENDAR_FIELDS}
    before_trainers = [t.id for t in clinic.trainers]
    for key in EDITABLE_FIELDS:
        setattr(clinic, key, data[key])
    clinic.description_html = render_field(clinic.description, "description")
    _write_codes_and_trainers(clinic, data)
    after = {k: getattr(clinic, k) for k in CALENDAR_FIELDS}
    if before != after or before_trainers != [t.id for t in data["trainers"]]:
        clinic.sequence += 1
    clinic.updated_at = utcnow()
    db.session.flush()
    if before["status"] != "cancelled" and clinic.status == "cancelled":
        _tell_cancelled(clinic)
    elif clinic.status != "cancelled":
        promote_waitlist(clinic)
    record_change("clinic", clinic.id)
    return clinic


def cancel_clinic(clinic: Clinic) -> None:
    if clinic.status == "cancelled":
        return
    clinic.status = "cancelled"
    clinic.sequence += 1
    clinic.updated_at = utcnow()
    db.session.flush()
    _tell_cancelled(clinic)
    record_change("clinic", clinic.id)


def _tell_cancelled(clinic: Clinic) -> None:
    people = db.session.scalars(
        select(Registration.user_id).where(Registration.clinic_id == clinic.id, Registration.status != "cancelled")
    ).all()
    for user_id in people:
        send(
            user_id,
            "clinic_cancelled",
            message(N_("The clinic “%(title)s” is cancelled."), title=clinic.title),
            f"/clinics/{clinic.id}",
        )


def parse_month(raw: str | None) -> tuple[int, int] | None:
    """'2027-02', '2570-02' (Buddhist Era) or '02/2570' → (Gregorian year, month)."""
    if not raw:
        return None
    text = fold_digits(str(raw)).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if not match:
        return None
    a, b = match.groups()
    year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
    if year > 2400:
        year -= 543
    if not (1 <= month <= 12 and 1900 < year < 2200):
        return None
    return year, month


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = datetime(year, month, 1, tzinfo=BANGKOK)
    nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=BANGKOK)
    return first.astimezone(UTC).replace(tzinfo=None), nxt.astimezone(UTC).replace(tzinfo=None)


def clinic_query(
    *,
    province: str | None = None,
    code: str | None = None,
    category: str | None = None,
    month: tuple[int, int] | None = None,
    upcoming: bool = True,
    include_cancelled: bool = True,
):
    query = select(Clinic)
    if province:
        query = query.where(Clinic.province == province)
    query = where_coded(query, Clinic.id, ClinicCode.clinic_id, ClinicCode.code, code, category)
    if month:
        start, end = month_bounds(*month)
        query = query.where(Clinic.starts_at >= start, Clinic.starts_at < end)
    elif upcoming:
        query = query.where(Clinic.ends_at >= utcnow())
    if not include_cancelled:
        query = query.where(Clinic.status != "cancelled")
    return query.order_by(Clinic.starts_at, Clinic.id)


def list_clinics(**filters) -> list[Clinic]:
    return db.session.scalars(clinic_query(**filters)).all()


def past_clinics(limit: int = 20) -> list[Clinic]:
    return db.session.scalars(
        select(Clinic)
        .where(Clinic.ends_at < utcnow(), Clinic.status != "cancelled")
        .order_by(Clinic.starts_at.desc())
        .limit(limit)
    ).all()


def is_past(clinic: Clinic) -> bool:
    return clinic.ends_at < utcnow() or clinic.status == "done"


def reindex_clinics_of_trainer(trainer_id: int) -> None:
    """Clinic documents show trainer names: when a trainer changes, so do their clinics' documents."""
    for clinic_id in db.session.scalars(select(ClinicTrainer.clinic_id).where(ClinicTrainer.trainer_id == trainer_id)):
        record_change("clinic", clinic_id)


def list_clinics_for_trainer(trainer, limit: int = 20) -> list[Clinic]:
    return db.session.scalars(
        select(Clinic)
        .join(ClinicTrainer, ClinicTrainer.clinic_id == Clinic.id)
        .where(ClinicTrainer.trainer_id == trainer.id, Clinic.ends_at >= utcnow(), Clinic.status != "cancelled")
        .order_by(Clinic.starts_at)
        .limit(limit)
    ).all()
