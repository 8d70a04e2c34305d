"""Accounts: registration, login, roles, API tokens."""


def init_app(app):
    from . import interchange
    from .views import bp

    app.register_blueprint(bp)
    interchange.register()
