"""AAR rules: who may write, what a complete record is, action items and their states, outputs.

Functions flush but never commit: the caller (a view, the importer or a CLI command) owns the
transaction. Every change to what search shows records an outbox row in the same transaction.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, inspect, select, text

from ..accounts.models import User
from ..accounts.services import find_user
from ..extensions import db
from ..i18n import BANGKOK
from ..models import utcnow
from ..search.outbox import record_change
from ..taxonomy import THAI_DIGITS, categories as all_categories, category_of, normalize_categories, \
    normalize_codes, normalize_province
from ..text import dates
from ..validation import ValidationError
from .models import (ACTION_STATES, ANSWERS, LINK_TYPES, Aar, AarAgency, AarAttachment, AarFacilitator, AarTag,
                     ActionItem)

MAX_TEXT = 20_000  # characters per answer
LINK_TABLES = {"clinic": "clinics", "story": "stories", "thread": "threads"}
LINK_PATHS = {"clinic": "/clinics/{id}", "story": "/stories/{id}", "thread": "/threads/{id}"}


def answer_labels() -> dict[str, str]:
    return {"expected": _("What was supposed to happen"), "actual": _("What actually happened"),
            "why": _("Why there was a difference"), "next_time": _("What we do next time")}


def today() -> date:
    return datetime.now(BANGKOK).date()


# --- permissions ---------------------------------------------------------------------------

def can_create(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role("facilitator"))


def can_edit(user, aar: Aar) -> bool:
    """Admins edit every AAR; a facilitator edits the AARs they created or facilitated."""
    if not can_create(user):
        return False
    if user.has_role("admin"):
        return True
    return aar.created_by_id == user.id or any(link.user_id == user.id for link in aar.facilitator_links)


def can_view(user, aar: Aar) -> bool:
    return aar.is_published or can_edit(user, aar)


# --- parsing helpers -----------------------------------------------------------------------

def _split(value, pattern=r"[,;\n]+") -> list[str]:
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


def _date_field(fields: dict, key: str, errors: list) -> date | None:
    try:
        return parse_date(fields.get(key))
    except ValueError as exc:
        errors.append((key, str(exc)))
        return None


def _render(source: str, field: str, errors: list) -> str:
    from ..text.markup import MarkupError, render_markdown

    if len(source) > MAX_TEXT:
        errors.append((field, _("This text is too long (at most %(n)d characters).", n=MAX_TEXT)))
        return ""
    try:
        return render_markdown(source) if source.strip() else ""
    except MarkupError:
        errors.append((field, _("This text is too long (at most %(n)d characters).", n=MAX_TEXT)))
        return ""


def link_url(aar: Aar) -> str | None:
    if aar.link_type in LINK_PATHS and aar.link_id:
        return LINK_PATHS[aar.link_type].format(id=aar.link_id)
    return None


# What the "linked to" list offers: visible items only (a draft's title is not everyone's to see).
_LINK_CHOICES_SQL = {
    "clinic": "SELECT id, title, province FROM clinics ORDER BY starts_at DESC, id DESC",
    "story": "SELECT id, title, NULL FROM stories WHERE published_at IS NOT NULL AND hidden_at IS NULL ORDER BY id DESC",
    "thread": "SELECT id, title, NULL FROM threads WHERE hidden = :no ORDER BY id DESC",
}
LINK_CHOICE_LIMIT = 200


def link_title(link_type: str | None, link_id: int | None) -> str | None:
    if link_type not in LINK_TABLES or not link_id or not inspect(db.engine).has_table(LINK_TABLES[link_type]):
        return None
    return db.session.execute(text(f"SELECT title FROM {LINK_TABLES[link_type]} WHERE id = :id"),  # nosec B608  # fixed table map, bound id
                              {"id": link_id}).scalar()


def link_choices(current_type: str | None = None, current_id: int | None = None) -> dict[str, list[tuple[str, str]]]:
    """The most recent clinics, stories and questions by title, for picking what an AAR belongs to."""
    labels = {"clinic": _("Mobile clinics"), "story": _("Case stories"), "thread": _("Questions")}
    groups: dict[str, list[tuple[str, str]]] = {}
    tables = inspect(db.engine)
    for kind, sql in _LINK_CHOICES_SQL.items():
        if not tables.has_table(LINK_TABLES[kind]):
            continue
        rows = db.session.execute(text(f"{sql} LIMIT {LINK_CHOICE_LIMIT}"), {"no": False}).all()  # nosec B608  # fixed SQL
        options = [(f"{kind}:{row[0]}", f"{row[1]} ({row[2]})" if row[2] else row[1]) for row in rows]
        if kind == current_type and current_id and f"{kind}:{current_id}" not in dict(options):
            title = link_title(kind, current_id)
            if title:
                options.insert(0, (f"{kind}:{current_id}", title))
        groups[labels[kind]] = options
    return groups


def _link_problem(link_type: str, link_id: int) -> str | None:
    """Checked only where the linked feature's table exists: the AAR archive stands on its own."""
    table = LINK_TABLES[link_type]
    if not inspect(db.engine).has_table(table):
        return None
    found = db.session.execute(text(f"SELECT 1 FROM {table} WHERE id = :id"), {"id": link_id}).first()  # nosec B608  # table comes from the fixed LINK_TABLES map; the id is bound
    if found:
        return None
    messages = {"clinic": _("There is no mobile clinic with number %(id)d.", id=link_id),
                "story": _("There is no case story with number %(id)d.", id=link_id),
                "thread": _("There is no question thread with number %(id)d.", id=link_id)}
    return messages[link_type]


# --- writing an AAR ------------------------------------------------------------------------

def create_aar(author: User | None, *, publish: bool = False, **fields) -> Aar:
    aar = Aar(created_by=author, status="draft")
    if author is not None and not _split(fields.get("facilitators")):
        fields["facilitators"] = [author.email]
    _apply(aar, fields, publish=publish)
    db.session.add(aar)
    db.session.flush()
    record_change("aar", aar.id)
    return aar


def update_aar(aar: Aar, *, publish: bool | None = None, **fields) -> Aar:
    """``publish`` True publishes, False returns to draft, None keeps the status."""
    _apply(aar, fields, publish=aar.is_published if publish is None else publish)
    aar.updated_at = utcnow()
    db.session.flush()
    record_change("aar", aar.id)
    return aar


def _apply(aar: Aar, fields: dict, publish: bool) -> None:
    errors: list[tuple[str, str]] = []
    title = " ".join(str(fields.get("title") or "").split())
    if not title or len(title) > 300:
        errors.append(("title", _("Enter the workshop's title (up to 300 characters).")))

    held_on = _date_field(fields, "held_on", errors)
    held_until = _date_field(fields, "held_until", errors)
    if held_on is None and not any(f == "held_on" for f, _m in errors):
        errors.append(("held_on", _("Enter the date the workshop was held.")))
    for key, day in (("held_on", held_on), ("held_until", held_until)):
        problem = day and dates.window_problem(day, past=AAR_PAST, future=timedelta(0),
                                               what=_("The workshop date"))
        if problem:
            errors.append((key, problem))
    if held_on and held_until and held_until < held_on:
        errors.append(("held_until", _("The last day cannot be before the first.")))
    elif held_on and held_until and (held_until - held_on).days > 60:
        errors.append(("held_until", _("A workshop of more than 60 days? Check the last day.")))
    if held_on == held_until:
        held_until = None

    venue = " ".join(str(fields.get("venue") or "").split())
    if len(venue) > 300:
        errors.append(("venue", _("The venue is too long (up to 300 characters).")))

    province = None
    raw_province = fields.get("province")
    if raw_province:
        province = normalize_province(raw_province)
        if province is None:
            errors.append(("province", _("Choose a province from the list.")))

    participants = fields.get("participants")
    if participants in ("", None):
        participants = None
    else:
        try:
            participants = int(str(participants).translate(THAI_DIGITS).strip())
            if not 0 <= participants <= 1_000_000:
                raise ValueError
        except ValueError:
            errors.append(("participants", _("Enter the number of participants as a whole number.")))
            participants = None

    users: list[User] = []
    for email in _split(fields.get("facilitators"), r"[,;\s]+"):
        user = find_user(email)
        if user is None:
            errors.append(("facilitators", _("No account uses the e-mail %(email)s.", email=email)))
        elif user not in users:
            users.append(user)
    if len(users) > 20:
        errors.append(("facilitators", _("List at most 20 facilitators.")))

    agencies: list[str] = []
    for name in _split(fields.get("agencies"), r"[;\n]+"):
        name = " ".join(name.split())
        if len(name) > 200:
            errors.append(("agencies", _("An agency name is too long (up to 200 characters).")))
        elif name not in agencies:
            agencies.append(name)
    if len(agencies) > 50:
        errors.append(("agencies", _("List at most 50 agencies.")))

    codes, rejected = normalize_codes(fields.get("codes") or [])
    if rejected:
        errors.append(("codes", _("Unknown activity code(s): %(codes)s.", codes=", ".join(rejected))))
    explicit, rejected = normalize_categories(fields.get("categories") or [])
    if rejected:
        errors.append(("categories", _("Unknown PMQA category: %(cats)s.", cats=", ".join(rejected))))
    wanted = set(explicit) | {category_of(code) for code in codes}
    cats = [c.key for c in all_categories() if c.key in wanted]

    link_type = fields.get("link_type") or None
    link_id = fields.get("link_id")
    if link_id in ("", None):
        link_id = None
    if link_type is None and link_id is None:
        pass
    elif link_type not in LINK_TYPES:
        errors.append(("link_type", _("Choose what the AAR is linked to: a clinic, a story or a thread.")))
    else:
        try:
            link_id = int(str(link_id).translate(THAI_DIGITS).strip())
            if link_id <= 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(("link_id", _("Enter the number of the linked item.")))
        else:
            problem = _link_problem(link_type, link_id)
            if problem:
                errors.append(("link_id", problem))

    texts = {name: str(fields.get(name) or "").replace("\r\n", "\n") for name in (*ANSWERS, "body")}
    html = {name: _render(source, name, errors) for name, source in texts.items()}

    if publish:
        missing = [name for name in ANSWERS if not texts[name].strip()]
        if missing:
            labels = answer_labels()
            errors.append(("", _("An AAR can be published only when all four questions are answered. "
                                 "Still missing: %(missing)s.", missing=", ".join(labels[m] for m in missing))))
            errors += [(m, _("Answer this question before publishing.")) for m in missing]

    if errors:
        raise ValidationError(errors)

    aar.title, aar.held_on, aar.held_until, aar.venue = title, held_on, held_until, venue
    aar.province, aar.participants = province, participants
    aar.link_type, aar.link_id = (link_type, link_id) if link_type else (None, None)
    for name in (*ANSWERS, "body"):
        setattr(aar, name, texts[name])
        setattr(aar, f"{name}_html", html[name])

    current = {link.user_id: link for link in aar.facilitator_links}
    aar.facilitator_links = [current.get(u.id) or AarFacilitator(user=u) for u in users]
    for position, link in enumerate(aar.facilitator_links):
        link.position = position
    aar.agency_rows = [AarAgency(name=name) for name in agencies]
    aar.tags = [AarTag(kind="code", value=c) for c in codes] + [AarTag(kind="category", value=c) for c in cats]

    if publish and not aar.is_published:
        aar.status, aar.published_at = "published", utcnow()
    elif not publish:
        aar.status, aar.published_at = "draft", None


def publish(aar: Aar) -> None:
    """Publish as it stands; refused (with the missing answers named) unless all four are answered."""
    missing = aar.missing_answers
    if missing:
        labels = answer_labels()
        raise ValidationError(
            [("", _("An AAR can be published only when all four questions are answered. "
                    "Still missing: %(missing)s.", missing=", ".join(labels[m] for m in missing)))])
    if not aar.is_published:
        aar.status, aar.published_at = "published", utcnow()
        record_change("aar", aar.id)


def unpublish(aar: Aar) -> None:
    if aar.is_published:
        aar.status, aar.published_at = "draft", None
        record_change("aar", aar.id)


def delete_aar(aar: Aar) -> list[str]:
    """Remove the AAR; returns the stored names of its files, to delete after commit."""
    names = [a.stored_name for a in aar.attachments]
    aar_id = aar.id
    db.session.delete(aar)
    db.session.flush()
    record_change("aar", aar_id)
    return names


# --- action items --------------------------------------------------------------------------

def add_action(aar: Aar, *, what: str, owner: str, due_on=None, state: str = "open", reason: str = "") -> ActionItem:
    errors = []
    what = " ".join(str(what or "").split())
    owner = " ".join(str(owner or "").split())
    if not what or len(what) > 500:
        errors.append(("what", _("Say what is to be done (up to 500 characters).")))
    if not owner or len(owner) > 200:
        errors.append(("owner", _("Name who will do it (a person, team or agency).")))
    due = _date_field({"due_on": due_on}, "due_on", errors)
    if due and (problem := dates.window_problem(due, past=AAR_PAST, future=DUE_FUTURE, what=_("The due date"))):
        errors.append(("due_on", problem))
    if errors:
        raise ValidationError(errors)
    item = ActionItem(what=what, owner=owner, due_on=due)
    aar.actions.append(item)
    set_action_state(item, state, reason)
    db.session.flush()
    return item


def set_action_state(item: ActionItem, state: str, reason: str = "") -> None:
    reason = " ".join(str(reason or "").split())
    if state not in ACTION_STATES:
        raise ValidationError(_("Choose open, done or dropped."), "state")
    if state == "dropped" and not reason:
        raise ValidationError(_("Say why the item is dropped."), "reason")
    if len(reason) > 500:
        raise ValidationError(_("The reason is too long (up to 500 characters)."), "reason")
    if state != item.state:
        item.closed_at = None if state == "open" else utcnow()
    item.state = state
    item.reason = reason if state == "dropped" else ""


def delete_action(item: ActionItem) -> None:
    db.session.delete(item)
    db.session.flush()


# --- outputs (attachments): the stories feature's upload rules and store -------------------

def add_attachment(aar: Aar, upload, uploader: User | None) -> AarAttachment:
    from . import uploads

    saved = uploads.save(upload, already=len(aar.attachments))
    attachment = AarAttachment(stored_name=saved.stored_name, original_name=saved.original_name,
                               content_type=saved.content_type, size=saved.size,
                               uploader_id=uploader.id if uploader else None)
    aar.attachments.append(attachment)
    db.session.flush()
    return attachment


def delete_attachment(attachment: AarAttachment) -> str:
    """Forget the attachment; returns its stored name so the caller removes the file after commit."""
    name = attachment.stored_name
    db.session.delete(attachment)
    db.session.flush()
    return name


# --- reading ---------------------------------------------------------------------------------

def find_by_key(title: str, held_on) -> Aar | None:
    try:
        day = parse_date(held_on)
    except ValueError:
        return None
    title = " ".join(str(title or "").split())
    return db.session.scalar(select(Aar).where(Aar.title == title, Aar.held_on == day))


def _filtered(query, *, category=None, code=None, province=None, year=None, agency=None):
    if category:
        query = query.where(exists().where(AarTag.aar_id == Aar.id, AarTag.kind == "category",
                                           AarTag.value == category))
    if code:
        query = query.where(exists().where(AarTag.aar_id == Aar.id, AarTag.kind == "code", AarTag.value == code))
    if province:
        query = query.where(Aar.province == province)
    if year:
        gregorian = year - 543
        query = query.where(Aar.held_on >= date(gregorian, 1, 1), Aar.held_on <= date(gregorian, 12, 31))
    if agency:
        pattern = "%" + agency.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(exists().where(AarAgency.aar_id == Aar.id, AarAgency.name.ilike(pattern, escape="\\")))
    return query


def list_published(*, page: int = 1, per_page: int = 20, **filters) -> tuple[list[Aar], int]:
    query = _filtered(select(Aar).where(Aar.status == "published"), **filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Aar.held_on.desc(), Aar.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def drafts_for(user) -> list[Aar]:
    if not can_create(user):
        return []
    query = select(Aar).where(Aar.status == "draft")
    if not user.has_role("admin"):
        query = query.where((Aar.created_by_id == user.id) | exists().where(
            AarFacilitator.aar_id == Aar.id, AarFacilitator.user_id == user.id))
    return db.session.scalars(query.order_by(Aar.updated_at.desc())).all()


def agency_names() -> list[str]:
    """Agencies named on published AARs, in Thai order, for the filter lists."""
    from pythainlp.util import collate

    names = db.session.scalars(select(AarAgency.name).join(Aar, Aar.id == AarAgency.aar_id)
                               .where(Aar.status == "published").distinct()).all()
    return collate(names)


def open_actions(*, agency=None, code=None, category=None, overdue_only=False) -> list[ActionItem]:
    """Open items of published AARs, overdue first (oldest due date first), undated last."""
    query = (select(ActionItem).join(Aar, Aar.id == ActionItem.aar_id)
             .where(Aar.status == "published", ActionItem.state == "open"))
    query = _filtered(query, agency=agency, code=code, category=category)
    if overdue_only:
        query = query.where(ActionItem.due_on < today())
    query = query.order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    return db.session.scalars(query).all()


def published_for_clinic(clinic_id: int) -> dict | None:
    """The published AAR that reviews a clinic, as {"title", "url"} for the clinic's page."""
    aar = db.session.scalar(select(Aar).where(Aar.link_type == "clinic", Aar.link_id == clinic_id,
                                              Aar.status == "published").order_by(Aar.id.desc()).limit(1))
    return {"title": aar.title, "url": f"/aar/{aar.id}"} if aar else None
