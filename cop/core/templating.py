"""Template globals shared by every page, and compiled templates kept on disk."""

import os

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

# Sections in the main navigation; an entry shows once its feature's endpoint exists.
NAV = (
    ("stories.index", _l("Case stories")),
    ("threads.index", _l("Questions")),
    ("trainers.index", _l("Trainers")),
    ("clinics.index", _l("Mobile clinics")),
    ("clinics.hotlines", _l("Hotlines")),
    ("aar.index", _l("AAR archive")),
    ("pmqa.category_list", _l("PMQA categories")),
    ("insights.map_page", _l("Knowledge map")),
)


def nav_items():
    endpoints = current_app.view_functions
    return [(endpoint, label) for endpoint, label in NAV if endpoint in endpoints]


def register(app: Flask) -> None:
    from jinja2 import FileSystemBytecodeCache

    from cop.text.thai import cache_dir

    app.jinja_env.globals["nav_items"] = nav_items
    # Compiling a page's templates costs ~150 ms; every worker (and every test app) loads the
    # compiled code instead. Entries are checked against the template source before use.
    directory = os.path.join(cache_dir(), "jinja")
    os.makedirs(directory, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(directory)


def warm_up(app: Flask) -> int:
    """Load every template (from the bytecode cache when it holds them) and both catalogs now, so a
    fresh worker's first page waits for neither Jinja's compiler nor Babel. Returns how many templates."""
    from flask_babel import force_locale, get_translations

    names = app.jinja_env.list_templates(extensions=["html"])
    with app.test_request_context():
        for name in names:
            app.jinja_env.get_template(name)
        for locale in ("th", "en"):
            with force_locale(locale):
                get_translations()
    return len(names)
