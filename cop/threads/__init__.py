"""Lessons-learned threads: questions and replies, key lessons, follows, moderation, feeds and API."""


def init_app(app):
    from ..notifications import init_app as init_notifications
    from ..notifications.services import register_target_type
    from ..pmqa.registry import register_section
    from ..taxonomy import get_category, normalize_code
    from . import interchange, search, sections
    from .api import bp as api_bp
    from .views import bp

    init_notifications(app)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    interchange.register()
    search.register()
    register_section(sections.recent_questions)
    register_section(sections.tactic_cards)
    register_target_type("thread", _thread_key)
    register_target_type("category", lambda raw: c.key if (c := get_category(raw)) else None)
    register_target_type("code", normalize_code)

    @app.context_processor
    def _open_reports():
        def open_reports_count() -> int:
            from flask_login import current_user

            from .moderation import open_report_count

            return open_report_count() if getattr(current_user, "is_moderator", False) else 0

        return {"open_reports_count": open_reports_count}


def _thread_key(raw: str) -> str | None:
    from .services import get_thread

    return str(int(raw)) if raw.isdigit() and get_thread(int(raw)) is not None else None
