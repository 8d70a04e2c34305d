"""Story pages: list, read, write, edit, history, attachments, helpful marks, feeds."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions, uploads
from ..core.cache import cached_page
from ..core.ratelimit import posting_limit, refill_when_limited
from ..core.transaction import form_page, transaction
from ..extensions import db
from ..feeds import Entry, atom_response
from ..forms import ButtonForm, member_form, require_button
from ..i18n import local_name
from ..listing import canonical_code, parse_filters
from ..taxonomy import category_map, get_category
from ..text.plain import markdown_to_text
from . import attachments, services, story_templates, view_counts
from . import diff as diffing
from .forms import AttachmentForm, StoryForm
from .models import StoryAttachment

bp = Blueprint("stories", __name__)

FILTER_EXTRA = ("agency", "tag", "sort")


def _story_or_404(story_id: int):
    story = services.get_story(story_id)
    if story is None or not permissions.can_view(current_user, story):
        abort(404)
    return story


def _editable_or_404(story_id: int):
    story = _story_or_404(story_id)
    if not permissions.can_edit(current_user, story):
        abort(403)
    return story


def _moderator_required():
    if not permissions.is_moderator(current_user):
        abort(403)


@bp.route("/stories")
@cached_page()
def index():
    filters = parse_filters(request.args, extra=FILTER_EXTRA)
    sort = filters.extra.get("sort", "newest")
    if sort not in services.SORTS:
        filters.extra.pop("sort", None)
        sort = "newest"
    page = services.list_stories(filters, sort=sort, per_page=current_app.config.get("PER_PAGE", 20))
    feed_url = None
    if filters.code:
        feed_url = url_for("stories.feed_code", code=filters.code)
    elif filters.category:
        feed_url = url_for("stories.feed_category", key=filters.category)
    return render_template(
        "stories/index.html",
        page=page,
        filters=filters,
        sort=sort,
        feed_url=feed_url,
        drafts=services.drafts_of(current_user),
        story_templates=story_templates.STORY_TEMPLATES,
        categories=category_map().values(),
    )


@bp.route("/stories/new", methods=["GET", "POST"])
@login_required
@posting_limit
def new():
    story_template = story_templates.get_template(request.args.get("template"))
    form = StoryForm()
    if request.method == "GET":
        form.template.data = story_template.key if story_template else ""
        form.body.data = story_template.body() if story_template else ""
        form.agency.data = current_user.agency
        form.province.data = current_user.province or ""
    if form.validate_on_submit():
        with transaction(form) as tx:
            story = services.create_story(current_user, form.data_for_service(), publish=bool(form.publish.data))
        if tx.ok:
            flash(_("Your story is published.") if story.is_published else _("Your draft is saved."), "success")
            return redirect(url_for("stories.show", story_id=story.id))
    story_template = story_templates.get_template(form.template.data) or story_template
    return _render_form(form, None, story_template)


@bp.route("/stories/<int:story_id>")
@bp.route("/stories/<int:story_id>/<slug>")
@cached_page(on_hit=lambda _note, story_id, slug=None: view_counts.note(story_id))
def show(story_id, slug=None):
    story = _story_or_404(story_id)
    services.count_view(story, current_user)
    attachments = story.attachments
    return render_template(
        "stories/show.html",
        story=story,
        attachments=attachments,
        related=services.related_stories(story) if story.is_public else [],
        helpful=services.has_marked_helpful(story, current_user),
        can_edit=permissions.can_edit(current_user, story),
        is_moderator=permissions.is_moderator(current_user),
        action_form=member_form(ButtonForm),
        upload_form=member_form(AttachmentForm),
    )


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@login_required
def edit(story_id):
    story = _editable_or_404(story_id)
    form = StoryForm(obj=None)
    if request.method == "GET":
        form.title.data, form.summary.data, form.body.data = story.title, story.summary, story.body
        form.agency.data, form.province.data = story.agency, story.province or ""
        form.year.data = str(story.year or "")
        form.categories.data = list(story.categories or [])
        form.codes.data = ", ".join(story.codes or [])
        form.tags.data = ", ".join(story.tags or [])
        form.template.data = story.template or ""
    if form.validate_on_submit():
        publish = True if form.publish.data else (False if form.save_draft.data else None)
        with transaction(form) as tx:
            services.update_story(
                story, current_user, form.data_for_service(), publish=publish, note=form.note.data or ""
            )
        if tx.ok:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("stories.show", story_id=story.id))
    return _render_form(form, story, story_templates.get_template(form.template.data or story.template))


@refill_when_limited("stories.new")
def _new_again(message):
    form = StoryForm()
    form.form_errors.append(message)
    return _render_form(form, None, story_templates.get_template(form.template.data))[0]


def _render_form(form, story, story_template):
    counts = None
    if story_template and any(s.limit for s in story_template.headings):
        counts = story_templates.heading_counts(story_template, form.body.data or "")
    return form_page(
        "stories/form.html",
        form,
        story=story,
        story_template=story_template,
        counts=counts,
        story_templates=story_templates.STORY_TEMPLATES,
    )


@bp.route("/stories/<int:story_id>/history")
def history(story_id):
    story = _story_or_404(story_id)
    revisions = list(reversed(story.revisions))
    return render_template(
        "stories/history.html",
        story=story,
        revisions=revisions,
        can_edit=permissions.can_edit(current_user, story),
        action_form=ButtonForm(),
    )


@bp.route("/stories/<int:story_id>/history/<int:number>")
def revision(story_id, number):
    story = _story_or_404(story_id)
    revs = {r.number: r for r in story.revisions}
    if number not in revs:
        abort(404)
    current, previous = revs[number], revs.get(max((n for n in revs if n < number), default=-1))
    return render_template(
        "stories/revision.html",
        story=story,
        revision=current,
        previous=previous,
        changes=diffing.diff_revisions(previous, current),
        can_edit=permissions.can_edit(current_user, story),
        action_form=ButtonForm(),
    )


@bp.route("/stories/<int:story_id>/history/<int:number>/restore", methods=["POST"])
@login_required
def restore(story_id, number):
    story = _editable_or_404(story_id)
    require_button()
    revision = services.revision_of(story, number)
    if revision is None:
        abort(404)
    with transaction() as tx:
        services.restore_revision(story, revision, current_user)
    if tx.ok:
        flash(_("Revision %(n)d is restored as a new revision.", n=number), "success")
    return redirect(url_for("stories.history", story_id=story.id))


def _state_change(story_id: int, change, message: str, moderator_only: bool = False):
    story = _editable_or_404(story_id)
    if moderator_only:
        _moderator_required()
    require_button()
    with transaction():
        change(story)
    flash(message, "success")
    return redirect(url_for("stories.show", story_id=story.id))


@bp.route("/stories/<int:story_id>/publish", methods=["POST"])
@login_required
def publish(story_id):
    return _state_change(story_id, services.publish, _("The story is published."))


@bp.route("/stories/<int:story_id>/unpublish", methods=["POST"])
@login_required
def unpublish(story_id):
    return _state_change(story_id, services.unpublish, _("The story is a draft again."))


@bp.route("/stories/<int:story_id>/hide", methods=["POST"])
@login_required
def hide(story_id):
    return _state_change(story_id, services.hide, _("The story is hidden."), moderator_only=True)


@bp.route("/stories/<int:story_id>/unhide", methods=["POST"])
@login_required
def unhide(story_id):
    return _state_change(story_id, services.unhide, _("The story is visible again."), moderator_only=True)


@bp.route("/stories/<int:story_id>/delete", methods=["POST"])
@login_required
def delete(story_id):
    story = _editable_or_404(story_id)
    require_button()
    with transaction():
        names = services.delete_story(story)
    uploads.remove_files(names)
    flash(_("The story is deleted."), "info")
    return redirect(url_for("stories.index"))


@bp.route("/stories/<int:story_id>/helpful", methods=["POST"])
@login_required
def helpful(story_id):
    story = _story_or_404(story_id)
    if not story.is_public or not ButtonForm().validate_on_submit():
        abort(400)
    with transaction():
        marked = services.toggle_helpful(story, current_user)
    flash(_("Marked as helpful. Thank you!") if marked else _("Your helpful mark is removed."), "success")
    return redirect(url_for("stories.show", story_id=story.id))


@bp.route("/stories/<int:story_id>/attachments", methods=["POST"])
@login_required
def attach(story_id):
    story = _editable_or_404(story_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        abort(400)
    with transaction(form) as tx:
        attachment = attachments.add_attachment(story, current_user, form.file.data)
        tx.on_rollback(lambda: uploads.remove_files([attachment.stored_name]))
    if not tx.ok:
        return render_template(
            "stories/show.html",
            story=story,
            attachments=story.attachments,
            related=[],
            helpful=False,
            can_edit=True,
            is_moderator=permissions.is_moderator(current_user),
            action_form=ButtonForm(),
            upload_form=form,
        ), 422
    flash(_("The file is attached."), "success")
    return redirect(url_for("stories.show", story_id=story.id) + "#attachments")


@bp.route("/stories/<int:story_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def detach(story_id, attachment_id):
    story = _editable_or_404(story_id)
    attachment = db.session.get(StoryAttachment, attachment_id)
    if attachment is None or attachment.story_id != story.id or not ButtonForm().validate_on_submit():
        abort(404)
    with transaction():
        name = attachments.delete_attachment(attachment)
    uploads.remove_files([name])
    flash(_("The attachment is removed."), "info")
    return redirect(url_for("stories.show", story_id=story.id) + "#attachments")


@bp.route("/uploads/<name>")
def upload(name):
    attachment = attachments.find(name)
    if attachment is None or not permissions.can_view(current_user, attachment.story):
        abort(404)
    return uploads.send(
        attachment.stored_name, attachment.original_name, attachment.content_type, public=attachment.story.is_public
    )


@bp.route("/stories/wordcount", methods=["POST"])
@login_required
def wordcount():
    """Thai word counts per template heading for the live counter: the same function the save enforces."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("body", ""), str):
        return jsonify(error="expected a JSON object with a body"), 400
    story_template = story_templates.get_template(data.get("template"))
    if story_template is None:
        return jsonify(error="unknown template"), 400
    body = data.get("body", "")[: services.BODY_MAX]
    return jsonify(sections=story_templates.heading_counts(story_template, body))


@bp.route("/stories/feed/category/<key>.atom")
def feed_category(key):
    category = get_category(key)
    if category is None:
        abort(404)
    return atom_response(
        _("Case stories: category %(key)s", key=category.key) + f" · {local_name(category)}",
        request.url,
        url_for("stories.index", category=category.key, _external=True),
        _entries(services.latest(category=category.key, limit=30)),
    )


@bp.route("/stories/feed/code/<code>.atom")
def feed_code(code):
    normalized = canonical_code(code, "stories.feed_code", "code")
    return atom_response(
        _("Case stories: %(code)s", code=normalized),
        request.url,
        url_for("stories.index", code=normalized, _external=True),
        _entries(services.latest(code=normalized, limit=30)),
    )


def _entries(stories):
    for story in stories:
        url = url_for("stories.show", story_id=story.id, _external=True)
        yield Entry(
            id=url,
            title=story.title,
            url=url,
            author=story.author.name,
            updated=story.updated_at,
            published=story.published_at,
            html=story.body_html or "",
            summary=markdown_to_text(story.summary) if story.summary else "",
            categories=story.codes or [],
        )
