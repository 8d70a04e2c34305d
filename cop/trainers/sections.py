"""Trainers on PMQA code and category pages."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..pmqa.registry import Section, register_section, section_item
from . import services


def trainers_section(category=None, code=None, limit=5):
    if category is None and code is None:
        return None  # the home page shows clinics, not the whole directory
    trainers = services.list_trainers(code=code, category=category, limit=limit)
    return Section(
        title=_l("Trainers"),
        items=[
            section_item(t.name, url_for("trainers.detail", trainer_id=t.id), t.agency, t.province) for t in trainers
        ],
        more_url=url_for("trainers.index", code=code, category=category),
    )


def register():
    register_section(trainers_section)
