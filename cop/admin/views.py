from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import labels, services
from ..accounts.forms import RoleForm
from ..accounts.models import User
from ..auth import role_required
from ..core.transaction import transaction
from ..extensions import db
from ..threads.labels import describe
from ..threads.moderation import recent_log

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required("admin")
def users():
    query = (request.args.get("q") or "").strip()
    return render_template("admin/users.html", people=services.find_people(query), role_form=RoleForm(), q=query)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        problem = services.role_change_problem(user, form.role.data)
        if not problem and form.confirm.data != "yes" and form.role.data != user.role:
            return render_template("admin/confirm_role.html", person=user, form=form, labels=dict(form.role.choices))
        with transaction() as tx:
            services.set_role(user, form.role.data, actor=current_user, via="web")
        if tx.ok:
            flash(_("%(name)s is now %(role)s.", name=user.name, role=labels.role_label(form.role.data)), "success")
    else:
        flash(_("Choose one of the listed roles."), "error")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@role_required("admin")
def reset_link(user_id):
    user = db.get_or_404(User, user_id)
    link = url_for("accounts.reset_password", token=services.reset_token(user), _external=True)
    flash(_("Send this link to %(name)s; it works once, for three days: %(link)s", name=user.name, link=link), "token")
    return redirect(url_for("admin.users"))


@bp.route("/audit")
@role_required("admin")
def audit():
    """Role changes and post moderation, newest first, in one list."""
    entries = [
        {
            "at": e.created_at,
            "actor": e.actor.name if e.actor else labels.actor_label(e.actor_label),
            "action": labels.audit_action(e.action),
            "target": e.target.name if e.target else "—",
            "detail": labels.audit_detail(e.action, e.detail),
            "url": None,
        }
        for e in services.audit_log(200)
    ]
    entries += describe(recent_log(200))
    entries.sort(key=lambda e: e["at"], reverse=True)
    return render_template("admin/audit.html", entries=entries[:300])
