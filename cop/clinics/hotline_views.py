"""Hotline pages: /hotlines and the rota coordinators edit (``register`` adds them to the clinics blueprint)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import role_required
from ..core.transaction import form_page, transaction
from ..extensions import db
from . import hotlines as services
from .forms import HotlineForm, ShiftForm
from .models import Hotline, HotlineShift

FIELDS = ("name", "phone", "extension", "hours", "agency")


def hotlines():
    items = services.list_hotlines()
    may_edit = current_user.is_authenticated and current_user.has_role("coordinator")
    return render_template(
        "clinics/hotlines.html",
        hotlines=items,
        may_edit=may_edit,
        shifts={h.id: services.current_and_next_shifts(h) for h in items},
        shift_form=ShiftForm() if may_edit else None,
    )


@role_required("coordinator")
def hotline_new():
    return _hotline_form(None)


@role_required("coordinator")
def hotline_edit(hotline_id):
    return _hotline_form(db.get_or_404(Hotline, hotline_id))


def _hotline_form(hotline: Hotline | None):
    form = HotlineForm(obj=hotline)
    if form.validate_on_submit():
        fields = {k: getattr(form, k).data for k in FIELDS}
        with transaction(form) as tx:
            if hotline is None:
                services.create_hotline(**fields)
            else:
                services.update_hotline(hotline, **fields)
        if tx.ok:
            flash(_("The hotline is saved."), "success")
            return redirect(url_for("clinics.hotlines"))
    return form_page("clinics/hotline_form.html", form, hotline=hotline)


def _delete_then_list(row, delete, message: str, category: str):
    """``delete(row)`` and commit, then back to the hotline list."""
    with transaction():
        delete(row)
    flash(message, category)
    return redirect(url_for("clinics.hotlines"), 303)


@role_required("coordinator")
def hotline_delete(hotline_id):
    hotline = db.get_or_404(Hotline, hotline_id)
    return _delete_then_list(hotline, services.delete_hotline, _("The hotline is removed."), "info")


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


@role_required("coordinator")
def hotline_delete_shift(shift_id):
    shift = db.get_or_404(HotlineShift, shift_id)
    return _delete_then_list(shift, services.delete_shift, _("The rota is updated."), "success")


def register(bp) -> None:
    """Add the hotline pages to the clinics blueprint (the navigation names "clinics.hotlines")."""
    bp.add_url_rule("/hotlines", view_func=hotlines)
    bp.add_url_rule("/hotlines/new", view_func=hotline_new, methods=["GET", "POST"])
    bp.add_url_rule("/hotlines/<int:hotline_id>/edit", view_func=hotline_edit, methods=["GET", "POST"])
    bp.add_url_rule("/hotlines/<int:hotline_id>/delete", view_func=hotline_delete, methods=["POST"])
    bp.add_url_rule("/hotlines/<int:hotline_id>/shifts", view_func=hotline_add_shift, methods=["POST"])
    bp.add_url_rule("/hotlines/shifts/<int:shift_id>/delete", view_func=hotline_delete_shift, methods=["POST"])
