"""Hotline pages: /hotlines and the rota coordinators edit (routes on the clinics blueprint)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import role_required
from ..core.transaction import form_page, transaction
from ..extensions import db
from . import hotlines as services
from .forms import HotlineForm, ShiftForm
from .models import Hotline, HotlineShift
from .views import bp  # one blueprint: the navigation names "clinics.hotlines"

FIELDS = ("name", "phone", "extension", "hours", "agency")


@bp.route("/hotlines")
def hotlines():
    items = services.list_hotlines()
    may_edit = current_user.is_authenticated and current_user.has_role("coordinator")
    return render_template("clinics/hotlines.html", hotlines=items, may_edit=may_edit,
                           shifts={h.id: services.current_and_next_shifts(h) for h in items},
                           shift_form=ShiftForm() if may_edit else None)


@bp.route("/hotlines/new", methods=["GET", "POST"])
@role_required("coordinator")
def hotline_new():
    form = HotlineForm()
    if form.validate_on_submit():
        with transaction(form) as tx:
            services.create_hotline(**{k: getattr(form, k).data for k in FIELDS})
        if tx.ok:
            flash(_("The hotline is saved."), "success")
            return redirect(url_for("clinics.hotlines"))
    return form_page("clinics/hotline_form.html", form, hotline=None)


@bp.route("/hotlines/<int:hotline_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def hotline_edit(hotline_id):
    hotline = db.get_or_404(Hotline, hotline_id)
    form = HotlineForm(obj=hotline)
    if form.validate_on_submit():
        with transaction(form) as tx:
            services.update_hotline(hotline, **{k: getattr(form, k).data for k in FIELDS})
        if tx.ok:
            flash(_("The hotline is saved."), "success")
            return redirect(url_for("clinics.hotlines"))
    return form_page("clinics/hotline_form.html", form, hotline=hotline)


@bp.route("/hotlines/<int:hotline_id>/delete", methods=["POST"])
@role_required("coordinator")
def hotline_delete(hotline_id):
    with transaction():
        services.delete_hotline(db.get_or_404(Hotline, hotline_id))
    flash(_("The hotline is removed."), "info")
    return redirect(url_for("clinics.hotlines"), 303)


@bp.route("/hotlines/<int:hotline_id>/shifts", methods=["POST"])
@role_required("coordinator")
def hotline_add_shift(hotline_id):
    hotline = db.get_or_404(Hotline, hotline_id)
    form = ShiftForm()
    if form.validate_on_submit():
        with transaction(form) as tx:
            services.add_shift(hotline, form.staff_name.data, form.starts_at.data, form.ends_at.data)
        if tx.ok:
            flash(_("The rota is updated."), "success")
            return redirect(url_for("clinics.hotlines"), 303)
    return render_template("clinics/shift_form.html", form=form, hotline=hotline), 422


@bp.route("/hotlines/shifts/<int:shift_id>/delete", methods=["POST"])
@role_required("coordinator")
def hotline_delete_shift(shift_id):
    with transaction():
        services.delete_shift(db.get_or_404(HotlineShift, shift_id))
    flash(_("The rota is updated."), "success")
    return redirect(url_for("clinics.hotlines"), 303)
