"""Trainer directory rules. Functions flush but never commit: the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from pythainlp.util import collate
from sqlalchemy import func, select

from .. import permissions
from ..accounts.services import find_user
from ..extensions import db
from ..listing import where_coded
from ..models import utcnow
from ..search.outbox import record_change
from ..taxonomy import province_regions, regions
from ..text.markup import render_field
from ..validation import ValidationError, check_codes, check_line, check_province
from . import links
from .models import ContactRequest, Trainer, TrainerCode

MAX_BIO = 20_000


def find_trainer(name: str) -> Trainer | None:
    return db.session.scalar(select(Trainer).where(func.lower(Trainer.name) == (name or "").strip().lower()))


def _checked_fields(fields: dict, trainer: Trainer | None) -> dict:
    """The trainer's columns from submitted fields; raises ValidationError naming every field at fault."""
    errors: list[tuple[str, str]] = []
    out: dict = {}
    name = check_line(fields, "name", 200, errors, required=_("Enter the trainer's name (up to 200 characters)."))
    if 0 < len(name) <= 200:
        other = find_trainer(name)
        if other is not None and (trainer is None or other.id != trainer.id):
            errors.append(("name", _("A trainer with this name is already in the directory.")))
    out["name"] = name
    for key, limit in (("position", 200), ("agency", 200), ("availability", 500), ("phone", 50), ("line_id", 100)):
        out[key] = check_line(fields, key, limit, errors)
    out["province"] = check_province(fields.get("province"), errors)
    out["codes"] = check_codes(fields.get("codes"), errors)
    email = str(fields.get("email") or "").strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            errors.append(("email", _("Enter a valid e-mail address, such as name@agency.go.th.")))
    out["email"] = email
    bio = str(fields.get("bio") or "").strip()
    if len(bio) > MAX_BIO:
        errors.append(("bio", _("The text is too long.")))
    out["bio"] = bio
    if errors:
        raise ValidationError(errors)
    return out


def _changed(trainer: Trainer) -> None:
    trainer.updated_at = utcnow()
    db.session.flush()
    record_change("trainer", trainer.id)
    links.trainer_changed(trainer.id)


def create_trainer(**fields) -> Trainer:
    data = _checked_fields(fields, None)
    codes = data.pop("codes")
    trainer = Trainer(**data, bio_html=render_field(data["bio"], "bio"))
    trainer.code_rows = [TrainerCode(code=c) for c in codes]
    db.session.add(trainer)
    _changed(trainer)
    return trainer


def update_trainer(trainer: Trainer, **fields) -> Trainer:
    data = _checked_fields(fields, trainer)
    codes = data.pop("codes")
    for key, value in data.items():
        setattr(trainer, key, value)
    trainer.bio_html = render_field(trainer.bio, "bio")
    if codes != trainer.codes:
        trainer.code_rows = [TrainerCode(code=c) for c in codes]
    _changed(trainer)
    return trainer


def set_consent(trainer: Trainer, consent: bool, actor) -> None:
    if not permissions.can_record_consent(actor, trainer):
        raise ValidationError(_("Only the trainer or an admin can record consent."), "contact_consent")
    if consent != trainer.contact_consent:
        trainer.contact_consent = consent
        trainer.consent_recorded_at = utcnow()
        trainer.consent_recorded_by = actor.id
        trainer.updated_at = utcnow()
        db.session.flush()


def record_consent_given(trainer: Trainer, given_at, recorder=None) -> None:
    """Consent recorded elsewhere and brought in by an operator's import (no permission check here)."""
    trainer.contact_consent = True
    trainer.consent_recorded_at = given_at
    trainer.consent_recorded_by = recorder.id if recorder is not None else None
    db.session.flush()


def link_account(trainer: Trainer, email: str | None) -> None:
    if not email:
        trainer.user_id = None
        return
    user = find_user(email)
    if user is None:
        raise ValidationError(_("No account uses that e-mail address."), "account_email")
    other = db.session.scalar(select(Trainer).where(Trainer.user_id == user.id))
    if other is not None and other.id != trainer.id:
        raise ValidationError(_("That account is already linked to another trainer."), "account_email")
    trainer.user_id = user.id
    db.session.flush()


def list_trainers(
    *,
    code: str | None = None,
    category: str | None = None,
    province: str | None = None,
    region: str | None = None,
    limit: int | None = None,
) -> list[Trainer]:
    query = select(Trainer)
    query = where_coded(query, Trainer.id, TrainerCode.trainer_id, TrainerCode.code, code, category)
    if province:
        query = query.where(Trainer.province == province)
    if region:
        query = query.where(Trainer.province.in_([p for p, r in province_regions().items() if r == region]))
    trainers = db.session.scalars(query).all()
    order = {name: i for i, name in enumerate(collate([t.name for t in trainers]))}
    trainers = sorted(trainers, key=lambda t: order[t.name])
    return trainers[:limit] if limit else trainers


@dataclass
class ContactRoute:
    """Who receives a member's request to be put in touch with a trainer.

    ``kind``: "trainer" (their linked account), "region" (the coordinators of the trainer's region),
    "network" (every coordinator and admin: nobody coordinates that region) or "none".
    """

    kind: str
    recipients: list = field(default_factory=list)
    region: dict | None = None


def contact_route(trainer: Trainer) -> ContactRoute:
    from ..accounts.models import User

    if trainer.user is not None and trainer.user.active:
        return ContactRoute("trainer", [trainer.user])
    region_key = trainer.region
    region = next((r for r in regions() if r["key"] == region_key), None)
    coordinators = db.session.scalars(
        select(User).where(User.role == "coordinator", User.active.is_(True)).order_by(User.id)
    ).all()
    local = [u for u in coordinators if region_key and province_regions().get(u.province or "") == region_key]
    if local:
        return ContactRoute("region", local, region)
    admins = db.session.scalars(select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)).all()
    everyone = list(coordinators) + list(admins)
    return ContactRoute("network" if everyone else "none", everyone, region)


def request_contact(trainer: Trainer, user, message: str) -> ContactRequest:
    """Pass a member's message on: to the trainer's own account, or else to the coordinators of their region.

    The member never sees the trainer's contact details; the recipients get the member's name and e-mail.
    """
    message = (message or "").strip()
    if not message or len(message) > 2000:
        raise ValidationError(_("Write a short message (up to 2,000 characters)."), "message")
    route = contact_route(trainer)
    recipients = [u for u in route.recipients if u.id != user.id] if route.kind != "trainer" else route.recipients
    if not recipients:
        raise ValidationError(_("Nobody can pass a message on to this trainer yet."), "message")
    request = ContactRequest(trainer_id=trainer.id, from_user_id=user.id, message=message)
    db.session.add(request)
    db.session.flush()
    from ..notifications.services import N_, notify_many
    from ..notifications.services import message as notification_message

    if route.kind == "trainer":
        kind, extra, quoted = "trainer_contact", {}, message[:300]
        template = N_("%(name)s (%(email)s) would like to contact you: %(message)s")
    else:
        kind, extra, quoted = "trainer_contact_relay", {"trainer": trainer.name}, message[:250]
        template = N_("%(name)s (%(email)s) asks to be put in touch with the trainer %(trainer)s: %(message)s")
    text = notification_message(template, name=user.name, email=user.email, message=quoted, **extra)
    notify_many([u.id for u in recipients], kind, text, f"/trainers/{trainer.id}")
    return request
