"""The users section of the interchange format."""

from sqlalchemy import select

from ..extensions import db
from ..interchange.sections import Section, register_section
from . import services
from .models import User

KEYS = ("email", "name", "role", "agency", "province")


def _exists(item: dict) -> bool:
    return services.find_user(str(item.get("email", ""))) is not None


def _import(item: dict) -> User:
    # Imported accounts have no password; an admin issues a reset link to each person.
    return services.create_user(
        email=str(item["email"]),
        name=str(item["name"]),
        password=None,
        role=item.get("role") or "member",
        agency=item.get("agency") or "",
        province=item.get("province") or None,
    )


def _export() -> list[dict]:
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return [
        {"email": u.email, "name": u.name, "role": u.role, "agency": u.agency, "province": u.province} for u in users
    ]


def register() -> None:
    register_section(Section("users", KEYS, ("email", "name"), _exists, _import, _export, order=10))
