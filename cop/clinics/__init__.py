"""Hotlines, mobile clinics (คลินิกสัญจร), registrations with waitlists, iCalendar feeds, reminders."""


def init_app(app):
    from ..trainers import links as trainer_links
    from . import interchange, search, services
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
    trainer_links.register_clinic_finder(services.list_clinics_for_trainer)
    trainer_links.on_trainer_changed(services.reindex_clinics_of_trainer)
