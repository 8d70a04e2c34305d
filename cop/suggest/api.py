"""POST /api/v1/suggest: categories, codes and similar content for a text being written."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError as CSRFValidationError

from ..api.common import ApiError, api_blueprint, json_body
from ..extensions import limiter
from . import services

bp = api_blueprint("api_suggest", __name__, "/api/v1")

MAX_TITLE, MAX_TEXT = 500, 200_000


def _check_session_csrf() -> None:
    """The API is CSRF-exempt for tokens; a browser session must prove the page is ours (X-CSRFToken)."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except (CSRFError, CSRFValidationError):
        raise ApiError(
            400, _("Send the page's CSRF token in the X-CSRFToken header (or use a Bearer token).")
        ) from None


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ApiError(422, _("'%(name)s' must be a string.", name=name))
    if len(value) > limit:
        raise ApiError(422, _("'%(name)s' is longer than %(limit)s characters.", name=name, limit=f"{limit:,}"))
    return value


def _per_account() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else (request.remote_addr or "")


@bp.route("/suggest", methods=["POST"])
@limiter.limit(lambda: current_app.config.get("RATELIMIT_SUGGEST", "120 per minute"), key_func=_per_account)
def suggest():
    if not current_user.is_authenticated:
        raise ApiError(401, _("Sign in, or send 'Authorization: Bearer TOKEN'."))
    _check_session_csrf()
    data = json_body()
    unknown = sorted(set(data) - {"title", "text"})
    if unknown:
        raise ApiError(422, _("Unknown keys: %(keys)s.", keys=", ".join(unknown)))
    return jsonify(services.suggest(_text(data, "title", MAX_TITLE), _text(data, "text", MAX_TEXT)))
