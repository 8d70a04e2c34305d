"""Hotline rules: numbers and the rota of who answers when. Flush, never commit."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import utcnow
from ..text.thai import fold_digits
from ..validation import ValidationError
from .models import Hotline, HotlineShift

PHONE_RE = re.compile(r"[0-9+()\- ]{3,30}")


def find_hotline(name: str) -> Hotline | None:
    return db.session.scalar(select(Hotline).where(func.lower(Hotline.name) == (name or "").strip().lower()))


def _clean(fields: dict, hotline: Hotline | None) -> dict:
    errors: list[tuple[str, str]] = []
    out = {k: " ".join(str(fields.get(k) or "").split()) for k in ("name", "phone", "extension", "hours", "agency")}
    out["phone"] = fold_digits(out["phone"])
    out["extension"] = fold_digits(out["extension"])
    if not out["name"] or len(out["name"]) > 300:
        errors.append(("name", _("Enter a name (up to 300 characters).")))
    else:
        other = find_hotline(out["name"])
        if other is not None and (hotline is None or other.id != hotline.id):
            errors.append(("name", _("A hotline with this name already exists.")))
    if not PHONE_RE.fullmatch(out["phone"]):
        errors.append(("phone", _("Enter a telephone number using digits, spaces and dashes.")))
    if len(out["extension"]) > 50:
        errors.append(("extension", _("This is too long (up to %(n)d characters).", n=50)))
    for key, limit in (("hours", 300), ("agency", 200)):
        if len(out[key]) > limit:
            errors.append((key, _("This is too long (up to %(n)d characters).", n=limit)))
    if errors:
        raise ValidationError(errors)
    return out


def create_hotline(**fields) -> Hotline:
    hotline = Hotline(**_clean(fields, None))
    db.session.add(hotline)
    db.session.flush()
    return hotline


def update_hotline(hotline: Hotline, **fields) -> Hotline:
    for key, value in _clean(fields, hotline).items():
        setattr(hotline, key, value)
    db.session.flush()
    return hotline


def delete_hotline(hotline: Hotline) -> None:
    db.session.delete(hotline)
    db.session.flush()


def list_hotlines() -> list[Hotline]:
    from pythainlp.util import collate

    hotlines = db.session.scalars(select(Hotline)).all()
    order = {n: i for i, n in enumerate(collate([h.name for h in hotlines]))}
    return sorted(hotlines, key=lambda h: order[h.name])


def add_shift(hotline: Hotline, staff_name: str, starts_at, ends_at) -> HotlineShift:
    from ..text.dates import local_day, window_problem, years
    from .services import _when

    errors = []
    staff_name = " ".join((staff_name or "").split())
    if not staff_name or len(staff_name) > 200:
        errors.append(("staff_name", _("Enter who answers the line (up to 200 characters).")))
    when = {"starts_at": starts_at, "ends_at": ends_at}
    starts = _when(when, "starts_at", _("Enter a valid date and time."), errors)
    ends = _when(when, "ends_at", _("Enter a valid date and time."), errors)
    if starts and (
        problem := window_problem(local_day(starts), past=years(1), future=years(3), what=_("The start of the shift"))
    ):
        errors.append(("starts_at", problem))
    elif starts and ends and ends <= starts:
        errors.append(("ends_at", _("The end must be after the start.")))
    elif starts and ends and ends - starts > timedelta(days=31):
        errors.append(("ends_at", _("A shift lasts at most 31 days. Check the dates.")))
    if errors:
        raise ValidationError(errors)
    shift = HotlineShift(hotline_id=hotline.id, staff_name=staff_name, starts_at=starts, ends_at=ends)
    db.session.add(shift)
    db.session.flush()
    return shift


def delete_shift(shift: HotlineShift) -> None:
    db.session.delete(shift)
    db.session.flush()


def current_and_next_shifts(hotline: Hotline, limit: int = 5) -> list[HotlineShift]:
    now = utcnow()
    return [s for s in hotline.shifts if s.ends_at >= now][:limit]
