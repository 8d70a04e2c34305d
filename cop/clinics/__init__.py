"""Hotlines, mobile clinics (คลินิกสัญจร), registrations with waitlists, iCalendar feeds, reminders."""


def init_app(app):
    from . import hotline_views, interchange, search  # noqa: F401  (hotline routes join the clinics blueprint)
    from .api import bp as api_bp
    from .cli import clinics_cli
    from .sections import register as register_sections
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(clinics_cli)
    interchange.register()
    search.register()
    register_sections()
