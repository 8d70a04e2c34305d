from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm
from ..taxonomy import provinces
from .services import MAX_BIO


class TrainerForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=200)])
    province = SelectField(_l("Province"), validators=[Optional()])
    codes = StringField(
        _l("PMQA activity codes"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separate with commas, for example SP5, CS1, IT2."),
    )
    bio = TextAreaField(
        _l("About the trainer"), validators=[Optional(), Length(max=MAX_BIO)], description=_l("Markdown is allowed.")
    )
    availability = StringField(
        _l("Availability"),
        validators=[Optional(), Length(max=500)],
        description=_l("For example: weekdays, northern provinces, from March."),
    )
    phone = StringField(_l("Telephone"), validators=[Optional(), Length(max=50)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    line_id = StringField(_l("LINE ID"), validators=[Optional(), Length(max=100)])
    account_email = EmailField(
        _l("Linked account (e-mail)"),
        validators=[Optional(), Length(max=254)],
        description=_l("The trainer's own account on this site, if they have one."),
    )
    contact_consent = BooleanField(_l("The trainer consents to showing these contact details to logged-in members"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [("", _l("— choose —"))] + [(p, p) for p in provinces()]


class ContactForm(BaseForm):
    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Say what you need help with, for example the activity code and when."),
    )
