"""Assistants for writers: category and code suggestions, similar content (POST /api/v1/suggest)."""


def suggest_names() -> dict:
    """Labels the suggestion panel shows for category keys and codes, in the interface language."""
    from flask_babel import get_locale
    from flask_babel import gettext as _

    from ..taxonomy import categories

    thai = str(get_locale() or "th").startswith("th")
    return {
        "categories": {
            c.key: f"{_('Category %(key)s', key=c.key)} · {c.name_th if thai else c.name_en}" for c in categories()
        },
        "codes": {
            code.code: f"{code.code} · {code.gloss_th if thai else code.gloss_en}"
            for c in categories()
            for code in c.codes
        },
    }


def init_app(app):
    from .api import bp
    from .cli import suggest_cli

    app.register_blueprint(bp)
    app.cli.add_command(suggest_cli)
    app.add_template_global(suggest_names)
