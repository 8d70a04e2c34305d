"""Locale choice and Thai date presentation (Buddhist Era in Thai, Gregorian in English)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import get_month_names
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work speak English (messages for operators)
        return "en"
    chosen = session.get("lang") or request.cookies.get("lang")
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):  # API clients have no language switch: they say it per request
        asked = request.accept_languages.best_match(languages)
        if asked:
            return asked
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "Asia/Bangkok"


def to_bangkok(value: datetime) -> datetime:
    if value.tzinfo is None:  # stored naive values are UTC
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(BANGKOK)


def format_thai_date(value: date | datetime | None, style: str = "medium", locale: str | None = None) -> str:
    """'26 พ.ย. 2569' in Thai, '26 Nov 2026' in English; style 'long' spells the month out."""
    if value is None:
        return ""
    locale = locale or str(get_locale() or "th")
    with_time = isinstance(value, datetime)
    if with_time:
        value = to_bangkok(value)
    width = "wide" if style == "long" else "abbreviated"
    month = get_month_names(width, locale=locale)[value.month]
    year = value.year + BE_OFFSET if locale.startswith("th") else value.year
    text = f"{value.day} {month} {year}"
    if with_time and style in ("datetime", "long-datetime"):
        text += f" {value:%H:%M}"
        if locale.startswith("th"):
            text += " น."
    return text


def in_default_locale(fn):
    """Text stored for later readers (notes, resolutions) is written in the site's language."""
    from flask_babel import force_locale

    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "th")):
        return fn()


def be_year(value: date | datetime | int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return value.year + BE_OFFSET


def fiscal_year_be(value: date) -> int:
    """Thai fiscal year (1 Oct – 30 Sep) named by the year it ends in, in the Buddhist Era."""
    return value.year + BE_OFFSET + (1 if value.month >= 10 else 0)


def is_thai(locale: str | None = None) -> bool:
    return (locale or str(get_locale() or "th")).startswith("th")


def local_name(item, locale: str | None = None) -> str:
    """The Thai or English name of a taxonomy item (category, code gloss, region): object or dict."""
    suffix = "th" if is_thai(locale) else "en"
    get = item.get if isinstance(item, dict) else lambda key, default=None: getattr(item, key, default)
    for base in ("name", "gloss"):
        value = get(f"{base}_{suffix}") or get(f"{base}_th")
        if value:
            return value
    return ""


def fiscal_year(be: int | None, locale: str | None = None, bare: bool = False) -> str:
    """One rule for fiscal years: Buddhist Era in Thai ('ปีงบประมาณ 2567'), Gregorian in English
    ('FY 2024': fiscal year 2567 runs October 2023 – September 2024, so it ends in 2024)."""
    if not be:
        return ""
    year = be if is_thai(locale) else be - BE_OFFSET
    if bare:
        return str(year)
    from flask_babel import force_locale, gettext

    if locale is None:
        return gettext("FY %(year)s", year=year)
    with force_locale(locale):
        return gettext("FY %(year)s", year=year)


def filter_labels(names) -> str:
    """The list filters a page could not understand, named as its form names them."""
    from flask_babel import gettext as _

    labels = {
        "category": _("Category"),
        "code": _("Activity code"),
        "province": _("Province"),
        "year": _("Fiscal year"),
        "region": _("Region"),
        "month": _("Month"),
        "type": _("Type"),
        "status": _("Status"),
        "page": _("Page"),
        "sort": _("Sort"),
        "q": _("Search"),
    }
    return ", ".join(labels.get(name, name) for name in names)


def file_size(size: int) -> str:
    """A file's size as people read it: bytes under 1 KB (a tiny file is not "0 KB"), else KB or MB."""
    from flask_babel import format_decimal
    from flask_babel import gettext as _

    if size < 1024:
        return _("%(n)s bytes", n=format_decimal(size))
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(round(size / 1024)))
    return _("%(n)s MB", n=format_decimal(round(size / (1024 * 1024), 1)))


def register(app: Flask) -> None:
    app.jinja_env.filters["thaidate"] = format_thai_date
    app.jinja_env.filters["thaidatetime"] = lambda v: format_thai_date(v, "datetime")
    from .accounts.labels import role_label

    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["local_name"] = local_name
    app.jinja_env.filters["filter_labels"] = filter_labels
    app.jinja_env.filters["fiscal_year"] = fiscal_year
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["fiscal_year_number"] = lambda be: fiscal_year(be, bare=True)

    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale() or "th")}
