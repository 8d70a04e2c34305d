"""Recent AARs on the home, category and code pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..i18n import format_thai_date
from ..pmqa.registry import Section
from . import services


@dataclass
class Item:
    title: str
    url: str
    meta: str = ""


def provider(category=None, code=None, limit=5) -> Section | None:
    rows = services.list_published(page=1, per_page=limit, category=category, code=code).items
    args = {k: v for k, v in (("category", category), ("code", code)) if v}
    return Section(
        title=_l("AAR archive"),
        items=[Item(a.title, url_for("aar.detail", aar_id=a.id), format_thai_date(a.held_on)) for a in rows],
        more_url=url_for("aar.index", **args),
    )
