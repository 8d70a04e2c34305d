"""The trainers section of the interchange format.

PDPA: contact details are shown only where the trainer agreed. Two optional keys carry that:
``contact_consent`` — ``{"given_at": ISO 8601, "recorded_by": e-mail of a listed user (optional)}``, present
only when the trainer agreed — and ``account``, the e-mail of the trainer's own account (listed under users),
which receives contact requests. A trainer without ``contact_consent`` (every file written before these keys)
is imported with its contact details hidden. Export writes both keys back when they are set, so
export → import → export round-trips.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import BANGKOK, to_bangkok
from ..interchange.sections import Section, register_section, reject_unknown_keys
from ..validation import ValidationError
from . import services
from .models import Trainer

KEYS = ("name", "agency", "province", "codes", "phone", "email", "bio", "contact_consent", "account")
CONSENT_KEYS = ("given_at", "recorded_by")


def _exists(item: dict) -> bool:
    return services.find_trainer(str(item.get("name", ""))) is not None


def _parse_time(raw) -> datetime:
    """ISO 8601 → naive UTC; a time without an offset is Asia/Bangkok."""
    try:
        value = datetime.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise ValidationError(
            _("Write the time as ISO 8601, such as 2026-01-15T09:10:00+07:00."), "contact_consent.given_at"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=BANGKOK)
    return value.astimezone(UTC).replace(tzinfo=None)


def _consent(raw) -> tuple[datetime, object] | None:
    """None: no consent recorded. Otherwise (when it was given, the user who recorded it or None)."""
    from ..accounts.services import find_user

    if raw in (None, False):
        return None
    if not isinstance(raw, dict):
        raise ValidationError(
            _('contact_consent must be an object such as {"given_at": "2026-11-20T10:00:00+07:00"}.'), "contact_consent"
        )
    reject_unknown_keys(raw, CONSENT_KEYS, "contact_consent")
    given_at = _parse_time(raw.get("given_at"))
    recorder = None
    if raw.get("recorded_by"):
        recorder = find_user(str(raw["recorded_by"]))
        if recorder is None:
            raise ValidationError(
                _("No user with the e-mail %(email)s; list them under users.", email=raw["recorded_by"]),
                "contact_consent.recorded_by",
            )
    return given_at, recorder


def _import(item: dict) -> Trainer:
    consent = _consent(item.get("contact_consent"))
    trainer = services.create_trainer(
        name=item.get("name"),
        agency=item.get("agency"),
        province=item.get("province"),
        codes=item.get("codes") or [],
        phone=item.get("phone"),
        email=item.get("email"),
        bio=item.get("bio"),
    )
    if item.get("account"):
        try:
            services.link_account(trainer, str(item["account"]))
        except ValidationError as exc:
            raise ValidationError(exc.errors[0][1], "account") from None
    if consent is not None:
        services.record_consent_given(trainer, *consent)
    return trainer


def _export() -> list[dict]:
    trainers = db.session.scalars(select(Trainer).order_by(Trainer.name)).all()
    items = []
    for t in trainers:
        item = {
            "name": t.name,
            "agency": t.agency,
            "province": t.province,
            "codes": t.codes,
            "phone": t.phone,
            "email": t.email,
            "bio": t.bio,
        }
        if t.contact_consent:
            consent = {"given_at": to_bangkok(t.consent_recorded_at or t.updated_at).isoformat(timespec="seconds")}
            if t.consent_recorder is not None:
                consent["recorded_by"] = t.consent_recorder.email
            item["contact_consent"] = consent
        if t.user is not None:
            item["account"] = t.user.email
        items.append(item)
    return items


def register() -> None:
    register_section(Section("trainers", KEYS, ("name",), _exists, _import, _export, order=40))
