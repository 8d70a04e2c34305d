from flask import Blueprint, abort, render_template

from ..core.cache import cached_page
from ..listing import canonical_code
from ..taxonomy import categories, category_map, code_map
from .registry import sections

bp = Blueprint("pmqa", __name__)


@bp.route("/categories")
@cached_page()
def category_list():
    return render_template("pmqa/categories.html", categories=categories())


@bp.route("/categories/<key>")
@cached_page()
def category(key):
    found = category_map().get(key.upper())
    if found is None:
        abort(404)
    return render_template("pmqa/category.html", category=found, sections=sections(category=found.key))


@bp.route("/codes/<raw>")
@cached_page()
def code(raw):
    normalized = canonical_code(raw, "pmqa.code", "raw")  # one address per code, whatever the spelling
    found = code_map()[normalized]
    return render_template(
        "pmqa/code.html", code=found, category=category_map()[found.category], sections=sections(code=normalized)
    )
