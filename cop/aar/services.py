"""AAR rules: who may write, what a complete record is, action items and their states, outputs.

Functions flush but never commit: the caller (a view, the importer or a CLI command) owns the
transaction. Every change to what search shows records an outbox row in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import exists, inspect, select, text

from .. import permissions, uploads
from ..accounts.models import User
from ..extensions import db
from ..i18n import BANGKOK
from ..listing import Page, contains_pattern, paginate
from ..models import utcnow
from ..search.outbox import record_change
from ..text import dates
from ..validation import ValidationError
from . import record
from .models import ACTION_STATES, Aar, AarAgency, AarAttachment, AarFacilitator, AarTag, ActionItem
from .record import LINK_TABLES

LINK_PATHS = {"clinic": "/clinics/{id}", "story": "/stories/{id}", "thread": "/threads/{id}"}


def today() -> date:
    return datetime.now(BANGKOK).date()


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
    return db.session.execute(
        text(f"SELECT title FROM {LINK_TABLES[link_type]} WHERE id = :id"),  # nosec B608  # fixed table map, bound id
        {"id": link_id},
    ).scalar()


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


# --- writing an AAR ------------------------------------------------------------------------


def create_aar(author: User | None, *, publish: bool = False, **fields) -> Aar:
    aar = Aar(created_by=author, status="draft")
    if author is not None and not record.split_list(fields.get("facilitators")):
        fields["facilitators"] = [author.email]
    _write(aar, fields, publish=publish)
    db.session.add(aar)
    db.session.flush()
    record_change("aar", aar.id)
    return aar


def update_aar(aar: Aar, *, publish: bool | None = None, **fields) -> Aar:
    """``publish`` True publishes, False returns to draft, None keeps the status."""
    _write(aar, fields, publish=aar.is_published if publish is None else publish)
    aar.updated_at = utcnow()
    db.session.flush()
    record_change("aar", aar.id)
    return aar


def _write(aar: Aar, fields: dict, publish: bool) -> None:
    """Check every field (all problems at once), then store them and the status."""
    values = record.clean(fields, publish)
    for name, value in values.columns.items():
        setattr(aar, name, value)
    current = {link.user_id: link for link in aar.facilitator_links}
    aar.facilitator_links = [current.get(u.id) or AarFacilitator(user=u) for u in values.facilitators]
    for position, link in enumerate(aar.facilitator_links):
        link.position = position
    aar.agency_rows = [AarAgency(name=name) for name in values.agencies]
    aar.tags = [AarTag(kind="code", value=c) for c in values.codes] + [
        AarTag(kind="category", value=c) for c in values.categories
    ]
    if publish and not aar.is_published:
        aar.status, aar.published_at = "published", utcnow()
    elif not publish:
        aar.status, aar.published_at = "draft", None


def publish(aar: Aar) -> None:
    """Publish as it stands; refused (with the missing answers named) unless all four are answered."""
    if aar.missing_answers:
        raise ValidationError([record.unanswered_problem(aar.missing_answers)])
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
    due = record.date_field({"due_on": due_on}, "due_on", errors)
    if due and (
        problem := dates.window_problem(due, past=record.AAR_PAST, future=record.DUE_FUTURE, what=_("The due date"))
    ):
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


# --- outputs (attachments): rows here, files in the shared upload store ----------------------

MAX_ATTACHMENTS = 30


def add_attachment(aar: Aar, upload, uploader: User | None) -> AarAttachment:
    if len(aar.attachments) >= MAX_ATTACHMENTS:
        raise ValidationError(_("An AAR may have at most %(n)d files.", n=MAX_ATTACHMENTS), "file")
    return uploads.attach(upload, aar.attachments, AarAttachment, uploader)


delete_attachment = uploads.forget  # returns the stored name: the caller removes the file after commit


# --- reading ---------------------------------------------------------------------------------


def find_by_key(title: str, held_on) -> Aar | None:
    try:
        day = record.parse_date(held_on)
    except ValueError:
        return None
    title = " ".join(str(title or "").split())
    return db.session.scalar(select(Aar).where(Aar.title == title, Aar.held_on == day))


def _filtered(query, *, category=None, code=None, province=None, year=None, agency=None):
    if category:
        query = query.where(
            exists().where(AarTag.aar_id == Aar.id, AarTag.kind == "category", AarTag.value == category)
        )
    if code:
        query = query.where(exists().where(AarTag.aar_id == Aar.id, AarTag.kind == "code", AarTag.value == code))
    if province:
        query = query.where(Aar.province == province)
    if year:
        gregorian = year - 543
        query = query.where(Aar.held_on >= date(gregorian, 1, 1), Aar.held_on <= date(gregorian, 12, 31))
    if agency:
        query = query.where(
            exists().where(AarAgency.aar_id == Aar.id, AarAgency.name.ilike(contains_pattern(agency), escape="\\"))
        )
    return query


def list_published(*, page: int = 1, per_page: int = 20, **filters) -> Page[Aar]:
    query = _filtered(select(Aar).where(Aar.status == "published"), **filters)
    return paginate(query.order_by(Aar.held_on.desc(), Aar.id.desc()), page, per_page)


def list_filtered(filters, page: int, per_page: int) -> Page[Aar]:
    """Published AARs matching a list page's or the API's parsed filters."""
    return list_published(
        page=page,
        per_page=per_page,
        category=filters.category,
        code=filters.code,
        province=filters.province,
        year=filters.year,
        agency=filters.extra.get("agency"),
    )


def drafts_for(user) -> list[Aar]:
    if not permissions.can_create_aar(user):
        return []
    query = select(Aar).where(Aar.status == "draft")
    if not user.has_role("admin"):
        query = query.where(
            (Aar.created_by_id == user.id)
            | exists().where(AarFacilitator.aar_id == Aar.id, AarFacilitator.user_id == user.id)
        )
    return db.session.scalars(query.order_by(Aar.updated_at.desc())).all()


def agency_names() -> list[str]:
    """Agencies named on published AARs, in Thai order, for the filter lists."""
    from pythainlp.util import collate

    names = db.session.scalars(
        select(AarAgency.name).join(Aar, Aar.id == AarAgency.aar_id).where(Aar.status == "published").distinct()
    ).all()
    return collate(names)


def open_actions(*, agency=None, code=None, category=None, overdue_only=False) -> list[ActionItem]:
    """Open items of published AARs, overdue first (oldest due date first), undated last."""
    query = (
        select(ActionItem)
        .join(Aar, Aar.id == ActionItem.aar_id)
        .where(Aar.status == "published", ActionItem.state == "open")
    )
    query = _filtered(query, agency=agency, code=code, category=category)
    if overdue_only:
        query = query.where(ActionItem.due_on < today())
    query = query.order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    return db.session.scalars(query).all()


def published_for_clinic(clinic_id: int) -> dict | None:
    """The published AAR that reviews a clinic, as {"title", "url"} for the clinic's page."""
    aar = db.session.scalar(
        select(Aar)
        .where(Aar.link_type == "clinic", Aar.link_id == clinic_id, Aar.status == "published")
        .order_by(Aar.id.desc())
        .limit(1)
    )
    return {"title": aar.title, "url": f"/aar/{aar.id}"} if aar else None
