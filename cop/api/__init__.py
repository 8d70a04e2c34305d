"""JSON API /api/v1: search here; each feature adds its own resource blueprint using common.py."""


def init_app(app):
    from .views import bp

    app.register_blueprint(bp)
