"""JSON API /api/v1/stories over the same services as the pages."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import permissions
from ..api.common import ApiError, api_blueprint, int_arg, json_body, token_required
from ..core.ratelimit import posting_limit
from ..extensions import db
from ..i18n import to_bangkok
from ..listing import parse_filters
from . import services

bp = api_blueprint("api_stories", __name__, "/api/v1/stories")

WRITABLE = ("title", "summary", "body", "agency", "province", "year", "categories", "codes", "tags", "template")


def _iso(value):
    return to_bangkok(value).isoformat() if value else None


def serialize(story, full: bool = False) -> dict:
    data = {
        "id": story.id,
        "url": url_for("stories.show", story_id=story.id),
        "title": story.title,
        "summary": story.summary,
        "agency": story.agency,
        "province": story.province,
        "year": story.year,
        "categories": list(story.categories or []),
        "codes": list(story.codes or []),
        "tags": list(story.tags or []),
        "author": story.author.name,
        "status": "published" if story.is_published else "draft",
        "published_at": _iso(story.published_at),
        "updated_at": _iso(story.updated_at),
        "helpful": story.helpful_count,
        "views": story.views,
    }
    if full:
        data.update(
            body=story.body,
            body_html=story.body_html,
            template=story.template,
            attachments=[
                {
                    "name": a.original_name,
                    "url": url_for("stories.upload", name=a.stored_name),
                    "type": a.content_type,
                    "size": a.size,
                }
                for a in story.attachments
            ],
        )
    return data


@bp.route("", methods=["GET"])
def list_stories():
    filters = parse_filters(request.args, extra=("agency", "tag", "sort"))
    if filters.invalid:
        raise ApiError(400, _("Unknown filter value(s): %(names)s.", names=", ".join(filters.invalid)))
    sort = filters.extra.get("sort", "newest")
    if sort not in services.SORTS:
        raise ApiError(
            400, _("'%(name)s' must be one of: %(choices)s.", name="sort", choices=", ".join(services.SORTS))
        )
    filters.page = int_arg("page", 1, 1, 100_000)
    per_page = int_arg("per_page", 20, 1, 100)
    page = services.list_stories(filters, sort=sort, per_page=per_page)
    return jsonify(total=page.total, page=page.page, per_page=page.per_page, results=[serialize(s) for s in page.items])


def _visible(story_id: int):
    story = services.get_story(story_id)
    if story is None or not permissions.can_view(current_user, story):
        raise ApiError(404, _("No such story."))
    return story


@bp.route("/<int:story_id>", methods=["GET"])
def get_story(story_id):
    return jsonify(serialize(_visible(story_id), full=True))


def _publish_flag(data: dict):
    value = data.pop("status", None)
    if value is None:
        return None
    if value not in ("draft", "published"):
        raise ApiError(422, _("Some of the input is not valid."), {"status": [_("Use 'draft' or 'published'.")]})
    return value == "published"


def _checked(data: dict) -> dict:
    unknown = sorted(set(data) - set(WRITABLE))
    if unknown:
        raise ApiError(422, _("Some of the input is not valid."), {k: [_("Unknown field.")] for k in unknown})
    return data


@bp.route("", methods=["POST"])
@token_required()
@posting_limit
def create_story():
    data = dict(json_body())
    publish = _publish_flag(data)
    story = services.create_story(current_user, _checked(data), publish=bool(publish))
    db.session.commit()
    return jsonify(id=story.id, url=url_for("stories.show", story_id=story.id)), 201


@bp.route("/<int:story_id>", methods=["PATCH"])
@token_required()
def update_story(story_id):
    story = _visible(story_id)
    if not permissions.can_edit(current_user, story):
        raise ApiError(403, _("Only the author or a moderator may edit this story."))
    data = dict(json_body())
    publish = _publish_flag(data)
    services.update_story(story, current_user, _checked(data), publish=publish)
    db.session.commit()
    return jsonify(serialize(story, full=True))
