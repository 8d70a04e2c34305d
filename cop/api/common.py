"""What every JSON endpoint shares: errors as JSON, token auth, pagination arguments."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import csrf, db
from ..listing import parse_filters
from ..text.clean import clean_tree
from ..validation import ValidationError


class ApiError(Exception):
    """``message`` is user-facing: pass it through gettext, so it follows the request's language."""

    def __init__(self, status: int, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields


def api_blueprint(name: str, import_name: str, url_prefix: str) -> Blueprint:
    """A blueprint whose errors are JSON; token-authenticated, so exempt from CSRF cookies."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)
    csrf.exempt(bp)

    @bp.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        body = {"error": exc.message}
        if exc.fields:
            body["fields"] = exc.fields
        return jsonify(body), exc.status

    @bp.after_request
    def _vary_on_language(response):
        response.vary.add("Accept-Language")  # the messages follow the request's language
        return response

    @bp.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError):
        return jsonify(error=_("Some of the input is not valid."), fields=exc.as_dict()), 422

    return bp


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def token_required(*roles: str):
    """Require a user with one of the roles. Writes need a Bearer token: the API is exempt from
    CSRF checks, so a browser session cookie alone must never be enough to change anything."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method not in SAFE_METHODS and not request.headers.get("Authorization", "").startswith(
                "Bearer "
            ):
                raise ApiError(401, _("Send 'Authorization: Bearer TOKEN' to change anything through the API."))
            if not current_user.is_authenticated:
                raise ApiError(401, _("Sign-in required: send 'Authorization: Bearer TOKEN'."))
            if roles and not current_user.has_role(*roles):
                raise ApiError(403, _("Your role may not do this."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("Expected a JSON object body (Content-Type: application/json)."))
    return clean_tree(data)  # the one text-cleaning rule, as for web forms and the importer


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, _("'%(name)s' must be a whole number.", name=name)) from None
    if not low <= value <= high:
        raise ApiError(400, _("'%(name)s' must be between %(low)d and %(high)d.", name=name, low=low, high=high))
    return value


def paged_json(items: list, to_json):
    """One page (``?page=&per_page=``) of an in-memory list as the API's list answer."""
    page, per_page = int_arg("page", 1, 1, 10_000), int_arg("per_page", 20, 1, 100)
    return jsonify(
        {
            "total": len(items),
            "page": page,
            "per_page": per_page,
            "results": [to_json(item) for item in items[(page - 1) * per_page : page * per_page]],
        }
    )


def list_arg(name: str) -> list[str]:
    """Repeated (?code=SP5&code=SP7) or comma-separated (?code=SP5,SP7) values."""
    values: list[str] = []
    for raw in request.args.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def get_or_404(model, ident: int, message: str):
    """The ``model`` row with id ``ident``, or a JSON 404 with ``message`` (which says what was not found)."""
    obj = db.session.get(model, ident)
    if obj is None:
        raise ApiError(404, message)
    return obj


def checked_filters(extra: str, read) -> tuple:
    """(the list filters of the query string, ``read`` of its ``extra`` argument); a 400 names values not understood."""
    filters = parse_filters(request.args, extra=(extra,))
    value = read(filters.extra.get(extra))
    if filters.invalid or (filters.extra.get(extra) and value is None):
        raise ApiError(400, _("Unknown filter value(s): %(names)s.", names=", ".join(filters.invalid or [extra])))
    return filters, value


def not_found():
    abort(404)
