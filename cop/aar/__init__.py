"""AAR archive: After Action Reviews of workshops, their outputs and action items."""


def init_app(app):
    from ..clinics.links import register_aar_finder
    from ..pmqa.registry import register_section
    from . import interchange, search, sections, services
    from .api import bp as api_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    interchange.register()
    search.register()
    register_section(sections.provider)
    register_aar_finder(services.published_for_clinic)  # a past clinic's page links its review
