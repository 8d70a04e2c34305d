"""Trainers on PMQA code and category pages."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..pmqa.registry import Section, register_section
from . import services


class Item:
    def __init__(self, title, url, meta=""):
        self.title, self.url, self.meta = title, url, meta


def trainers_section(category=None, code=None, limit=5):
    if category is None and code is None:
        return None  # the home page shows clinics, not the whole directory
    trainers = services.list_trainers(code=code, category=category, limit=limit)
    return Section(
        title=_l("Trainers"),
        items=[
            Item(
                t.name,
                url_for("trainers.detail", trainer_id=t.id),
                " · ".join(x for x in (t.agency, t.province or "") if x),
            )
            for t in trainers
        ],
        more_url=url_for("trainers.index", code=code, category=category),
    )


def register():
    register_section(trainers_section)
