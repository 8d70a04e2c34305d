from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, MultiCheckboxField
from ..i18n import local_name
from ..taxonomy import categories
from .services import BODY_MAX, TITLE_MAX


def category_choices():
    return [(c.key, f"{c.key} · {local_name(c)}") for c in categories()]


class ThreadForm(BaseForm):
    title = StringField(
        _l("Your question"),
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        description=_l("One line that says what you want to learn."),
    )
    body = TextAreaField(
        _l("Details"),
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description=_l("Markdown works: **bold**, lists with -, links."),
    )
    categories = MultiCheckboxField(_l("PMQA categories"), validate_choice=False)
    codes = StringField(
        _l("Activity codes"),
        validators=[Optional(), Length(max=200)],
        description=_l("Any spelling, separated by commas: CS1, sp 5, IT-7."),
    )
    related = StringField(
        _l("Related story, clinic or AAR (optional)"),
        validators=[Optional(), Length(max=300)],
        description=_l("Paste the page address, such as /stories/12."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = category_choices()


class EditThreadForm(BaseForm):
    title = StringField(_l("Your question"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=BODY_MAX)])


class ReplyForm(BaseForm):
    body = TextAreaField(
        _l("Your reply"),
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description=_l("Share what you did and what you learned. Markdown works."),
    )


class ReportForm(BaseForm):
    reason = StringField(_l("What is wrong with this post?"), validators=[DataRequired(), Length(max=1000)])


class MoveForm(BaseForm):
    categories = MultiCheckboxField(_l("PMQA categories"), validate_choice=False)
    codes = StringField(_l("Activity codes"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = category_choices()


class ResolveForm(BaseForm):
    resolution = StringField(_l("What was done"), validators=[Optional(), Length(max=500)])
