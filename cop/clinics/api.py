"""GET /api/v1/hotlines, /api/v1/clinics, /api/v1/clinics/<id> (read-only; no registrant data)."""

from flask import jsonify
from flask_babel import gettext as _

from ..api.common import api_blueprint, checked_filters, get_or_404, paged_json
from . import hotlines, services
from .models import Clinic

bp = api_blueprint("clinics_api", __name__, "/api/v1")


def clinic_json(clinic: Clinic) -> dict:
    return {
        "id": clinic.id,
        "uid": clinic.uid,
        "title": clinic.title,
        "description": clinic.description,
        "starts_at": services.bangkok_iso(clinic.starts_at),
        "ends_at": services.bangkok_iso(clinic.ends_at),
        "registration_deadline": (
            services.bangkok_iso(clinic.registration_deadline) if clinic.registration_deadline else None
        ),
        "venue": clinic.venue,
        "province": clinic.province,
        "codes": clinic.codes,
        "status": clinic.status,
        "capacity": clinic.capacity,
        "seats_left": clinic.seats_left,
        "sequence": clinic.sequence,
        "trainers": [{"id": t.id, "name": t.name, "url": f"/trainers/{t.id}"} for t in clinic.trainers],
        "url": f"/clinics/{clinic.id}",
        "ics": f"/clinics/{clinic.id}.ics",
    }


@bp.route("/clinics")
def clinics():
    filters, month = checked_filters("month", services.parse_month)
    return paged_json(
        services.list_clinics(province=filters.province, code=filters.code, category=filters.category, month=month),
        clinic_json,
    )


@bp.route("/clinics/<int:clinic_id>")
def clinic(clinic_id):
    return jsonify(clinic_json(get_or_404(Clinic, clinic_id, _("No such clinic."))))


@bp.route("/hotlines")
def hotline_list():
    return jsonify(
        {
            "results": [
                {
                    "id": h.id,
                    "name": h.name,
                    "phone": h.phone,
                    "extension": h.extension,
                    "hours": h.hours,
                    "agency": h.agency,
                }
                for h in hotlines.list_hotlines()
            ]
        }
    )
