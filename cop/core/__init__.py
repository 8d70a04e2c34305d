"""Site-wide pages: home, health check, error pages."""


def init_app(app):
    from . import cache, security
    from .views import bp

    app.register_blueprint(bp)
    security.register(app)
    cache.init_app(app)
