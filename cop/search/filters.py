"""Rules every backend applies to a SearchRequest alike: the effective filters and the page window."""

from __future__ import annotations

from cop.search.base import SearchRequest
from cop.search.query import ParsedQuery
from cop.taxonomy import get_category, normalize_code
from cop.text import thai


def applied_filters(query: SearchRequest, parsed: ParsedQuery) -> dict[str, list]:
    """The filters in force: those asked for plus the codes and categories typed in the search box."""
    codes = []
    for c in list(query.codes or ()) + parsed.codes:
        nc = normalize_code(str(c))
        if nc and nc not in codes:
            codes.append(nc)
    cats = []
    for c in list(query.categories or ()) + parsed.categories:
        cat = get_category(str(c))
        if cat and cat.key not in cats:
            cats.append(cat.key)
    years = []
    for y in query.years or ():
        try:
            y = int(str(y).translate(thai.THAI_DIGITS).strip())
        except ValueError:
            continue
        if y not in years:
            years.append(y)
    return {
        "types": list(dict.fromkeys(t for t in query.types or () if t)),
        "categories": cats,
        "codes": codes,
        "provinces": list(dict.fromkeys(p for p in query.provinces or () if p)),
        "years": years,
    }


def page_window(query: SearchRequest) -> tuple[int, int]:
    """(page, per_page) with the page at least 1 and 1 to 100 hits a page."""
    return max(1, int(query.page or 1)), min(100, max(1, int(query.per_page or 10)))
