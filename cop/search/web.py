"""The search page (/search) and the translation of query arguments into a SearchRequest."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..core.cache import cached_page
from ..listing import parse_year
from ..taxonomy import get_category, normalize_code, normalize_province, provinces
from . import didyoumean, searchlog, service
from .base import TYPES, SearchRequest
from .query import QueryError

bp = Blueprint("search", __name__)

PER_PAGE = 10
# A facet lists its most frequent values and links to the rest: all 77 provinces and every activity code on
# each results page were a long scroll on a phone, and most of the page's rendering time.
FACET_TOP = 8


def _values(args: MultiDict, name: str) -> list[str]:
    values: list[str] = []
    for raw in args.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values[:20]


def build_request(args: MultiDict, strict: bool) -> tuple[SearchRequest, list[str]]:
    """Filters from query arguments; unknown values are problems (the API refuses, the page ignores)."""
    problems: list[str] = []

    def normalized(name: str, normalize) -> tuple:
        good = []
        for value in _values(args, name):
            result = normalize(value)
            if result is None:
                problems.append(_("Unknown %(name)s: %(value)s", name=name, value=value))
            elif result not in good:
                good.append(result)
        return tuple(good)

    text = args.get("q", "")
    if len(text) > 2000 and not strict:
        text = text[:2000]
    search_request = SearchRequest(
        text=text,
        types=normalized("type", lambda v: v if v in TYPES else None),
        categories=normalized("category", lambda v: c.key if (c := get_category(v)) else None),
        codes=normalized("code", normalize_code),
        provinces=normalized("province", normalize_province),
        years=normalized("year", parse_year),
        strict=strict,
    )
    return search_request, problems


def _log_cached(note):
    if note:
        searchlog.log_search(*note)


@bp.route("/search")
@cached_page(on_hit=_log_cached)
def page():
    search_request, problems = build_request(request.args, strict=False)
    raw_page = request.args.get("page", "1")
    search_request.page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) <= 1000 else 1
    search_request.per_page = PER_PAGE
    results = None
    did_you_mean = original_query = None
    if search_request.text.strip() or any(
        (
            search_request.types,
            search_request.categories,
            search_request.codes,
            search_request.provinces,
            search_request.years,
        )
    ):
        try:
            results = service.backend().search(search_request)
            did_you_mean, instead = didyoumean.consider(
                service.backend(), search_request, results, instead=request.args.get("exact") != "1"
            )
            if instead is not None:  # the original found nothing: show the corrected results at once
                original_query, results = search_request.text, instead
                search_request.text = did_you_mean
        except QueryError:  # best effort never raises; keep the page alive if it ever does
            problems.append(_("We could not read that search; try fewer or simpler words."))
        if results is not None and search_request.page == 1 and search_request.text.strip():
            searchlog.log_search(search_request.text, results.total)
            g.page_cache_note = (search_request.text, results.total)  # a cached copy is logged too
    pages = 0
    if results:
        pages = min(1000, (results.total + PER_PAGE - 1) // PER_PAGE)
    return render_template(
        "search/results.html",
        results=results,
        query=search_request.text,
        search_request=search_request,
        problems=problems,
        pages=pages,
        facet_link=_facet_link,
        more_link=_more_link,
        did_you_mean=did_you_mean,
        original_query=original_query,
        facet_lists=_facet_lists(results, search_request) if results else {},
    )


class FacetList(NamedTuple):
    shown: list[tuple[str, int, bool]]  # value, count, chosen
    folded: int  # values behind the "show more" link
    expanded: bool  # the reader asked for the whole list (``more=<facet>``)


def _facet_lists(results, search_request: SearchRequest) -> dict[str, FacetList]:
    """The sidebar's facets, each with its most frequent values and every chosen one."""
    chosen = {
        "category": {str(v) for v in search_request.categories},
        "code": {str(v) for v in search_request.codes},
        "province": {str(v) for v in search_request.provinces},
        "year": {str(v) for v in search_request.years},
    }
    expanded = set(_values(request.args, "more"))
    lists = {}
    for name, picked in chosen.items():
        values = results.facets.get(name, {})
        if not values:
            continue
        items = list(values.items())
        if name == "province":  # equal counts in Thai dictionary order (เพชรบุรี under พ), as everywhere else
            order = _province_order()
            items.sort(key=lambda kv: (-kv[1], order.get(kv[0], len(order))))
        full = name in expanded or len(items) <= FACET_TOP + 1  # never fold away a single value
        shown = items if full else [kv for i, kv in enumerate(items) if i < FACET_TOP or kv[0] in picked]
        lists[name] = FacetList(
            shown=[(value, count, value in picked) for value, count in shown],
            folded=len(items) - len(shown),
            expanded=name in expanded and len(items) > FACET_TOP + 1,
        )
    return lists


def _facet_link(name: str, value: str | None) -> str:
    """The current search with one facet value toggled (and the page reset).

    Built by hand from a per-facet prefix encoded once (a results page has ~150 of these links;
    url_for per link cost more than the search itself)."""
    cache = g.get("_facet_links")
    if cache is None:
        cache = g._facet_links = {"": url_for("search.page")}
    if name not in cache:
        rest = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", name)]
        cache[name] = (urlencode(rest), _values(request.args, name))
    prefix, current = cache[name]
    if value is None:
        chosen = []
    elif value in current:
        chosen = [v for v in current if v != value]
    else:
        chosen = current + [value]
    query = "&".join(x for x in (prefix, *(f"{name}={_quoted(v)}" for v in chosen)) if x)
    return cache[""] + ("?" + query if query else "")


@lru_cache(maxsize=1)
def _province_order() -> dict[str, int]:
    return {name: i for i, name in enumerate(provinces())}


def _more_link(name: str) -> str:
    """The current page (same results page) with one facet's whole list shown, or folded again."""
    args = request.args.to_dict(flat=False)
    more = _values(request.args, "more")
    args["more"] = [v for v in more if v != name] if name in more else more + [name]
    return url_for("search.page", **args, _anchor=f"facet-{name}")  # back at the list the reader was in


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """A facet value as ``urlencode`` writes it (the same few hundred values on every results page)."""
    return quote_plus(value)
