"""JSON API: GET/POST /api/v1/threads, GET /api/v1/threads/<id>, POST /api/v1/threads/<id>/replies."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..api.common import ApiError, api_blueprint, int_arg, json_body, token_required
from ..core.ratelimit import posting_limit
from ..extensions import db
from ..listing import parse_filters
from . import services
from .interchange import format_time

bp = api_blueprint("threads_api", __name__, "/api/v1")


def _viewer():
    return current_user if current_user.is_authenticated else None


def _summary(thread, count: int, answered: bool) -> dict:
    return {
        "id": thread.id,
        "title": thread.title,
        "url": thread.url,
        "categories": thread.categories,
        "codes": thread.codes,
        "author": thread.author.name,
        "created_at": format_time(thread.created_at),
        "last_activity_at": format_time(thread.last_activity_at),
        "replies": count,
        "answered": answered,
        "locked": thread.locked,
    }


@bp.route("/threads")
def list_threads():
    filters = parse_filters(request.args)
    if filters.invalid:
        raise ApiError(400, _("Unknown filter value(s): %(names)s.", names=", ".join(filters.invalid)))
    raw_answered = request.args.get("answered", "")
    if raw_answered not in ("", "yes", "no"):
        raise ApiError(400, _("'%(name)s' must be yes or no.", name="answered"))
    answered = {"yes": True, "no": False}.get(raw_answered)
    page = int_arg("page", 1, 1, 10_000)
    per_page = int_arg("per_page", 20, 1, 100)
    found = services.list_threads(
        category=filters.category, code=filters.code, answered=answered, viewer=_viewer(), page=page, per_page=per_page
    )
    threads, total = found.items, found.total
    ids = [t.id for t in threads]
    counts, answered_ids = services.reply_counts(ids), services.answered_ids(ids)
    return jsonify(
        {
            "total": total,
            "page": page,
            "per_page": per_page,
            "results": [_summary(t, counts.get(t.id, 0), t.id in answered_ids) for t in threads],
        }
    )


@bp.route("/threads/<int:thread_id>")
def get_thread(thread_id):
    thread = services.get_thread(thread_id, _viewer())
    if thread is None:
        raise ApiError(404, _("No such thread."))
    replies = [r for r in services.ordered_replies(thread) if not r.hidden]
    data = _summary(thread, len(replies), thread.id in services.answered_ids([thread.id]))
    data.update(
        body=thread.body,
        body_html=thread.body_html,
        replies=[
            {
                "id": r.id,
                "body": r.body,
                "body_html": r.body_html,
                "author": r.author.name,
                "created_at": format_time(r.created_at),
                "key_lesson": r.is_key,
            }
            for r in replies
        ],
    )
    data["replies_count"] = len(replies)
    return jsonify(data)


def _strings(data: dict, name: str) -> list[str] | str:
    value = data.get(name, [])
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ApiError(400, _("'%(name)s' must be a list of strings.", name=name))
    return [str(v) for v in value]


@bp.route("/threads", methods=["POST"])
@token_required()
@posting_limit
def create_thread():
    data = json_body()
    unknown = sorted(set(data) - {"title", "body", "categories", "codes", "related"})
    if unknown:
        raise ApiError(400, _("Unknown keys: %(keys)s.", keys=", ".join(unknown)))
    for name in ("title", "body"):
        if not isinstance(data.get(name, ""), str):
            raise ApiError(400, _("'%(name)s' must be a string.", name=name))
    thread = services.create_thread(
        current_user,
        title=data.get("title", ""),
        body=data.get("body", ""),
        categories=_strings(data, "categories"),
        codes=_strings(data, "codes"),
        related=data.get("related") if isinstance(data.get("related"), str) else None,
    )
    db.session.commit()
    return jsonify({"id": thread.id, "url": thread.url}), 201


@bp.route("/threads/<int:thread_id>/replies", methods=["POST"])
@token_required()
@posting_limit
def create_reply(thread_id):
    thread = services.get_thread(thread_id, current_user)
    if thread is None:
        raise ApiError(404, _("No such thread."))
    data = json_body()
    if not isinstance(data.get("body", ""), str):
        raise ApiError(400, _("'%(name)s' must be a string.", name="body"))
    refusal = services.reply_refusal(thread)
    if refusal:
        raise ApiError(409, refusal)
    reply = services.add_reply(thread, current_user, data.get("body", ""))
    db.session.commit()
    return jsonify({"id": reply.id, "url": reply.url, "thread_id": thread.id}), 201
