"""What a complete AAR record is: submitted fields checked and turned into values to store.

``clean`` reports every problem at once (one ``ValidationError``); nothing is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import inspect, text

from ..accounts.models import User
from ..accounts.services import find_user
from ..extensions import db
from ..taxonomy import THAI_DIGITS, normalize_categories, with_implied_categories
from ..taxonomy import categories as all_categories
from ..text import dates
from ..text.markup import render_field
from ..validation import ValidationError, check_codes, check_line, check_province, one_line
from .models import ANSWERS, LINK_TYPES

MAX_TEXT = 20_000  # characters per answer
TITLE_MAX = VENUE_MAX = 300
AGENCY_MAX = 200
MAX_FACILITATORS = 20
MAX_AGENCIES = 50
LINK_TABLES = {"clinic": "clinics", "story": "stories", "thread": "threads"}
TEXTS = (*ANSWERS, "body")


def answer_labels() -> dict[str, str]:
    return {
        "expected": _("What was supposed to happen"),
        "actual": _("What actually happened"),
        "why": _("Why there was a difference"),
        "next_time": _("What we do next time"),
    }


def unanswered_problem(missing: list[str]) -> tuple[str, str]:
    labels = answer_labels()
    return (
        "",
        _(
            "An AAR can be published only when all four questions are answered. Still missing: %(missing)s.",
            missing=", ".join(labels[m] for m in missing),
        ),
    )


def split_list(value, pattern=r"[,;\n]+") -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(pattern, value)
    return [str(v).strip() for v in value if str(v).strip()]


def parse_date(value) -> date | None:
    """A date as Thai people type it (cop.text.dates); raises DateError (a ValueError) with the reason."""
    return dates.parse_date(value)


# An AAR is written after the workshop (PMQA workshops go back to 2548/2005: past=None means from 2000).
AAR_PAST = None
DUE_FUTURE = dates.years(10)


def date_field(fields: dict, key: str, errors: list) -> date | None:
    try:
        return parse_date(fields.get(key))
    except ValueError as exc:
        errors.append((key, str(exc)))
        return None


def _whole_number(value) -> int:
    return int(str(value).translate(THAI_DIGITS).strip())


@dataclass
class AarValues:
    columns: dict = field(default_factory=dict)  # plain columns of the Aar row, by name
    facilitators: list[User] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def clean(fields: dict, publish: bool) -> AarValues:
    """Check the submitted fields of an AAR; raises ``ValidationError`` with every problem found."""
    errors: list[tuple[str, str]] = []
    values = AarValues()
    title = check_line(
        fields, "title", TITLE_MAX, errors, required=_("Enter the workshop's title (up to 300 characters).")
    )
    venue = one_line(fields.get("venue"))
    if len(venue) > VENUE_MAX:
        errors.append(("venue", _("The venue is too long (up to 300 characters).")))
    values.columns.update(
        title=title,
        venue=venue,
        province=check_province(fields.get("province"), errors),
        participants=_participants(fields, errors),
    )
    values.columns.update(_dates(fields, errors))
    values.columns.update(_link(fields, errors))
    values.columns.update(_texts(fields, errors, publish))
    values.facilitators = _facilitators(fields, errors)
    values.agencies = _agencies(fields, errors)
    values.codes, values.categories = _codes_and_categories(fields, errors)
    if errors:
        raise ValidationError(errors)
    return values


def _dates(fields: dict, errors: list) -> dict:
    held_on = date_field(fields, "held_on", errors)
    held_until = date_field(fields, "held_until", errors)
    if held_on is None and not any(f == "held_on" for f, _m in errors):
        errors.append(("held_on", _("Enter the date the workshop was held.")))
    for key, day in (("held_on", held_on), ("held_until", held_until)):
        problem = day and dates.window_problem(day, past=AAR_PAST, future=timedelta(0), what=_("The workshop date"))
        if problem:
            errors.append((key, problem))
    if held_on and held_until and held_until < held_on:
        errors.append(("held_until", _("The last day cannot be before the first.")))
    elif held_on and held_until and (held_until - held_on).days > 60:
        errors.append(("held_until", _("A workshop of more than 60 days? Check the last day.")))
    return {"held_on": held_on, "held_until": None if held_on == held_until else held_until}


def _participants(fields: dict, errors: list) -> int | None:
    raw = fields.get("participants")
    if raw in ("", None):
        return None
    try:
        participants = _whole_number(raw)
        if 0 <= participants <= 1_000_000:
            return participants
    except ValueError:
        pass
    errors.append(("participants", _("Enter the number of participants as a whole number.")))
    return None


def _facilitators(fields: dict, errors: list) -> list[User]:
    users: list[User] = []
    for email in split_list(fields.get("facilitators"), r"[,;\s]+"):
        user = find_user(email)
        if user is None:
            errors.append(("facilitators", _("No account uses the e-mail %(email)s.", email=email)))
        elif user not in users:
            users.append(user)
    if len(users) > MAX_FACILITATORS:
        errors.append(("facilitators", _("List at most 20 facilitators.")))
    return users


def _agencies(fields: dict, errors: list) -> list[str]:
    agencies: list[str] = []
    for name in split_list(fields.get("agencies"), r"[;\n]+"):
        name = " ".join(name.split())
        if len(name) > AGENCY_MAX:
            errors.append(("agencies", _("An agency name is too long (up to 200 characters).")))
        elif name not in agencies:
            agencies.append(name)
    if len(agencies) > MAX_AGENCIES:
        errors.append(("agencies", _("List at most 50 agencies.")))
    return agencies


def _codes_and_categories(fields: dict, errors: list) -> tuple[list[str], list[str]]:
    codes = check_codes(fields.get("codes"), errors)
    explicit, rejected = normalize_categories(fields.get("categories") or [])
    if rejected:
        errors.append(("categories", _("Unknown PMQA category: %(cats)s.", cats=", ".join(rejected))))
    wanted = set(with_implied_categories(explicit, codes))
    return codes, [c.key for c in all_categories() if c.key in wanted]


def _link(fields: dict, errors: list) -> dict:
    link_type = fields.get("link_type") or None
    link_id = fields.get("link_id")
    if link_id in ("", None):
        link_id = None
    none = {"link_type": None, "link_id": None}
    if link_type is None and link_id is None:
        return none
    if link_type not in LINK_TYPES:
        errors.append(("link_type", _("Choose what the AAR is linked to: a clinic, a story or a thread.")))
        return none
    try:
        link_id = _whole_number(link_id)
        if link_id <= 0:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(("link_id", _("Enter the number of the linked item.")))
        return none
    problem = _link_problem(link_type, link_id)
    if problem:
        errors.append(("link_id", problem))
    return {"link_type": link_type, "link_id": link_id}


def _link_problem(link_type: str, link_id: int) -> str | None:
    """Checked only where the linked feature's table exists: the AAR archive stands on its own."""
    table = LINK_TABLES[link_type]
    if not inspect(db.engine).has_table(table):
        return None
    found = db.session.execute(text(f"SELECT 1 FROM {table} WHERE id = :id"), {"id": link_id}).first()  # nosec B608  # table comes from the fixed LINK_TABLES map; the id is bound
    if found:
        return None
    messages = {
        "clinic": _("There is no mobile clinic with number %(id)d.", id=link_id),
        "story": _("There is no case story with number %(id)d.", id=link_id),
        "thread": _("There is no question thread with number %(id)d.", id=link_id),
    }
    return messages[link_type]


def _texts(fields: dict, errors: list, publish: bool) -> dict:
    """The four answers and the notes, with their rendered HTML; all four answers to publish."""
    texts = {name: str(fields.get(name) or "").replace("\r\n", "\n") for name in TEXTS}
    too_long = _("This text is too long (at most %(n)d characters).", n=MAX_TEXT)
    columns = dict(texts)
    for name, source in texts.items():
        columns[f"{name}_html"] = render_field(source, name, errors, too_long, MAX_TEXT)
    missing = [name for name in ANSWERS if not texts[name].strip()] if publish else []
    if missing:
        errors.append(unanswered_problem(missing))
        errors += [(m, _("Answer this question before publishing.")) for m in missing]
    return columns
