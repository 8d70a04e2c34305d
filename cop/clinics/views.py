import calendar as pycalendar
from datetime import date
from functools import partial

from babel.dates import get_day_names, get_month_names
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..auth import role_required
from ..core.cache import cached_page
from ..core.transaction import form_status, transaction
from ..extensions import db
from ..i18n import to_bangkok
from ..listing import parse_filters
from ..models import utcnow
from ..taxonomy import normalize_code, normalize_province, provinces
from . import hotline_views, registrations, services
from .feeds import calendar, ics_response, webcal
from .forms import ClinicForm
from .links import aar_for
from .models import Clinic

bp = Blueprint("clinics", __name__)
hotline_views.register(bp)


def _month_filter(filters):
    raw = filters.extra.get("month")
    month = services.parse_month(raw)
    if raw and month is None:
        filters.invalid.append("month")
        filters.extra.pop("month")
    elif month:
        filters.extra["month"] = f"{month[0]:04d}-{month[1]:02d}"
    return month


def _feed_links():
    absolute = url_for("clinics.feed_all", _external=True)
    return {"all_http": absolute, "all_webcal": webcal(absolute)}


@bp.route("/clinics")
@cached_page()
def index():
    filters = parse_filters(request.args, extra=("month",))
    month = _month_filter(filters)
    clinics = services.list_clinics(
        province=filters.province, code=filters.code, category=filters.category, month=month
    )
    feed = None
    if filters.province:
        feed = url_for("clinics.feed_province", province=filters.province, _external=True)
    elif filters.code:
        feed = url_for("clinics.feed_code", code=filters.code, _external=True)
    return render_template(
        "clinics/index.html",
        clinics=clinics,
        filters=filters,
        provinces=provinces(),
        feeds=_feed_links(),
        filtered_feed=feed,
        webcal=webcal,
        past=services.past_clinics(5),
    )


@bp.route("/clinics/calendar")
@cached_page()
def month_calendar():
    filters = parse_filters(request.args, extra=("month",))
    month = _month_filter(filters)
    if month is None:
        today = to_bangkok(utcnow())
        month = (today.year, today.month)
    year, mon = month
    clinics = services.list_clinics(
        province=filters.province, code=filters.code, category=filters.category, month=month, upcoming=False
    )
    by_day: dict[date, list] = {}
    for clinic in clinics:
        by_day.setdefault(to_bangkok(clinic.starts_at).date(), []).append(clinic)
    weeks = pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, mon)
    prev = (year - 1, 12) if mon == 1 else (year, mon - 1)
    nxt = (year + 1, 1) if mon == 12 else (year, mon + 1)
    locale = str(get_locale() or "th")
    month_title = f"{get_month_names('wide', locale=locale)[mon]} {year + 543 if locale.startswith('th') else year}"
    weekday_names = [get_day_names("abbreviated", locale=locale)[(i + 6) % 7] for i in range(7)]
    # Phones get the same month as an agenda: only the days that have clinics, one under another.
    wide_days = get_day_names("wide", locale=locale)
    agenda = [
        (day, wide_days[day.weekday()], [(c, to_bangkok(c.starts_at), to_bangkok(c.ends_at)) for c in items])
        for day, items in sorted(by_day.items())
    ]
    return render_template(
        "clinics/calendar.html",
        weeks=weeks,
        month_title=month_title,
        weekday_names=weekday_names,
        by_day=by_day,
        year=year,
        month=mon,
        agenda=agenda,
        filters=filters,
        prev=f"{prev[0]:04d}-{prev[1]:02d}",
        next=f"{nxt[0]:04d}-{nxt[1]:02d}",
        today=to_bangkok(utcnow()).date(),
    )


@bp.route("/clinics/past")
@cached_page()
def past():
    clinics = services.past_clinics(100)
    return render_template("clinics/past.html", clinics=clinics, aars={c.id: aar_for(c.id) for c in clinics})


@bp.route("/clinics/<int:clinic_id>")
@cached_page()
def detail(clinic_id):
    clinic = db.get_or_404(Clinic, clinic_id)
    mine = registrations.registration_for(clinic, current_user)
    position = registrations.waitlist_position(mine) if mine else None
    ics = url_for("clinics.feed_one", clinic_id=clinic.id, _external=True)
    return render_template(
        "clinics/detail.html",
        clinic=clinic,
        mine=mine,
        position=position,
        closed=registrations.registration_closed_reason(clinic),
        past=services.is_past(clinic),
        aar=aar_for(clinic.id) if services.is_past(clinic) else None,
        ics=ics,
        waitlisted=len(registrations.registrants(clinic)["waitlisted"]),
    )


@bp.route("/clinics/<int:clinic_id>/register", methods=["POST"])
@login_required
def register(clinic_id):
    clinic = db.get_or_404(Clinic, clinic_id)
    try:
        with transaction() as tx:
            registration = registrations.register(clinic, current_user)
    except IntegrityError:  # the same person pressed twice at once: the first press won (rolled back)
        flash(_("You are already registered for this clinic."), "info")
        return redirect(url_for("clinics.detail", clinic_id=clinic_id)), 303
    if not tx.ok:
        return redirect(url_for("clinics.detail", clinic_id=clinic_id)), 303
    if registration.status == "registered":
        flash(_("You are registered. See you at the clinic!"), "success")
    else:
        flash(_("The clinic is full: you are on the waitlist and will be notified if a place frees up."), "info")
    return redirect(url_for("clinics.detail", clinic_id=clinic_id), 303)


@bp.route("/clinics/<int:clinic_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(clinic_id):
    """A confirmation page first: a freed seat goes to the waitlist at once and cannot be taken back."""
    clinic = db.get_or_404(Clinic, clinic_id)
    mine = registrations.registration_for(clinic, current_user)
    if mine is None or mine.status == "cancelled":
        flash(_("You are not registered for this clinic."), "info")
        return redirect(url_for("clinics.detail", clinic_id=clinic_id), 303)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        waitlisted = len(registrations.registrants(clinic)["waitlisted"])
        return render_template("clinics/cancel.html", clinic=clinic, mine=mine, waitlisted=waitlisted)
    with transaction() as tx:
        registrations.cancel(clinic, current_user)
    if tx.ok:
        flash(_("Your registration is cancelled."), "info")
    return redirect(url_for("clinics.detail", clinic_id=clinic_id), 303)


def _form_fields(form: ClinicForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data,
        "starts_at": form.starts_at.data,
        "ends_at": form.ends_at.data,
        "registration_deadline": form.registration_deadline.data,
        "venue": form.venue.data,
        "province": form.province.data,
        "codes": form.codes.data,
        "capacity": form.capacity.data,
        "trainers": form.trainers.data,
        "status": form.status.data,
    }


def _render_form(form, clinic, conflict=False):
    return render_template(
        "clinics/form.html", form=form, clinic=clinic, conflict=conflict
    ), 422 if conflict else form_status(form)


def _save_from_form(form, clinic, save):
    """On a valid submission ``save`` the clinic and show it; else (or on a trainer clash to acknowledge) the form."""
    conflict = False
    if form.validate_on_submit():
        with transaction(form) as tx:
            saved = save(acknowledge=form.acknowledge.data, **_form_fields(form))
        conflict = isinstance(tx.error, services.ClinicConflictError)
        if tx.ok:
            flash(_("The clinic is scheduled.") if clinic is None else _("The clinic is saved."), "success")
            return redirect(url_for("clinics.detail", clinic_id=saved.id))
    return _render_form(form, clinic, conflict)


@bp.route("/clinics/new", methods=["GET", "POST"])
@role_required("coordinator")
def create():
    return _save_from_form(ClinicForm(), None, partial(services.create_clinic, actor=current_user))


@bp.route("/clinics/<int:clinic_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit(clinic_id):
    clinic = db.get_or_404(Clinic, clinic_id)
    form = ClinicForm(obj=clinic)
    if request.method == "GET":
        form.starts_at.data = to_bangkok(clinic.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_bangkok(clinic.ends_at).replace(tzinfo=None)
        if clinic.registration_deadline:
            form.registration_deadline.data = to_bangkok(clinic.registration_deadline).replace(tzinfo=None)
        form.codes.data = ", ".join(clinic.codes)
        form.trainers.data = "\n".join(t.name for t in clinic.trainers)
    return _save_from_form(form, clinic, partial(services.update_clinic, clinic))


@bp.route("/clinics/<int:clinic_id>/cancel-clinic", methods=["GET", "POST"])
@role_required("coordinator")
def cancel_clinic(clinic_id):
    """A confirmation page first: cancelling notifies every registrant and cannot be undone."""
    clinic = db.get_or_404(Clinic, clinic_id)
    if clinic.status == "cancelled":
        flash(_("This clinic is already cancelled."), "info")
        return redirect(url_for("clinics.detail", clinic_id=clinic.id), 303)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        groups = registrations.registrants(clinic)
        return render_template(
            "clinics/cancel_clinic.html",
            clinic=clinic,
            registered=len(groups["registered"]),
            waitlisted=len(groups["waitlisted"]),
        )
    with transaction() as tx:
        services.cancel_clinic(clinic)
    if tx.ok:
        flash(_("The clinic is cancelled and everyone registered is notified."), "info")
    return redirect(url_for("clinics.detail", clinic_id=clinic.id), 303)


@bp.route("/clinics/<int:clinic_id>/registrants")
@role_required("coordinator")
def registrants(clinic_id):
    clinic = db.get_or_404(Clinic, clinic_id)
    return render_template("clinics/registrants.html", clinic=clinic, groups=registrations.registrants(clinic))


@bp.route("/clinics/<int:clinic_id>/registrants.csv")
@role_required("coordinator")
def registrants_csv(clinic_id):
    clinic = db.get_or_404(Clinic, clinic_id)
    response = Response(registrations.registrants_csv(clinic), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="clinic-{clinic.id}-registrants.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- calendar feeds -------------------------------------------------------------------------


@bp.route("/clinics.ics")
def feed_all():
    province = normalize_province(request.args.get("province", "")) if request.args.get("province") else None
    code = normalize_code(request.args.get("code")) if request.args.get("code") else None
    clinics = services.list_clinics(province=province, code=code)
    name = " · ".join(x for x in (_("PMQA mobile clinics"), province, code) if x)
    return ics_response(calendar(clinics, name), "clinics.ics")


def _feed_of(key: str, value: str | None, filename: str):
    """The calendar of the clinics whose `key` is `value` (already normalized; None when unknown: 404)."""
    if value is None:
        abort(404)
    body = calendar(services.list_clinics(**{key: value}), f"{_('PMQA mobile clinics')} · {value}")
    return ics_response(body, filename)


@bp.route("/clinics/province/<province>.ics")
def feed_province(province):
    return _feed_of("province", normalize_province(province), "clinics-province.ics")


@bp.route("/clinics/code/<code>.ics")
def feed_code(code):
    normalized = normalize_code(code)
    return _feed_of("code", normalized, f"clinics-{normalized}.ics")


@bp.route("/clinics/<int:clinic_id>.ics")
def feed_one(clinic_id):
    clinic = db.get_or_404(Clinic, clinic_id)
    return ics_response(calendar([clinic], clinic.title), f"clinic-{clinic.id}.ics")


@bp.route("/clinics/feed/<token>.ics")
def feed_personal(token):
    user = registrations.user_for_calendar_token(token)
    if user is None:
        abort(404)
    clinics = [r.clinic for r in registrations.my_registrations(user)]
    return ics_response(calendar(clinics, f"{_('My PMQA clinics')} · {user.name}"), "my-clinics.ics", private=True)


@bp.route("/clinics/mine", methods=["GET", "POST"])
@login_required
def mine():
    if request.method == "POST":  # a new secret address; the old one stops working
        with transaction():
            registrations.calendar_token(current_user, rotate=True)
        flash(_("Your personal calendar has a new address. Subscribe again with it."), "info")
        return redirect(url_for("clinics.mine"), 303)
    with transaction():
        token = registrations.calendar_token(current_user)
    feed = url_for("clinics.feed_personal", token=token, _external=True)
    rows = registrations.my_registrations(current_user)
    return render_template(
        "clinics/mine.html",
        rows=rows,
        feed=feed,
        feed_webcal=webcal(feed),
        positions={r.id: registrations.waitlist_position(r) for r in rows},
    )
