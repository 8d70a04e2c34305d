"""Role checks for views."""

from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import login_manager


def role_required(*roles: str):
    """Allow users with any of the roles (admins always); anonymous users are sent to log in."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
