"""Insights: the knowledge map (where content is rich or missing) and coordinators' statistics."""


def init_app(app):
    from .views import bp

    app.register_blueprint(bp)
