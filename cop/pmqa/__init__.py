"""PMQA category and activity-code pages, which features fill with their content."""


def init_app(app):
    from .views import bp

    app.register_blueprint(bp)
