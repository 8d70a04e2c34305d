"""Response headers every page carries (no inline script, no framing, no sniffing) and idle sessions.

Sessions are permanent cookies of PERMANENT_SESSION_LIFETIME (COP_SESSION_IDLE_MINUTES) refreshed on
every request, and Flask refuses a cookie signed longer ago than that: a session left idle ends, even
if someone kept a copy of the cookie.
"""

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


#: Requests for files, not pages: they never rewrite the session cookie (see PageSessionInterface).
FILE_ENDPOINTS = frozenset({"static", "core.favicon"})


class PageSessionInterface(SecureCookieSessionInterface):
    """Refresh the session cookie on pages only. A stylesheet or icon still in flight when the next
    page (say /login, which puts a CSRF token in the session) answers would otherwise send the
    older session back last, and the form would then be refused as stale."""

    def should_set_cookie(self, app, session) -> bool:
        if request.endpoint in FILE_ENDPOINTS and not session.modified:
            return False
        return super().should_set_cookie(app, session)


def register(app: Flask) -> None:
    app.session_interface = PageSessionInterface()

    @app.after_request
    def security_headers(response):
        if session and not session.permanent:
            session.permanent = True  # after login's session.clear() too: saved after this handler
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure and app.config.get("HSTS_SECONDS"):
            response.headers.setdefault("Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}")
        return response
