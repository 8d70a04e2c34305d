"""Story fields as submitted (form, API, importer): validated and normalized by one set of rules."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from ..listing import parse_year
from ..taxonomy import normalize_categories, normalize_codes, normalize_province, with_implied_categories
from ..text.clean import clean_text
from ..text.dates import fiscal_year_problem
from ..text.markup import render_field
from ..validation import ValidationError
from . import story_templates

TITLE_MAX = 200
SUMMARY_MAX = 2000
BODY_MAX = 100_000  # cop.text.markup renders up to 100,000 characters
AGENCY_MAX = 200
TAG_MAX = 50
TAGS_MAX = 20


def _clean_text(value, limit: int, field: str, label: str, errors: list, required: bool = False) -> str:
    text = clean_text(value)  # the one cleaning rule, whatever the entry point
    if required and not text:
        errors.append((field, _("Enter the %(what)s.", what=label)))
    elif len(text) > limit:
        errors.append((field, _("The %(what)s is too long (at most %(n)d characters).", what=label, n=limit)))
    return text


def clean_tags(value) -> tuple[list[str], str | None]:
    if value is None:
        return [], None
    if isinstance(value, str):
        raw = re.split(r"[,\n;]+", value)
    elif isinstance(value, (list, tuple)):
        raw = [str(v) for v in value]
    else:
        return [], _("Tags must be a list of words or phrases.")
    tags: list[str] = []
    seen: set[str] = set()
    for item in raw:
        tag = re.sub(r"\s+", " ", item.replace("\x00", "")).strip().lstrip("#").strip()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            return [], _("A tag may have at most %(n)d characters.", n=TAG_MAX)
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        return [], _("Use at most %(n)d tags.", n=TAGS_MAX)
    return tags, None


_BAD = object()


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, str)):
        return value
    return _BAD


def clean_fields(data: dict) -> dict:
    """Validate and normalize story fields; raises ValidationError naming every field at fault."""
    errors: list[tuple[str, str]] = []
    out: dict = {}
    out["title"] = _clean_text(data.get("title"), TITLE_MAX, "title", _("title"), errors, required=True)
    out["summary"] = _clean_text(data.get("summary"), SUMMARY_MAX, "summary", _("summary"), errors)
    out["body"] = _clean_text(data.get("body"), BODY_MAX, "body", _("story"), errors, required=True)
    out["agency"] = _clean_text(data.get("agency"), AGENCY_MAX, "agency", _("agency"), errors)
    out["province"] = _clean_province(data.get("province"), errors)
    out["year"] = _clean_year(data.get("year"), errors)
    out["codes"], out["categories"] = _clean_codes_and_categories(data, errors)
    tags, problem = clean_tags(data.get("tags"))
    if problem:
        errors.append(("tags", problem))
    out["tags"] = tags
    template = data.get("template") or None
    if template is not None and story_templates.get_template(str(template)) is None:
        errors.append(("template", _("Unknown story template.")))
    out["template"] = template
    if not errors and template:
        errors += word_limit_errors(story_templates.get_template(template), out["body"])
    if not errors:
        out["body_html"] = render_field(
            out["body"], "body", errors, _("The story is too long or too complex to show. Please shorten it.")
        )
    if errors:
        raise ValidationError(errors)
    return out


def _clean_province(province, errors: list) -> str | None:
    if province in (None, ""):
        return None
    name = normalize_province(str(province))
    if name is None:
        errors.append(("province", _("Choose a province from the list.")))
    return name


def _clean_year(year, errors: list) -> int | None:
    """A fiscal year in the Buddhist Era (Thai digits welcome), None when none is given."""
    if year in (None, ""):
        return None
    value = parse_year(str(year)) if not isinstance(year, bool) else None
    if value is None:
        errors.append(("year", _("Enter the fiscal year in the Buddhist Era, such as 2553.")))
    elif problem := fiscal_year_problem(value):
        errors.append(("year", problem))
    return value


def _clean_codes_and_categories(data: dict, errors: list) -> tuple[list[str], list[str]]:
    """(codes, categories): the categories asked for plus those the codes imply."""
    raw_codes = _as_list(data.get("codes"))
    codes, bad_codes = normalize_codes(raw_codes) if raw_codes is not _BAD else ([], [str(data.get("codes"))])
    if bad_codes:
        message = _(
            "Unknown activity code(s): %(codes)s. Use codes such as SP5 or CS1.", codes=", ".join(map(str, bad_codes))
        )
        errors.append(("codes", message))
    raw_categories = _as_list(data.get("categories"))
    categories, bad_categories = (
        normalize_categories(raw_categories) if raw_categories is not _BAD else ([], [str(data.get("categories"))])
    )
    if bad_categories:
        message = _("Unknown PMQA category: %(values)s. Use P or 1 to 7.", values=", ".join(map(str, bad_categories)))
        errors.append(("categories", message))
    return codes, with_implied_categories(categories, codes)


def word_limit_errors(story_template: story_templates.StoryTemplate | None, body: str) -> list[tuple[str, str]]:
    if story_template is None:
        return []
    return [
        (
            "body",
            _(
                "Section “%(section)s” has %(count)s words; the limit is %(limit)s Thai words.",
                section=s["heading"],
                count=f"{s['count']:,}",
                limit=f"{s['limit']:,}",
            ),
        )
        for s in story_templates.heading_counts(story_template, body)
        if s["over"]
    ]
