"""The trainers section of the interchange format.

PDPA: the format carries phone and e-mail but no consent flag, so imported contact details are
stored hidden (``contact_consent`` false) until the trainer, through their linked account, or an
admin records consent on the trainer's page. Export writes the stored details back out (it is an
operator's CLI command), so export → import → export round-trips; consent is not part of the format.
"""
from sqlalchemy import select

from ..extensions import db
from ..interchange.sections import Section, register_section
from . import services
from .models import Trainer

KEYS = ("name", "agency", "province", "codes", "phone", "email", "bio")


def _exists(item: dict) -> bool:
    return services.find_trainer(str(item.get("name", ""))) is not None


def _import(item: dict) -> Trainer:
    return services.create_trainer(name=item.get("name"), agency=item.get("agency"), province=item.get("province"),
                                   codes=item.get("codes") or [], phone=item.get("phone"), email=item.get("email"),
                                   bio=item.get("bio"))


def _export() -> list[dict]:
    trainers = db.session.scalars(select(Trainer).order_by(Trainer.name)).all()
    return [{"name": t.name, "agency": t.agency, "province": t.province, "codes": t.codes, "phone": t.phone,
             "email": t.email, "bio": t.bio} for t in trainers]


def register() -> None:
    register_section(Section("trainers", KEYS, ("name",), _exists, _import, _export, order=40))
