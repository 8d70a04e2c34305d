"""GET /api/v1/search — the search contract described in the README ("Search")."""

from flask import jsonify, request

from ..core.ratelimit import search_limit
from ..search import service as search_service
from ..search.query import QueryError
from ..search.web import build_request
from .common import ApiError, api_blueprint, int_arg

bp = api_blueprint("api", __name__, "/api/v1")


@bp.route("/search")
@search_limit
def search():
    search_request, problems = build_request(request.args, strict=True)
    if problems:
        raise ApiError(400, "; ".join(problems))
    search_request.page = int_arg("page", 1, 1, 1000)
    search_request.per_page = int_arg("per_page", 10, 1, 100)
    try:
        results = search_service.backend().search(search_request)
    except QueryError as exc:
        raise ApiError(400, str(exc)) from None
    from ..search.didyoumean import consider

    did_you_mean, _instead = consider(search_service.backend(), search_request, results, instead=False)
    body = {
        "query": search_request.text,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "results": [
            {
                "type": h.type,
                "id": h.id,
                "title": h.title,
                "url": h.url,
                "snippet": h.snippet,
                "score": round(h.score, 4),
                "categories": h.categories,
                "codes": h.codes,
            }
            for h in results.hits
        ],
        "facets": results.facets,
        "applied": results.applied,
    }
    if did_you_mean:
        body["did_you_mean"] = did_you_mean
    return jsonify(body)
