"""Case stories: writing from templates, revisions, attachments, helpful marks, feeds and the API."""


def init_app(app):
    from ..pmqa.registry import register_section
    from . import api, interchange, search
    from .sections import provider
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    interchange.register()
    search.register()
    register_section(provider)
