from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..auth import role_required
from ..core.cache import cached_page
from ..core.ratelimit import posting_limit
from ..core.transaction import form_page, transaction
from ..extensions import db
from ..forms import member_form
from ..listing import parse_filters
from ..notifications.digest import smtp_configured
from ..taxonomy import categories, provinces, regions
from . import links, services
from .forms import ContactForm, TrainerForm
from .models import Trainer
from .vcard import vcard

bp = Blueprint("trainers", __name__)


def region_key(raw: str | None) -> str | None:
    if not raw:
        return None
    for region in regions():
        if raw.strip().lower() in (region["key"], region["name_th"], region["name_en"].lower()):
            return region["key"]
    return None


@bp.route("/trainers")
@cached_page()
def index():
    filters = parse_filters(request.args, extra=("region",))
    region = region_key(filters.extra.get("region"))
    if filters.extra.get("region") and region is None:
        filters.invalid.append("region")
        filters.extra.pop("region")
    elif region:
        filters.extra["region"] = region
    trainers = services.list_trainers(
        code=filters.code, category=filters.category, province=filters.province, region=region
    )
    return render_template(
        "trainers/index.html",
        trainers=trainers,
        filters=filters,
        regions=regions(),
        categories=categories(),
        provinces=provinces(),
    )


def _render_detail(trainer: Trainer, contact_form: ContactForm | None, status: int = 200):
    return render_template(
        "trainers/detail.html",
        trainer=trainer,
        show_contact=trainer.contact_visible_to(current_user),
        may_edit=permissions.can_edit(current_user, trainer),
        route=services.contact_route(trainer),
        by_email=smtp_configured(),
        contact_form=contact_form,
        clinics=links.clinics_for(trainer),
    ), status


@bp.route("/trainers/<int:trainer_id>")
@cached_page()
def detail(trainer_id):
    return _render_detail(db.get_or_404(Trainer, trainer_id), member_form(ContactForm))


def _save(form: TrainerForm, trainer: Trainer | None):
    fields = {
        k: getattr(form, k).data
        for k in ("name", "position", "agency", "province", "codes", "bio", "availability", "phone", "email", "line_id")
    }
    if trainer is None:
        trainer = services.create_trainer(**fields)
    else:
        services.update_trainer(trainer, **fields)
    if current_user.has_role("coordinator"):
        services.link_account(trainer, form.account_email.data)
    if permissions.can_record_consent(current_user, trainer):
        services.set_consent(trainer, bool(form.contact_consent.data), current_user)
    return trainer


@bp.route("/trainers/new", methods=["GET", "POST"])
@role_required("coordinator")
def create():
    form = TrainerForm()
    if form.validate_on_submit():
        with transaction(form) as tx:
            trainer = _save(form, None)
        if tx.ok:
            flash(_("The trainer is added to the directory."), "success")
            return redirect(url_for("trainers.detail", trainer_id=trainer.id))
    return form_page("trainers/form.html", form, trainer=None, may_consent=current_user.has_role("admin"))


@bp.route("/trainers/<int:trainer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(trainer_id):
    trainer = db.get_or_404(Trainer, trainer_id)
    if not permissions.can_edit(current_user, trainer):
        abort(403)
    form = TrainerForm(obj=trainer)
    if request.method == "GET":
        form.codes.data = ", ".join(trainer.codes)
        form.account_email.data = trainer.user.email if trainer.user else ""
    if form.validate_on_submit():
        with transaction(form) as tx:
            _save(form, trainer)
        if tx.ok:
            flash(_("The trainer profile is saved."), "success")
            return redirect(url_for("trainers.detail", trainer_id=trainer.id))
    return form_page(
        "trainers/form.html", form, trainer=trainer, may_consent=permissions.can_record_consent(current_user, trainer)
    )


@bp.route("/trainers/<int:trainer_id>/contact", methods=["POST"])
@login_required
@posting_limit
def contact(trainer_id):
    trainer = db.get_or_404(Trainer, trainer_id)
    form = ContactForm()
    if form.validate_on_submit():
        with transaction(form) as tx:
            services.request_contact(trainer, current_user, form.message.data)
        if tx.ok:
            flash(
                _("Your message is sent. The trainer will contact you.")
                if services.contact_route(trainer).kind == "trainer"
                else _("Your message is sent. A coordinator will put you in touch with the trainer."),
                "success",
            )
            return redirect(url_for("trainers.detail", trainer_id=trainer.id))
    return _render_detail(trainer, form, 422)


@bp.route("/trainers/<int:trainer_id>.vcf")
def vcard_download(trainer_id):
    trainer = db.get_or_404(Trainer, trainer_id)
    body = vcard(trainer, with_contact=trainer.contact_visible_to(current_user))
    response = Response(body, mimetype="text/vcard")
    response.headers["Content-Type"] = "text/vcard; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="trainer-{trainer.id}.vcf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
