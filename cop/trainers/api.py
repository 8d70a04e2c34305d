"""GET /api/v1/trainers and /api/v1/trainers/<id>: contact details only with consent and a login."""

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from ..api.common import api_blueprint, checked_filters, get_or_404, paged_json
from . import services
from .models import Trainer
from .views import region_key

bp = api_blueprint("trainers_api", __name__, "/api/v1")


def as_json(trainer: Trainer) -> dict:
    data = {
        "id": trainer.id,
        "name": trainer.name,
        "position": trainer.position,
        "agency": trainer.agency,
        "province": trainer.province,
        "region": trainer.region,
        "categories": trainer.categories,
        "codes": trainer.codes,
        "bio": trainer.bio,
        "availability": trainer.availability,
        "url": f"/trainers/{trainer.id}",
        "contact": None,
    }
    if trainer.contact_visible_to(current_user):
        data["contact"] = {"phone": trainer.phone, "email": trainer.email, "line_id": trainer.line_id}
    return data


@bp.route("/trainers")
def trainers():
    filters, region = checked_filters("region", region_key)
    return paged_json(
        services.list_trainers(code=filters.code, category=filters.category, province=filters.province, region=region),
        as_json,
    )


@bp.route("/trainers/<int:trainer_id>")
def trainer(trainer_id):
    return jsonify(as_json(get_or_404(Trainer, trainer_id, _("No such trainer."))))
