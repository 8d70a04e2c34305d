from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.services import is_safe_next
from ..core.transaction import transaction
from ..forms import ButtonForm, require_button
from . import services

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


@bp.route("/notifications")
@login_required
def index():
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    total = services.count_for(current_user.id)
    notes = services.list_for(current_user.id, PER_PAGE, (page - 1) * PER_PAGE)
    return render_template(
        "notifications/index.html",
        notes=notes,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        form=ButtonForm(),
        follows=services.follows_of(current_user.id),
    )


@bp.route("/notifications/<int:note_id>/read", methods=["POST"])
@bp.route("/notifications/read-all", methods=["POST"], endpoint="mark_all_read", defaults={"note_id": None})
@login_required
def mark_read(note_id):
    """Mark one notification read, or all of them (``note_id`` None)."""
    require_button()
    with transaction():
        services.mark_read(current_user.id, note_id)
    if note_id is None:
        flash(_("All notifications are marked read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/follows", methods=["POST"])
@login_required
def toggle_follow():
    """Follow or stop following: fields target_type, target_key, action (follow|unfollow), next."""
    require_button()
    target_type = request.form.get("target_type", "")
    key = request.form.get("target_key", "")
    with transaction() as tx:
        if request.form.get("action") == "unfollow":
            services.unfollow(current_user.id, target_type, key)
            message = _("You no longer follow this.")
        else:
            services.follow(current_user.id, target_type, key)
            message = _("You follow this now; new activity appears in your notifications.")
    if tx.ok:
        flash(message, "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("notifications.index"))
