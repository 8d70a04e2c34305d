from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from ..extensions import db
from ..insights import newcomer
from ..permissions import is_moderator
from ..search import service as search_service
from ..taxonomy import categories, provinces
from .cache import PAGE_TTL, cached_page, shared

bp = Blueprint("core", __name__)


@bp.route("/")
@cached_page()
def home():
    """A newcomer's start: what PMQA is, how to use the site, and one topic's knowledge on one page."""
    topic = newcomer.parse_topic(request.args)
    province = newcomer.home_province(request.args, current_user)
    return render_template("core/home.html", blocks=_home_blocks(topic, province))


def _home_blocks(topic, province) -> Markup:
    """The blocks rendered once per topic, province, language and kind of reader (per content version,
    at most a minute: the clinics are "upcoming"), so a logged-in member's home costs a header."""
    topic_key = topic.code.code if topic.code else (topic.category.key if topic.category else "")
    reader = "moderator" if is_moderator(current_user) else "member" if current_user.is_authenticated else "anonymous"
    return shared(
        f"home-blocks:{get_locale()}:{topic_key}:{province or ''}:{reader}",
        lambda: Markup(  # nosec B704  # a rendered template: autoescaped already
            render_template(
                "core/_home_blocks.html",
                categories=categories(),
                provinces=provinces(),
                topic=topic,
                province=province,
                seen=newcomer.together(topic, province, viewer=current_user),
            )
        ),
        ttl=PAGE_TTL,
    )


@bp.route("/favicon.ico")
def favicon():
    # Browsers and bookmark tools ask for /favicon.ico whatever the page's <link rel=icon> says.
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600
    )


@bp.route("/healthz")
def healthz():
    status = {"status": "ok"}
    code = 200
    try:
        db.session.execute(text("SELECT 1"))
        status["database"] = "ok"
    except Exception as exc:  # report, don't raise: this endpoint exists to say what is wrong
        current_app.logger.warning("healthz: database: %r", exc)
        status.update(status="error", database="error")
        code = 503
    try:
        status["index_documents"] = search_service.backend().count()
        status["index"] = "ok"
    except Exception as exc:
        current_app.logger.warning("healthz: index: %r", exc)
        status.update(status="error", index="error")
        code = 503
    return jsonify(status), code
