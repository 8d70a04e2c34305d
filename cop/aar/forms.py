from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, ThaiDateField
from ..taxonomy import provinces
from .record import TITLE_MAX, VENUE_MAX

MD = _l("Markdown: **bold**, - lists, ## headings.")


class AarForm(BaseForm):
    title = StringField(_l("Workshop title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    held_on = ThaiDateField(_l("Held on"), validators=[DataRequired()])
    held_until = ThaiDateField(_l("Last day (for a workshop of several days)"), validators=[Optional()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=VENUE_MAX)])
    province = SelectField(_l("Province"), validators=[Optional()])
    participants = StringField(
        _l("Number of participants"), validators=[Optional(), Length(max=10)], render_kw={"inputmode": "numeric"}
    )
    facilitators = StringField(
        _l("Facilitators"),
        validators=[Optional(), Length(max=2000)],
        description=_l("E-mail addresses of their accounts, separated by commas."),
    )
    agencies = TextAreaField(
        _l("Agencies taking part"),
        validators=[Optional(), Length(max=10000)],
        description=_l("One agency per line."),
        render_kw={"rows": 3},
    )
    codes = StringField(
        _l("Activity codes"),
        validators=[Optional(), Length(max=500)],
        description=_l("For example SP5, CS 1 A, IT 2,3. Categories follow from the codes."),
    )
    categories = StringField(
        _l("Further PMQA categories"),
        validators=[Optional(), Length(max=100)],
        description=_l("Only where no code fits, for example 7."),
    )
    # "clinic:12", "story:5" or "thread:9", picked by title from a list (aar/edit.html)
    link = StringField(_l("Linked to"), validators=[Optional(), Length(max=40)])
    expected = TextAreaField(
        _l("What was supposed to happen"), validators=[Optional()], description=MD, render_kw={"rows": 5}
    )
    actual = TextAreaField(_l("What actually happened"), validators=[Optional()], description=MD, render_kw={"rows": 5})
    why = TextAreaField(
        _l("Why there was a difference"), validators=[Optional()], description=MD, render_kw={"rows": 5}
    )
    next_time = TextAreaField(
        _l("What we do next time"), validators=[Optional()], description=MD, render_kw={"rows": 5}
    )
    body = TextAreaField(_l("Other notes"), validators=[Optional()], description=MD, render_kw={"rows": 6})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [("", _l("— choose —"))] + [(p, p) for p in provinces()]


class ActionForm(BaseForm):
    what = StringField(_l("What is to be done"), validators=[DataRequired(), Length(max=500)])
    owner = StringField(_l("Owner"), validators=[DataRequired(), Length(max=200)])
    due_on = ThaiDateField(_l("Due date"), validators=[Optional()])


class ActionStateForm(BaseForm):
    state = SelectField(_l("State"), choices=[("open", _l("open")), ("done", _l("done")), ("dropped", _l("dropped"))])
    reason = StringField(_l("Reason (when dropped)"), validators=[Optional(), Length(max=500)])


class AttachmentForm(BaseForm):
    files = MultipleFileField(_l("Outputs: photos of flip charts, slides, documents"))
