"""The hotlines and clinics sections of the interchange format.

Clinic times are exported as ISO 8601 with the Bangkok offset (+07:00); an imported time without an
offset is Bangkok time. A clinic's natural key is its title and start time. Imports acknowledge
trainer conflicts (historical data is taken as it was).
"""

from sqlalchemy import select

from ..extensions import db
from ..interchange.sections import Section, register_section
from . import hotlines, services
from .models import Clinic, Hotline

HOTLINE_KEYS = ("name", "phone", "extension", "hours", "agency")
CLINIC_KEYS = ("title", "starts_at", "ends_at", "venue", "province", "codes", "capacity", "trainers", "description")


def _hotline_exists(item: dict) -> bool:
    return hotlines.find_hotline(str(item.get("name", ""))) is not None


def _hotline_import(item: dict) -> Hotline:
    return hotlines.create_hotline(**{k: item.get(k) for k in HOTLINE_KEYS})


def _hotline_export() -> list[dict]:
    rows = db.session.scalars(select(Hotline).order_by(Hotline.name)).all()
    return [
        {"name": h.name, "phone": h.phone, "extension": h.extension, "hours": h.hours, "agency": h.agency} for h in rows
    ]


def _clinic_exists(item: dict) -> bool:
    starts = services.to_utc(item.get("starts_at"))
    if starts is None:
        return False
    return (
        db.session.scalar(
            select(Clinic.id).where(
                Clinic.title == " ".join(str(item.get("title", "")).split()), Clinic.starts_at == starts
            )
        )
        is not None
    )


def _clinic_import(item: dict) -> Clinic:
    return services.create_clinic(acknowledge=True, **{k: item.get(k) for k in CLINIC_KEYS})


def _clinic_export() -> list[dict]:
    rows = db.session.scalars(select(Clinic).order_by(Clinic.starts_at, Clinic.title)).all()
    return [
        {
            "title": c.title,
            "starts_at": services.bangkok_iso(c.starts_at),
            "ends_at": services.bangkok_iso(c.ends_at),
            "venue": c.venue,
            "province": c.province,
            "codes": c.codes,
            "capacity": c.capacity,
            "trainers": [t.name for t in c.trainers],
            "description": c.description,
        }
        for c in rows
    ]


def register() -> None:
    register_section(
        Section(
            "hotlines", HOTLINE_KEYS, ("name", "phone"), _hotline_exists, _hotline_import, _hotline_export, order=45
        )
    )
    register_section(
        Section(
            "clinics",
            CLINIC_KEYS,
            ("title", "starts_at", "ends_at", "capacity"),
            _clinic_exists,
            _clinic_import,
            _clinic_export,
            order=50,
        )
    )
