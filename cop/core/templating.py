"""Template globals shared by every page, and compiled templates kept on disk."""

import os
from functools import lru_cache

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

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


def main_links() -> Markup:
    """The main navigation's list items, the current section marked; built once per language, section and
    mount point (every page shows them twice: the wide bar and the phone menu)."""
    kept = current_app.extensions.setdefault("cop_main_links", {})
    key = (str(get_locale()), request.endpoint, request.script_root)
    links = kept.get(key)
    if links is None:
        links = kept[key] = Markup("").join(
            Markup('\n      <li><a href="{}"{}>{}</a></li>').format(
                url_for(endpoint), Markup(' aria-current="page"') if endpoint == request.endpoint else "", label
            )
            for endpoint, label in nav_items()
        )
    return links


def register(app: Flask) -> None:
    from jinja2 import FileSystemBytecodeCache

    from cop.text.thai import cache_dir

    app.jinja_env.globals["main_links"] = main_links
    # Compiling a page's templates costs ~150 ms; every worker (and every test app) loads the
    # compiled code instead. Entries are checked against the template source before use.
    directory = os.path.join(cache_dir(), "jinja")
    os.makedirs(directory, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(directory)


def warm_up(app: Flask) -> int:
    """Load every template (from the bytecode cache when it holds them) and both catalogs now, so a
    fresh worker's first page waits for neither Jinja's compiler nor Babel. Returns how many templates."""
    names = app.jinja_env.list_templates(extensions=["html"])
    with app.test_request_context():
        for name in names:
            app.jinja_env.get_template(name)
        for locale in ("th", "en"):
            with force_locale(locale):
                get_translations()
    return len(names)


def _page_translations():
    """Flask-Babel's translations for the current locale, kept on the request's Babel context: the
    full lookup (domain, locale, locale name, catalog cache) costs more than the translation itself.
    Keyed by the locale object, so ``force_locale`` still switches catalogs."""
    ctx = g.get("_flask_babel")
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:  # not chosen yet for this request: the full lookup chooses it
        return get_translations()
    kept = getattr(ctx, "cop_translations", None)
    if kept is None or kept[0] is not locale:
        kept = ctx.cop_translations = (locale, get_translations())
    return kept[1]


@pass_context
def _page_gettext(context, string, **variables):
    """``{{ _("…", name=value) }}`` as Jinja's new-style gettext does it (escaped values formatted into
    the translated text), in one call instead of three through ``Context.call``: a results page makes
    ~60 of these calls, each ~15 µs the long way round."""
    text = _page_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # nosec B704  # our own catalog's text (as Jinja's gettext does); % escapes the values
    return text % variables


def install_gettext(app: Flask) -> None:
    """The templates' gettext family through :func:`_page_translations`, and ``_`` in one call (after
    Flask-Babel's init_app, which installs its own)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = _page_gettext


def install_url_for(app: Flask) -> None:
    """Templates' ``url_for`` remembers the links it built: a page builds 40–70 (navigation, chips, facets)
    from the same few hundred endpoint and argument pairs, each ~15 µs through Werkzeug's router.

    Only plain relative links are remembered, per script root: a relative endpoint (``.index``) depends on
    the blueprint, ``_external``/``_anchor`` and list arguments are rare, and ``static`` links carry the
    file's version (ops.register), which changes when the file does."""
    build = app.url_for

    @lru_cache(maxsize=8192)
    def remembered(script_root: str, endpoint: str, arguments: tuple) -> str:
        return build(endpoint, **dict(arguments))

    def url_for(endpoint: str, **values) -> str:
        if endpoint == "static" or endpoint[0] == "." or any(k[0] == "_" for k in values) or not has_request_context():
            return build(endpoint, **values)
        try:
            return remembered(request.script_root, endpoint, tuple(sorted(values.items())))
        except TypeError:  # an unhashable argument (a list of values): built every time
            return build(endpoint, **values)

    app.jinja_env.globals["url_for"] = url_for
