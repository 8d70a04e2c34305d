"""Pages of the AAR archive: list, actions overview, one AAR, its print layout, the editor."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import permissions, uploads
from ..auth import role_required
from ..core.cache import cached_page
from ..core.transaction import form_page, transaction
from ..extensions import db
from ..forms import ButtonForm, require_button
from ..listing import parse_filters
from ..taxonomy import categories, implied_categories, provinces
from . import record, services
from .forms import AarForm, ActionForm, ActionStateForm, AttachmentForm
from .models import Aar, AarAttachment, ActionItem

bp = Blueprint("aar", __name__)


@bp.context_processor
def _filter_choices():
    return {"pmqa_categories": categories, "all_provinces": provinces}


def _aar_or_404(aar_id: int, edit: bool = False) -> Aar:
    aar = db.session.get(Aar, aar_id)
    if aar is None or not permissions.can_view(current_user, aar):
        abort(404)
    if edit and not permissions.can_edit(current_user, aar):
        abort(403)
    return aar


@bp.route("/aar")
@cached_page()
def index():
    filters = parse_filters(request.args, extra=("agency",))
    per_page = current_app.config["PER_PAGE"]
    page = services.list_filtered(filters, filters.page, per_page)
    return render_template(
        "aar/index.html",
        aars=page.items,
        total=page.total,
        filters=filters,
        pages=page.pages,
        agencies=services.agency_names(),
        drafts=services.drafts_for(current_user),
        can_create=permissions.can_create_aar(current_user),
    )


@bp.route("/aar/actions")
@cached_page()
def actions():
    filters = parse_filters(request.args, extra=("agency", "show"))
    overdue_only = filters.extra.get("show") == "overdue"
    items = services.open_actions(
        agency=filters.extra.get("agency"), code=filters.code, category=filters.category, overdue_only=overdue_only
    )
    today = services.today()
    return render_template(
        "aar/actions.html",
        items=items,
        filters=filters,
        today=today,
        overdue=sum(1 for i in items if i.is_overdue(today)),
        overdue_only=overdue_only,
        agencies=services.agency_names(),
    )


def _fields(form: AarForm) -> dict:
    fields = {
        name: getattr(form, name).data
        for name in (
            "title",
            "held_on",
            "held_until",
            "venue",
            "province",
            "participants",
            "facilitators",
            "agencies",
            "codes",
            "categories",
            "expected",
            "actual",
            "why",
            "next_time",
            "body",
        )
    }
    kind, _sep, number = (form.link.data or "").strip().partition(":")
    fields["link_type"], fields["link_id"] = kind or None, number or None
    return fields


def _render_edit(form: AarForm, aar: Aar | None):
    kind, _sep, number = (form.link.data or "").partition(":")
    choices = services.link_choices(kind, int(number) if number.isdigit() else None)
    return form_page("aar/edit.html", form, aar=aar, link_choices=choices)


@bp.route("/aar/new", methods=["GET", "POST"])
@role_required("facilitator")
def create():
    form = AarForm()
    if request.method == "GET":
        form.facilitators.data = current_user.email
        form.agencies.data = current_user.agency or ""
        form.province.data = current_user.province or ""
    if form.validate_on_submit():
        with transaction(form) as tx:
            aar = services.create_aar(current_user, publish=request.form.get("action") == "publish", **_fields(form))
        if tx.ok:
            flash(_("The AAR is published.") if aar.is_published else _("The AAR is saved as a draft."), "success")
            return redirect(url_for("aar.detail", aar_id=aar.id))
    return _render_edit(form, None)


@bp.route("/aar/<int:aar_id>/edit", methods=["GET", "POST"])
@role_required("facilitator")
def edit(aar_id):
    aar = _aar_or_404(aar_id, edit=True)
    form = AarForm(obj=aar if request.method == "GET" else None)
    if request.method == "GET":
        form.held_on.data = aar.held_on
        form.held_until.data = aar.held_until
        form.participants.data = "" if aar.participants is None else str(aar.participants)
        form.facilitators.data = ", ".join(u.email for u in aar.facilitators)
        form.agencies.data = "\n".join(aar.agencies)
        form.codes.data = ", ".join(aar.codes)
        implied = set(implied_categories(aar.codes))
        form.categories.data = ", ".join(c for c in aar.categories if c not in implied)
        form.link.data = f"{aar.link_type}:{aar.link_id}" if aar.link_type and aar.link_id else ""
    if form.validate_on_submit():
        action = request.form.get("action")
        publish = True if action == "publish" else False if action == "draft" else None
        was_published = aar.is_published
        with transaction(form) as tx:
            services.update_aar(aar, publish=publish, **_fields(form))
        if tx.ok:
            flash(
                _("The AAR is published.") if aar.is_published and not was_published else _("The AAR is saved."),
                "success",
            )
            return redirect(url_for("aar.detail", aar_id=aar.id))
    return _render_edit(form, aar)


def _detail_context(aar: Aar) -> dict:
    return {
        "aar": aar,
        "today": services.today(),
        "labels": record.answer_labels(),
        "link_url": services.link_url(aar),
        "link_title": services.link_title(aar.link_type, aar.link_id),
        "can_edit": permissions.can_edit(current_user, aar),
    }


@bp.route("/aar/<int:aar_id>")
@cached_page()
def detail(aar_id):
    aar = _aar_or_404(aar_id)
    context = _detail_context(aar)
    if context["can_edit"]:
        context.update(
            action_form=ActionForm(prefix="new"),
            attachment_form=AttachmentForm(),
            confirm=ButtonForm(),
            state_form=ActionStateForm,
        )
    return render_template("aar/detail.html", **context)


@bp.route("/aar/<int:aar_id>/print")
def print_view(aar_id):
    return render_template("aar/print.html", **_detail_context(_aar_or_404(aar_id)))


@bp.route("/aar/<int:aar_id>/publish", methods=["POST"])
@role_required("facilitator")
def publish(aar_id):
    aar = _aar_or_404(aar_id, edit=True)
    require_button()
    with transaction() as tx:
        services.publish(aar)
    if tx.ok:
        flash(_("The AAR is published."), "success")
    return redirect(url_for("aar.detail", aar_id=aar.id))


@bp.route("/aar/<int:aar_id>/unpublish", methods=["POST"])
@role_required("facilitator")
def unpublish(aar_id):
    aar = _aar_or_404(aar_id, edit=True)
    require_button()
    with transaction():
        services.unpublish(aar)
    flash(_("The AAR is back to draft: only its facilitators see it."), "info")
    return redirect(url_for("aar.detail", aar_id=aar.id))


@bp.route("/aar/<int:aar_id>/delete", methods=["POST"])
@role_required("facilitator")
def delete(aar_id):
    aar = _aar_or_404(aar_id, edit=True)
    require_button()
    with transaction():
        names = services.delete_aar(aar)
    uploads.remove_files(names)
    flash(_("The AAR is deleted."), "info")
    return redirect(url_for("aar.index"))


@bp.route("/aar/<int:aar_id>/actions", methods=["POST"])
@role_required("facilitator")
def add_action(aar_id):
    aar = _aar_or_404(aar_id, edit=True)
    form = ActionForm(prefix="new")
    if form.validate_on_submit():
        with transaction(form) as tx:
            services.add_action(aar, what=form.what.data, owner=form.owner.data, due_on=form.due_on.data)
        if tx.ok:
            flash(_("The action item is added."), "success")
            return redirect(url_for("aar.detail", aar_id=aar.id, _anchor="actions"))
    context = _detail_context(aar)
    context.update(action_form=form, attachment_form=AttachmentForm(), confirm=ButtonForm(), state_form=ActionStateForm)
    return render_template("aar/detail.html", **context), 422


def _item_or_404(aar: Aar, item_id: int) -> ActionItem:
    item = db.session.get(ActionItem, item_id)
    if item is None or item.aar_id != aar.id:
        abort(404)
    return item


@bp.route("/aar/<int:aar_id>/actions/<int:item_id>", methods=["POST"])
@role_required("facilitator")
def set_action_state(aar_id, item_id):
    aar = _aar_or_404(aar_id, edit=True)
    item = _item_or_404(aar, item_id)
    form = ActionStateForm(prefix=f"item{item.id}")
    if not form.validate_on_submit():
        flash(_("Choose open, done or dropped."), "error")
    else:
        with transaction() as tx:
            services.set_action_state(item, form.state.data, form.reason.data)
        if tx.ok:
            flash(_("The action item is updated."), "success")
    return redirect(url_for("aar.detail", aar_id=aar.id, _anchor=f"action-{item.id}"))


@bp.route("/aar/<int:aar_id>/actions/<int:item_id>/delete", methods=["POST"])
@role_required("facilitator")
def delete_action(aar_id, item_id):
    aar = _aar_or_404(aar_id, edit=True)
    item = _item_or_404(aar, item_id)
    require_button()
    with transaction():
        services.delete_action(item)
    flash(_("The action item is removed."), "info")
    return redirect(url_for("aar.detail", aar_id=aar.id, _anchor="actions"))


@bp.route("/aar/<int:aar_id>/attachments", methods=["POST"])
@role_required("facilitator")
def add_attachments(aar_id):
    aar = _aar_or_404(aar_id, edit=True)
    form = AttachmentForm()
    files = [f for f in (form.files.data or []) if getattr(f, "filename", "")]
    if not form.validate_on_submit() or not files:
        flash(_("Choose at least one file to upload."), "error")
        return redirect(url_for("aar.detail", aar_id=aar.id, _anchor="outputs"))
    saved = []
    with transaction() as tx:
        tx.on_rollback(lambda: uploads.remove_files(saved))  # files written before a refused one
        for upload in files:
            saved.append(services.add_attachment(aar, upload, current_user).stored_name)
    if tx.ok:
        flash(_("%(n)d file(s) added.", n=len(saved)), "success")
    return redirect(url_for("aar.detail", aar_id=aar.id, _anchor="outputs"))


def _attachment_or_404(aar: Aar, attachment_id: int) -> AarAttachment:
    attachment = db.session.get(AarAttachment, attachment_id)
    if attachment is None or attachment.aar_id != aar.id:
        abort(404)
    return attachment


@bp.route("/aar/<int:aar_id>/files/<int:attachment_id>")
def attachment(aar_id, attachment_id):
    aar = _aar_or_404(aar_id)
    found = _attachment_or_404(aar, attachment_id)
    return uploads.send(found.stored_name, found.original_name, found.content_type, public=aar.is_published)


@bp.route("/aar/<int:aar_id>/files/<int:attachment_id>/delete", methods=["POST"])
@role_required("facilitator")
def delete_attachment(aar_id, attachment_id):
    aar = _aar_or_404(aar_id, edit=True)
    found = _attachment_or_404(aar, attachment_id)
    require_button()
    with transaction():
        name = services.delete_attachment(found)
    uploads.remove_files([name])
    flash(_("The file is removed."), "info")
    return redirect(url_for("aar.detail", aar_id=aar.id, _anchor="outputs"))
