"""In-app notifications (unread count in the header, a list, mark read), follows, e-mail digest.

Other features call :func:`services.notify` and register what can be followed with
:func:`services.register_target_type`.
"""


def init_app(app):
    from flask_login import current_user

    from .cli import notifications_cli
    from .services import note_text, unread_count
    from .views import bp

    if "notifications" in app.blueprints:  # several features may ask for it
        return
    app.register_blueprint(bp)
    app.cli.add_command(notifications_cli)
    app.jinja_env.filters["note_text"] = note_text

    @app.context_processor
    def _unread_notifications():
        def unread_notifications() -> int:
            return unread_count(current_user.id) if current_user.is_authenticated else 0

        return {"unread_notifications": unread_notifications}
