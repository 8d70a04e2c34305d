"""GET /api/v1/aars and /api/v1/aars/<id>: published AARs for reading."""

from math import ceil

from flask import jsonify, request
from flask_babel import gettext as _

from ..api.common import ApiError, api_blueprint, int_arg
from ..extensions import db
from ..listing import parse_filters
from . import services
from .models import Aar

bp = api_blueprint("aar_api", __name__, "/api/v1")


def _summary(aar: Aar) -> dict:
    return {
        "id": aar.id,
        "title": aar.title,
        "url": f"/aar/{aar.id}",
        "held_on": aar.held_on.isoformat(),
        "held_until": aar.held_until.isoformat() if aar.held_until else None,
        "venue": aar.venue,
        "province": aar.province,
        "participants": aar.participants,
        "agencies": aar.agencies,
        "categories": aar.categories,
        "codes": aar.codes,
        "published_at": aar.published_at.isoformat() + "Z" if aar.published_at else None,
    }


def _full(aar: Aar) -> dict:
    today = services.today()
    data = _summary(aar)
    data.update(
        {
            "facilitators": [{"name": u.name, "email": u.email} for u in aar.facilitators],
            "expected": aar.expected,
            "actual": aar.actual,
            "why": aar.why,
            "next_time": aar.next_time,
            "body": aar.body,
            "html": {name: getattr(aar, f"{name}_html") for name in ("expected", "actual", "why", "next_time", "body")},
            "link": {"type": aar.link_type, "id": aar.link_id, "url": services.link_url(aar)}
            if aar.link_type
            else None,
            "action_items": [
                {
                    "id": i.id,
                    "what": i.what,
                    "owner": i.owner,
                    "due_on": i.due_on.isoformat() if i.due_on else None,
                    "state": i.state,
                    "reason": i.reason or None,
                    "overdue": i.is_overdue(today),
                }
                for i in aar.actions
            ],
            "attachments": [
                {
                    "id": a.id,
                    "name": a.original_name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "url": f"/aar/{aar.id}/files/{a.id}",
                }
                for a in aar.attachments
            ],
        }
    )
    return data


@bp.route("/aars")
def list_aars():
    filters = parse_filters(request.args, extra=("agency",))
    if filters.invalid:
        raise ApiError(400, _("Unknown filter value(s): %(names)s.", names=", ".join(filters.invalid)))
    page = int_arg("page", 1, 1, 10_000)
    per_page = int_arg("per_page", 20, 1, 100)
    found = services.list_filtered(filters, page, per_page)
    rows, total = found.items, found.total
    return jsonify(
        {
            "total": total,
            "page": page,
            "per_page": per_page,
            "pages": max(1, ceil(total / per_page)),
            "results": [_summary(a) for a in rows],
        }
    )


@bp.route("/aars/<int:aar_id>")
def get_aar(aar_id):
    aar = db.session.get(Aar, aar_id)
    if aar is None or not aar.is_published:
        raise ApiError(404, _("No published AAR with this id."))
    return jsonify(_full(aar))
