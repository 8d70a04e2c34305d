from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import permissions
from ..auth import role_required
from ..core.cache import cached_page
from ..core.ratelimit import posting_limit, refill_when_limited
from ..core.transaction import form_page, transaction
from ..extensions import db
from ..forms import ButtonForm, member_form, require_button
from ..listing import parse_filters
from ..notifications import services as notifications
from ..taxonomy import category_of, get_category, normalize_code
from ..validation import ValidationError
from . import feeds, services
from . import moderation as moderating
from .forms import (
    EditThreadForm,
    MoveForm,
    ReplyForm,
    ReportForm,
    ResolveForm,
    ThreadForm,
    category_choices,
)
from .labels import describe
from .models import Reply, Report

bp = Blueprint("threads", __name__)
feeds.register(bp)  # the Atom feeds are routes of this blueprint
PER_PAGE = 20


def _viewer():
    return current_user if current_user.is_authenticated else None


def _thread_or_404(thread_id):
    thread = services.get_thread(thread_id, _viewer())
    if thread is None:
        abort(404)
    return thread


def _reply_or_404(reply_id):
    reply = db.session.get(Reply, reply_id)
    if reply is None or services.get_thread(reply.thread_id, _viewer()) is None:
        abort(404)
    return reply


def _answered_arg():
    return {"yes": True, "no": False}.get(request.args.get("answered", ""))


def _listing(template, **fixed):
    filters = parse_filters(request.args, extra=("answered",))
    answered = _answered_arg()
    if answered is None:
        filters.extra.pop("answered", None)
    page = services.list_threads(
        category=filters.category,
        code=filters.code,
        answered=answered,
        viewer=_viewer(),
        page=filters.page,
        per_page=PER_PAGE,
        **fixed,
    )
    ids = [t.id for t in page.items]
    return render_template(
        template,
        threads=page.items,
        total=page.total,
        filters=filters,
        answered=answered,
        counts=services.reply_counts(ids),
        answered_ids=services.answered_ids(ids),
        pages=page.pages,
        category_choices=category_choices(),
        is_following=_is_following,
    )


def _is_following(target_type, key):
    return current_user.is_authenticated and notifications.is_following(current_user.id, target_type, str(key))


@bp.route("/threads")
@cached_page()
def index():
    return _listing("threads/index.html")


@bp.route("/threads/for-me")
@login_required
def for_me():
    """Unanswered questions in the codes and categories you follow (and your trainer profile's codes)."""
    codes, categories = services.expertise_of(current_user)
    if not (codes or categories):
        return render_template(
            "threads/for_me.html",
            threads=[],
            total=0,
            no_expertise=True,
            counts={},
            answered_ids=set(),
            filters=parse_filters(request.args),
            pages=1,
        )
    filters = parse_filters(request.args)
    page = services.list_threads(
        answered=False,
        viewer=current_user,
        page=filters.page,
        per_page=PER_PAGE,
        codes_any=codes,
        categories_any=categories,
    )
    return render_template(
        "threads/for_me.html",
        threads=page.items,
        total=page.total,
        no_expertise=False,
        counts=services.reply_counts([t.id for t in page.items]),
        answered_ids=set(),
        filters=filters,
        pages=page.pages,
        codes=codes,
        categories=categories,
    )


@bp.route("/threads/new", methods=["GET", "POST"])
@login_required
@posting_limit
def new():
    form = ThreadForm()
    if request.method == "GET":
        _prefill(form)
    if form.validate_on_submit():
        with transaction(form) as tx:
            thread = services.create_thread(
                current_user,
                title=form.title.data,
                body=form.body.data,
                categories=form.categories.data or [],
                codes=form.codes.data or "",
                related=form.related.data,
            )
        if tx.ok:
            flash(_("Your question is posted. Followers of its codes are told."), "success")
            return redirect(url_for("threads.show", thread_id=thread.id))
    return form_page("threads/new.html", form)


def _prefill(form: ThreadForm) -> None:
    """Asking in context: ?code=SP7&code=PM1&category=2&related=/stories/12 arrive ticked and filled.

    What is not understood is left out (the asker can still type it), never an error.
    """
    codes = []
    for raw in request.args.getlist("code"):
        for part in raw.split(","):
            code = normalize_code(part)
            if code and code not in codes:
                codes.append(code)
    form.codes.data = ", ".join(codes)
    known = {key for key, _label in form.categories.choices}
    picked = [c.key for c in (get_category(raw) for raw in request.args.getlist("category")) if c]
    picked += [category_of(code) for code in codes]  # a code's category is ticked with it
    form.categories.data = [key for key in dict.fromkeys(picked) if key in known] or None
    related = request.args.get("related", "")
    try:
        if services.parse_related(related):
            form.related.data = related
    except ValidationError:
        pass


@refill_when_limited("threads.new")
def _new_again(message):
    form = ThreadForm()
    form.form_errors.append(message)
    return render_template("threads/new.html", form=form)


@refill_when_limited("threads.reply")
def _reply_again(message):
    form = ReplyForm()
    form.form_errors.append(message)
    return _render_show(_thread_or_404(request.view_args["thread_id"]), form)[0]


def _render_show(thread, reply_form=None, status=200):
    viewer = _viewer()
    following = viewer is not None and notifications.is_following(viewer.id, "thread", str(thread.id))
    return render_template(
        "threads/show.html",
        thread=thread,
        replies=services.ordered_replies(thread),
        reply_form=reply_form or member_form(ReplyForm),
        refusal=services.reply_refusal(thread),
        following=following,
        can_edit=lambda post: permissions.can_edit(viewer, post),
        can_mark_key=permissions.can_mark_key(viewer, thread),
        is_moderator=permissions.is_moderator(viewer),
        action_form=member_form(ButtonForm),
        report_form=member_form(ReportForm),
        log=describe(moderating.recent_log(20, thread.id)) if permissions.is_moderator(viewer) else [],
    ), status


@bp.route("/threads/<int:thread_id>")
@cached_page()
def show(thread_id):
    thread = _thread_or_404(thread_id)
    if current_user.is_authenticated:
        with transaction():
            notifications.mark_read_for_url(current_user.id, thread.url)
    return _render_show(thread)


@bp.route("/threads/<int:thread_id>/replies", methods=["POST"])
@login_required
@posting_limit
def reply(thread_id):
    thread = _thread_or_404(thread_id)
    form = ReplyForm()
    if form.validate_on_submit():
        with transaction(form) as tx:
            created = services.add_reply(thread, current_user, form.body.data)
        if tx.ok:
            flash(_("Your reply is posted."), "success")
            return redirect(url_for("threads.show", thread_id=thread.id, _anchor=f"reply-{created.id}"))
    thread = _thread_or_404(thread_id)
    return _render_show(thread, form, 422)


def _edit_post(post, form_class, save, thread, reply=None):
    """The edit page of a question or a reply: ``save(form)`` keeps the earlier text in the history."""
    if not permissions.can_edit(current_user, post):
        abort(403)
    form = form_class(obj=post)
    if form.validate_on_submit():
        with transaction(form) as tx:
            save(form)
        if tx.ok:
            flash(_("Your changes are saved; the earlier text is kept in the history."), "success")
            anchor = f"reply-{reply.id}" if reply else None
            return redirect(url_for("threads.show", thread_id=thread.id, _anchor=anchor))
    return form_page("threads/edit.html", form, thread=thread, reply=reply)


@bp.route("/threads/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
def edit(thread_id):
    thread = _thread_or_404(thread_id)

    def save(form):
        services.edit_thread(thread, current_user, title=form.title.data, body=form.body.data)

    return _edit_post(thread, EditThreadForm, save, thread)


@bp.route("/threads/replies/<int:reply_id>/edit", methods=["GET", "POST"])
@login_required
def edit_reply(reply_id):
    reply_ = _reply_or_404(reply_id)

    def save(form):
        services.edit_reply(reply_, current_user, body=form.body.data)

    return _edit_post(reply_, ReplyForm, save, reply_.thread, reply_)


@bp.route("/threads/<int:thread_id>/history")
def history(thread_id):
    thread = _thread_or_404(thread_id)
    entries = [(None, r) for r in services.revisions("thread", thread.id)]
    for reply_ in thread.replies:
        if not reply_.hidden or permissions.is_moderator(_viewer()):
            entries += [(reply_, r) for r in services.revisions("reply", reply_.id)]
    entries.sort(key=lambda e: e[1].created_at, reverse=True)
    return render_template("threads/history.html", thread=thread, entries=entries)


@bp.route("/threads/replies/<int:reply_id>/key", methods=["POST"])
@login_required
def mark_key(reply_id):
    reply_ = _reply_or_404(reply_id)
    require_button()
    on = request.form.get("action") != "unset"
    with transaction() as tx:
        services.set_key_lesson(reply_, current_user, on)
    if tx.ok:
        flash(
            _("The key lesson is marked; it shows first and on the code pages.")
            if on
            else _("The key lesson mark is removed."),
            "success",
        )
    return redirect(url_for("threads.show", thread_id=reply_.thread_id))


def _report(post, thread_id):
    form = ReportForm()
    if not form.validate_on_submit():
        flash(_("Say briefly what is wrong with this post."), "error")
        return redirect(url_for("threads.show", thread_id=thread_id))
    with transaction() as tx:
        moderating.report_post(post, current_user, form.reason.data)
    if tx.ok:
        flash(_("Thank you. A moderator will look at it."), "success")
    return redirect(url_for("threads.show", thread_id=thread_id))


@bp.route("/threads/<int:thread_id>/report", methods=["POST"])
@login_required
def report_thread(thread_id):
    thread = _thread_or_404(thread_id)
    return _report(thread, thread.id)


@bp.route("/threads/replies/<int:reply_id>/report", methods=["POST"])
@login_required
def report_reply(reply_id):
    reply_ = _reply_or_404(reply_id)
    return _report(reply_, reply_.thread_id)


# --- moderation -------------------------------------------------------------------------------


def _moderate(change, post, undo: str, messages: tuple[str, str], thread_id: int):
    """Apply ``change(post, moderator, on)``; the form's action ``undo`` turns it off."""
    require_button()
    on = request.form.get("action") != undo
    with transaction() as tx:
        change(post, current_user, on)
    if tx.ok:
        flash(messages[0] if on else messages[1], "success")
    return redirect(
        request.form.get("next")
        if request.form.get("next") == url_for("threads.moderation")
        else url_for("threads.show", thread_id=thread_id)
    )


# endpoint → the flash message when the change is made and when it is undone
_MODERATION_MESSAGES = {
    "hide_thread": (_l("The question is hidden."), _l("The question is visible again.")),
    "hide_reply": (_l("The reply is hidden."), _l("The reply is visible again.")),
    "lock": (_l("The question is locked."), _l("The question is open again.")),
}


def _moderation_route(endpoint: str, rule: str, find, change, undo: str) -> None:
    """POST ``rule`` (moderators): ``change`` the post ``find`` loads; the form action ``undo`` reverts it."""

    def view(**ids):
        post = find(*ids.values())
        on, off = _MODERATION_MESSAGES[endpoint]
        thread_id = post.thread_id if isinstance(post, Reply) else post.id
        return _moderate(change, post, undo, (str(on), str(off)), thread_id)

    bp.add_url_rule(rule, endpoint, role_required("moderator")(view), methods=["POST"])


_moderation_route("hide_thread", "/threads/<int:thread_id>/hide", _thread_or_404, moderating.set_hidden, "unhide")
_moderation_route("hide_reply", "/threads/replies/<int:reply_id>/hide", _reply_or_404, moderating.set_hidden, "unhide")
_moderation_route("lock", "/threads/<int:thread_id>/lock", _thread_or_404, moderating.set_locked, "unlock")


@bp.route("/threads/<int:thread_id>/move", methods=["GET", "POST"])
@role_required("moderator")
def move(thread_id):
    thread = _thread_or_404(thread_id)
    form = MoveForm(data={"categories": thread.categories, "codes": ", ".join(thread.codes)})
    if form.validate_on_submit():
        with transaction(form) as tx:
            moderating.move_thread(
                thread, current_user, categories=form.categories.data or [], codes=form.codes.data or ""
            )
        if tx.ok:
            flash(_("The question is moved."), "success")
            return redirect(url_for("threads.show", thread_id=thread.id))
    return form_page("threads/move.html", form, thread=thread)


@bp.route("/threads/moderation")
@role_required("moderator")
def moderation():
    with transaction():  # the queue is open: its report notifications are read
        notifications.mark_read_for_url(current_user.id, url_for("threads.moderation"))
    reports = moderating.open_reports()
    posts = {(r.post_type, r.post_id): moderating.find_post(r.post_type, r.post_id) for r in reports}
    return render_template(
        "threads/moderation.html",
        reports=reports,
        posts=posts,
        log=describe(moderating.recent_log(50)),
        resolve_form=ResolveForm(),
    )


@bp.route("/threads/reports/<int:report_id>/resolve", methods=["POST"])
@role_required("moderator")
def resolve(report_id):
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    hide = request.form.get("action") == "hide"
    with transaction() as tx:
        moderating.resolve_report(report, current_user, form.resolution.data or "", hide=hide)
    if tx.ok:
        flash(_("The post is hidden and the report resolved.") if hide else _("The report is resolved."), "success")
    return redirect(url_for("threads.moderation"))
