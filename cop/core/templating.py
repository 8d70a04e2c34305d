"""Template globals shared by every page."""

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
    app.jinja_env.globals["nav_items"] = nav_items
