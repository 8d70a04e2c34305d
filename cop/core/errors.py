"""Friendly error pages in the user's language, JSON for the API."""

from urllib.parse import urlsplit

from flask import (
    Flask,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ..extensions import db
from . import ratelimit


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _messages(app: Flask) -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in to access this page."),
        403: _("You do not have permission to see this page."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        409: _("Someone else changed this at the same time. Please reload the page and try again."),
        413: _(
            "What you sent is too large: at most %(mb)s MB at a time. Attach fewer or smaller files.",
            mb=app.config.get("MAX_UPLOAD_MB"),
        ),
        422: _("Some of the information is not valid."),
        429: _("Too many attempts. Please wait a minute and try again."),
    }


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Please log in"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not allowed here"),
        409: _("Changed meanwhile"),
        413: _("Too large"),
        422: _("Not valid"),
        429: _("Too many attempts"),
        500: _("Something went wrong"),
    }


def _page(code: int, message: str):
    title = _titles().get(code, _("Something went wrong"))
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _same_site(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _reshow_form(app: Flask):
    """Render the page the form came from again, with what was typed, without acting on it: the request
    is treated as a GET (nothing is saved) and the forms read the posted values (BaseForm.Meta)."""
    adapter = app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, args = adapter.match(request.path, method="GET")
    except (NotFound, MethodNotAllowed):
        return None
    except Exception:  # noqa: BLE001  a redirect rule and the like: no page to re-show here
        return None
    if endpoint != request.endpoint:
        return None
    request.method = "GET"
    g.csrf_replay = True
    try:
        response = make_response(app.view_functions[endpoint](**args))
    finally:
        g.csrf_replay = False
    if response.status_code != 200:
        return None
    response.status_code = 400
    return response


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = _(
            "The form was open too long or did not come from this site, so nothing was saved. "
            "Please check it and send it again."
        )
        if _wants_json():
            return jsonify(error="Bad Request", message=message), 400
        flash(message, "error")
        if request.method == "POST":
            response = _reshow_form(app)
            if response is not None:
                return response
            back = _same_site(request.referrer)
            if back and back != request.path:
                return redirect(back, code=303)
        return _page(400, message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = _messages(app).get(exc.code) or _("Something went wrong. Please try again.")
        if _wants_json():
            return jsonify(error=exc.name, message=message), exc.code
        if exc.code == 429 and request.method == "POST":
            again = ratelimit.form_again(request.endpoint)
            if again is not None:  # the same form with what was typed, and the message above it
                db.session.rollback()
                return again(message), 429
        return _page(exc.code, message)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path.replace("\n", " "))
        db.session.rollback()
        message = _("Something went wrong on our side. Nothing you sent was half-saved; please try again.")
        if _wants_json():
            return jsonify(error="Internal Server Error", message=message), 500
        return _page(500, message)
