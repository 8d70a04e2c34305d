"""What threads add to the home, category and code pages: recent questions and key-lesson cards."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from ..pmqa.registry import Section
from ..text.markup import plain_text
from . import services


@dataclass
class Item:
    title: str
    url: str
    meta: str = ""


@dataclass
class Card:
    title: str
    url: str
    lesson: str
    author: str


def _short(html: str, limit: int = 220) -> str:
    text = " ".join(plain_text(html).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def recent_questions(category=None, code=None, limit=5):
    found = services.list_threads(category=category, code=code, per_page=limit)
    threads, total = found.items, found.total
    counts = services.reply_counts([t.id for t in threads])
    items = [Item(t.title, t.url, _("%(n)d replies", n=counts.get(t.id, 0))) for t in threads]
    args = {k: v for k, v in (("category", category), ("code", code)) if v}
    return Section(_("Questions and answers"), items, more_url=url_for("threads.index", **args) if total else None)


def tactic_cards(category=None, code=None, limit=5):
    if not (category or code):
        return None
    cards = [
        Card(t.title, r.url, _short(r.body_html), r.author.name)
        for t, r in services.key_lessons(code=code, category=category, limit=limit)
    ]
    if not cards:
        return None
    return Section(_("Key lessons (tactic cards)"), cards, template="threads/_tactic_cards.html")
