from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import BaseForm, NumberBetween, ThaiDateTimeField
from ..taxonomy import provinces
from .services import MAX_DESCRIPTION


def status_choices():
    return [
        ("planned", _l("Planned")),
        ("confirmed", _l("Confirmed")),
        ("cancelled", _l("Cancelled")),
        ("done", _l("Done")),
    ]


class ClinicForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_at = ThaiDateTimeField(_l("Starts (Bangkok time)"), validators=[DataRequired()])
    ends_at = ThaiDateTimeField(_l("Ends (Bangkok time)"), validators=[DataRequired()])
    registration_deadline = ThaiDateTimeField(_l("Registration closes (optional)"), validators=[Optional()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    province = SelectField(_l("Province"), validators=[DataRequired()])
    codes = StringField(
        _l("PMQA activity codes"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separate with commas, for example SP5, CS1, IT2."),
    )
    # InputRequired, not DataRequired: 0 is a number that is too small, not a missing one
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberBetween(min=1, max=10000)])
    trainers = TextAreaField(
        _l("Trainers"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One name per line, as in the trainer directory."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=MAX_DESCRIPTION)], description=_l("Markdown is allowed.")
    )
    status = SelectField(_l("Status"))
    acknowledge = BooleanField(_l("I have seen the warnings above and want to save anyway"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [("", _l("— choose —"))] + [(p, p) for p in provinces()]
        self.status.choices = status_choices()


class HotlineForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    phone = StringField(_l("Telephone"), validators=[DataRequired(), Length(max=50)])
    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=50)])
    hours = StringField(_l("Hours"), validators=[Optional(), Length(max=300)])
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=200)])


class ShiftForm(BaseForm):
    staff_name = StringField(_l("Who answers"), validators=[DataRequired(), Length(max=200)])
    starts_at = ThaiDateTimeField(_l("From (Bangkok time)"), validators=[DataRequired()])
    ends_at = ThaiDateTimeField(_l("Until (Bangkok time)"), validators=[DataRequired()])
