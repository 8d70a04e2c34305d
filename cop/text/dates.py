"""Dates and times as Thai people type them, for every form, the API and the importer.

A year above 2400 is Buddhist Era (2570-01-20 is 2027-01-20); Thai digits are read as Arabic ones;
`20/01/2570`, `2570-01-20`, `20 ม.ค. 2570`, `09:00` and `9.00 น.` are all understood. A time without an
offset is Bangkok time; stored datetimes are naive UTC (see cop.i18n.to_bangkok).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from babel.dates import get_month_names
from flask_babel import gettext as _

from ..i18n import BANGKOK, BE_OFFSET, to_bangkok
from ..taxonomy import THAI_DIGITS

BE_THRESHOLD = 2400


class DateError(ValueError):
    """Text that is not a date; the message is user-facing and already translated."""


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("th", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower().replace(".", "")] = number
    return names


_MONTHS = _month_names()
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s*([^\d\s]+?)\s*(\d{4})")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2})(?:\.\d+)?)?\s*(?:น\.?|นาฬิกา)?")
_OFFSET = re.compile(r"(?<=\d)(Z|[+-]\d{2}:?\d{2})$")


def gregorian_year(year: int) -> int:
    return year - BE_OFFSET if year > BE_THRESHOLD else year


def _fold(text: str) -> str:
    return " ".join(str(text).translate(THAI_DIGITS).split())


def _date_hint() -> str:
    return _("Write the date as DD/MM/YYYY, for example 20/01/2570 (a Buddhist-Era or Gregorian year).")


def _time_hint() -> str:
    return _("Write the date and time as DD/MM/YYYY HH:MM, for example 20/01/2570 09:00.")


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(gregorian_year(year), month, day)
    except ValueError:
        raise DateError(_("There is no such day: %(text)s.", text=f"{day}/{month}/{year}")) from None


def _split_date(text: str, hint=None) -> tuple[date, str]:
    """Read a date at the start of text; returns it and the rest."""
    if m := _ISO.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3])), text[m.end() :]
    if m := _DMY.match(text):
        return _make_date(int(m[3]), int(m[2]), int(m[1])), text[m.end() :]
    if (m := _WORDS.match(text)) and (month := _MONTHS.get(m[2].lower().replace(".", ""))):
        return _make_date(int(m[3]), month, int(m[1])), text[m.end() :]
    raise DateError((hint or _date_hint)())


def parse_date(value) -> date | None:
    """'20/01/2570', '2570-01-20', '๒๐/๐๑/๒๕๗๐', '20 ม.ค. 2570' → date(2027, 1, 20); empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise DateError(_date_hint())
    day, rest = _split_date(_fold(value))
    if rest.strip(" T"):
        raise DateError(_date_hint())
    return day


def parse_time(text: str) -> time:
    """'09:00', '9.00 น.', '9 น.', '21:30:15' → time."""
    m = _TIME.fullmatch(_fold(text).strip())
    if not m:
        raise DateError(_time_hint())
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(_("There is no such time: %(text)s.", text=text.strip()))
    return time(hour, minute, second)


def parse_datetime(value) -> datetime | None:
    """A date and time → naive UTC, as stored. Naive input is Bangkok time; a bare date is midnight."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=BANGKOK)
    elif isinstance(value, date):
        aware = datetime.combine(value, time(), BANGKOK)
    elif isinstance(value, str):
        aware = _parse_datetime_text(_fold(value))
    else:
        raise DateError(_time_hint())
    return aware.astimezone(UTC).replace(tzinfo=None)


def _parse_datetime_text(text: str) -> datetime:
    tz = BANGKOK
    if "T" in text and (m := _OFFSET.search(text)):  # ISO 8601 only: "09:00-12:00" typed by hand is no offset
        raw = m[1]
        if raw == "Z":
            tz = UTC
        else:
            sign = -1 if raw[0] == "-" else 1
            digits = raw[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        text = text[: m.start()]
    day, rest = _split_date(text, _time_hint)
    rest = rest.strip().removeprefix("T").strip()
    rest = re.sub(r"^(เวลา|at)\s*", "", rest)
    clock = parse_time(rest) if rest else time()
    return datetime.combine(day, clock, tz)


# --- showing back in forms ---------------------------------------------------------------------


def _thai(locale: str | None) -> bool:
    if locale is None:
        from flask_babel import get_locale

        locale = str(get_locale() or "th")
    return locale.startswith("th")


def format_date_input(value: date | None, locale: str | None = None) -> str:
    """What a date field shows: '20/01/2570' in Thai, '20/01/2027' in English (day first, as in Thailand)."""
    if value is None:
        return ""
    year = value.year + BE_OFFSET if _thai(locale) else value.year
    return f"{value.day:02d}/{value.month:02d}/{year}"


def format_datetime_input(value: datetime | None, locale: str | None = None) -> str:
    """A stored (naive UTC) or aware datetime as the form shows it, in Bangkok time."""
    if value is None:
        return ""
    local = to_bangkok(value)
    return f"{format_date_input(local.date(), locale)} {local:%H:%M}"


# --- sane windows ------------------------------------------------------------------------------


def today_bangkok() -> date:
    return datetime.now(BANGKOK).date()


def years(n: float) -> timedelta:
    return timedelta(days=round(365.25 * n))


EARLIEST = date(2000, 1, 1)  # nothing we record (PMQA began in 2548/2005) happened before this


def window_problem(day: date, *, past: timedelta | None, future: timedelta | None, what: str) -> str | None:
    """A message saying why a date (Bangkok calendar) lies outside [today - past, today + future].

    past=None means "back to 2000": older dates are typing mistakes (a Buddhist-Era year read twice)."""
    today = today_bangkok()
    shown = format_date_input(day)
    if past is None and day < EARLIEST:
        return _("%(what)s is before 2000 (%(date)s). Check the year.", what=what, date=shown)
    if future is not None and day > today + future:
        if future <= timedelta(days=1):
            return _("%(what)s cannot be in the future (%(date)s). Check the year.", what=what, date=shown)
        return _(
            "%(what)s is more than %(n)d years ahead (%(date)s). Check the year: 2570 and 2027 are the same year.",
            what=what,
            n=round(future.days / 365.25),
            date=shown,
        )
    if past is not None and day < today - past:
        return _(
            "%(what)s is more than %(n)d years ago (%(date)s). Check the year: 2570 and 2027 are the same year.",
            what=what,
            n=round(past.days / 365.25),
            date=shown,
        )
    return None


def local_day(value: datetime) -> date:
    """The Bangkok calendar day of a stored (naive UTC) datetime."""
    return to_bangkok(value).date()


def parse_past_datetime(value, field: str) -> datetime | None:
    """A recorded moment (published, posted): not in the future, not before 2000. Raises ValidationError."""
    from ..validation import ValidationError

    try:
        stored = parse_datetime(value)
    except DateError as exc:
        raise ValidationError(str(exc), field) from None
    if stored is None:
        return None
    problem = window_problem(local_day(stored), past=None, future=timedelta(days=1), what=_("This time"))
    if problem:
        raise ValidationError(problem, field)
    return stored


FIRST_FISCAL_YEAR_BE = 2540


def fiscal_year_problem(year_be: int) -> str | None:
    """A story's fiscal year (Buddhist Era) from 2540 to next year, or a message saying why not."""
    from ..i18n import fiscal_year_be

    last = fiscal_year_be(today_bangkok()) + 1
    if year_be > last:
        return _("The fiscal year %(year)d has not come yet: enter a year up to %(last)d.", year=year_be, last=last)
    if year_be < FIRST_FISCAL_YEAR_BE:
        return _(
            "The fiscal year %(year)d is too long ago: enter a year from %(first)d.",
            year=year_be,
            first=FIRST_FISCAL_YEAR_BE,
        )
    return None
