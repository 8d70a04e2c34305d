"""Upcoming clinics on the home page and on PMQA code and category pages."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..i18n import format_thai_date
from ..pmqa.registry import Section, register_section
from . import services


class Item:
    def __init__(self, title, url, meta=""):
        self.title, self.url, self.meta = title, url, meta


def clinics_section(category=None, code=None, limit=5):
    clinics = services.list_clinics(code=code, category=category, include_cancelled=False)[:limit]
    return Section(
        title=_l("Upcoming mobile clinics"),
        items=[
            Item(
                c.title,
                url_for("clinics.detail", clinic_id=c.id),
                " · ".join(x for x in (format_thai_date(c.starts_at), c.province or "") if x),
            )
            for c in clinics
        ],
        more_url=url_for("clinics.index", code=code, category=category),
    )


def register():
    register_section(clinics_section)
