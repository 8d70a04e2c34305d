"""Friendly error pages in the user's language, JSON for the API."""
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..extensions import db
from . import ratelimit


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have permission to see this page."),
            404: _("We could not find that page."),
            405: _("That action is not allowed here."),
            413: _("What you sent is too large: at most %(mb)s MB at a time. Attach fewer or smaller files.",
                   mb=app.config.get("MAX_UPLOAD_MB")),
            422: _("Some of the information is not valid."),
            429: _("Too many attempts. Please wait a minute and try again."),
        }
        message = messages.get(exc.code, exc.description or exc.name)
        if _wants_json():
            return jsonify(error=exc.name, message=message), exc.code
        if exc.code == 429 and request.method == "POST":
            again = ratelimit.form_again(request.endpoint)
            if again is not None:  # the same form with what was typed, and the message above it
                db.session.rollback()
                return again(message), 429
        return render_template("errors/error.html", code=exc.code, message=message), exc.code

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path.replace("\n", " "))
        db.session.rollback()
        message = _("Something went wrong on our side. Nothing you sent was half-saved; please try again.")
        if _wants_json():
            return jsonify(error="Internal Server Error", message=message), 500
        return render_template("errors/error.html", code=500, message=message), 500
