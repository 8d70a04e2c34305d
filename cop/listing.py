"""List-page filters every feature accepts: category, code (any spelling), province, year, page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import abort, redirect, url_for
from sqlalchemy import Select, func, select
from werkzeug.datastructures import MultiDict

from .extensions import db
from .taxonomy import THAI_DIGITS, category_map, get_category, normalize_code, normalize_province


def parse_year(raw: str | None) -> int | None:
    """A Buddhist-Era year as people write it: '2553', '๒๕๕๓', '53' or 'ปี 53'; Gregorian 2010 → 2553."""
    if not raw:
        return None
    text = str(raw).translate(THAI_DIGITS).replace("ปี", "").replace("พ.ศ.", "").strip()
    if not text.isdigit():
        return None
    year = int(text)
    if year < 100:
        return 2500 + year
    if 1900 <= year < 2200:
        return year + 543
    if 2400 <= year < 2700:
        return year
    return None


@dataclass
class Filters:
    category: str | None = None
    code: str | None = None
    province: str | None = None
    year: int | None = None
    page: int = 1
    extra: dict = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)  # parameters we could not understand

    def args(self, **changes) -> dict:
        """Query arguments for a link that keeps the current filters (None drops one)."""
        current = {
            "category": self.category,
            "code": self.code,
            "province": self.province,
            "year": self.year,
            **self.extra,
        }
        current.update(changes)
        return {k: v for k, v in current.items() if v not in (None, "")}


def canonical_code(raw: str, endpoint: str, arg: str) -> str:
    """The activity code in a URL: 404 when unknown, a 301 to the one address of its canonical spelling."""
    code = normalize_code(raw)
    if code is None:
        abort(404)
    if code != raw:
        abort(redirect(url_for(endpoint, **{arg: code}), 301))
    return code


def parse_filters(args: MultiDict, extra: tuple[str, ...] = ()) -> Filters:
    filters = Filters()
    readers = {
        "category": lambda raw: c.key if (c := get_category(raw)) else None,
        "code": normalize_code,
        "province": normalize_province,
        "year": parse_year,
    }
    for name, read in readers.items():
        raw = args.get(name)
        if raw:
            setattr(filters, name, read(raw))
            if getattr(filters, name) is None:
                filters.invalid.append(name)
    page = args.get("page", "1")
    filters.page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    for name in extra:
        value = (args.get(name) or "").strip()[:200]
        if value:
            filters.extra[name] = value
    return filters


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a filtered list: the rows, how many match in all, and where we are."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def paginate(query: Select, page: int, per_page: int, *, clamp: bool = False) -> Page:
    """Count the ordered ``query`` and load one page of it; ``clamp`` turns a page past the end into the last."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if clamp:
        page = min(page, max(1, math.ceil(total / per_page)))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all())
    return Page(items, total, page, per_page)


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching ``text`` anywhere, with its wildcards escaped (use a backslash as ``escape``)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where_coded(query: Select, owner_id, link_owner_id, link_code, code: str | None, category: str | None) -> Select:
    """Keep the rows whose code links (``link_owner_id``, ``link_code``) hold ``code`` and a code of ``category``."""
    if code:
        query = query.where(owner_id.in_(select(link_owner_id).where(link_code == code)))
    if category and category in category_map():
        codes = [c.code for c in category_map()[category].codes]
        query = query.where(owner_id.in_(select(link_owner_id).where(link_code.in_(codes))))
    return query
