from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.ratelimit import refill_when_limited, reset_limit
from ..core.transaction import form_page, saved, transaction
from ..extensions import limiter
from . import services
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    TokenForm,
)

bp = Blueprint("accounts", __name__)


def _login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def _register_limit():
    return current_app.config["RATELIMIT_REGISTER"]


def _redirect_next(default="core.home"):
    target = request.args.get("next") or request.form.get("next")
    return redirect(target if services.is_safe_next(target) else url_for(default))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        with transaction(form) as tx:
            user = services.create_user(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                agency=form.agency.data,
                province=form.province.data or None,
            )
        if tx.ok:
            session.clear()
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return _redirect_next()
    return form_page("accounts/register.html", form)


@refill_when_limited("accounts.register")
def _register_again(message):
    form = RegisterForm()  # bound to what was posted; passwords are never sent back
    form.form_errors.append(message)
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return _redirect_next()
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail or password is not correct."))
        else:
            lang = session.get("lang")
            session.clear()  # a fresh session on login: nothing carried over from before
            if lang:
                session["lang"] = lang
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return _redirect_next()
    return form_page("accounts/login.html", form)


@refill_when_limited("accounts.login")
def _login_again(message):
    form = LoginForm()
    form.form_errors.append(message)
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        with transaction():
            current_user.session_version += 1  # replayed cookies of this session stop working
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)

    def save():
        services.update_profile(
            current_user, name=form.name.data, agency=form.agency.data, province=form.province.data or None
        )

    if saved(form, save):
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return form_page("accounts/profile.html", form, tokens=services.tokens_of(current_user), token_form=TokenForm())


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if saved(form, lambda: services.change_password(current_user, form.current_password.data, form.password.data)):
        login_user(current_user)  # keep this session; the version bump ends all others
        flash(_("Your password is changed."), "success")
        return redirect(url_for("accounts.profile"))
    return form_page("accounts/password.html", form)


@bp.route("/profile/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if saved(form, lambda: services.change_email(current_user, form.email.data, form.current_password.data)):
        flash(_("Your e-mail is changed. Use the new address to log in."), "success")
        return redirect(url_for("accounts.profile"))
    return form_page("accounts/email.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@reset_limit
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if saved(form, lambda: services.set_password(user, form.password.data)):
        flash(_("Your password is set. Please log in."), "success")
        return redirect(url_for("accounts.login"))
    return form_page("accounts/reset.html", form, user=user)


@bp.route("/profile/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        abort(400)
    with transaction():
        token = services.issue_token(current_user, form.label.data or "")
    flash(_("Your new API token (shown only once): %(token)s", token=token), "token")
    return redirect(url_for("accounts.profile"))


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    with transaction():
        revoked = services.revoke_token(token_id, current_user)
    if not revoked:
        abort(404)
    flash(_("The token is revoked."), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/lang/<code>", methods=["POST", "GET"])
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    back = _path_of(request.referrer)
    response = redirect(back if services.is_safe_next(back) else url_for("core.home"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _path_of(url):
    if not url:
        return None

    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (("?" + parts.query) if parts.query else "")
