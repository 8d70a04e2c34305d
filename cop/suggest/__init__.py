"""Assistants for writers: category and code suggestions, similar content (POST /api/v1/suggest)."""


def init_app(app):
    from .api import bp
    from .cli import suggest_cli

    app.register_blueprint(bp)
    app.cli.add_command(suggest_cli)
