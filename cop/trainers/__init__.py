"""Multiplier-trainer directory (วิทยากรตัวคูณ): profiles, consent-gated contacts, vCards."""


def init_app(app):
    from . import interchange, search
    from .api import bp as api_bp
    from .sections import register as register_sections
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    interchange.register()
    search.register()
    register_sections()
