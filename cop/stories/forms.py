from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, MultiCheckboxField
from ..i18n import local_name
from ..taxonomy import categories, provinces
from .fields import AGENCY_MAX, SUMMARY_MAX, TITLE_MAX


class StoryForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=SUMMARY_MAX)],
        description=_l("Two or three sentences: what you did and what changed."),
    )
    body = TextAreaField(
        _l("Story"), validators=[DataRequired()], description=_l("Markdown: ## for a heading, - for a list, **bold**.")
    )
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=AGENCY_MAX)])
    province = SelectField(_l("Province"), validators=[Optional()])
    year = StringField(
        _l("Fiscal year (B.E.)"), validators=[Optional(), Length(max=10)], description=_l("For example 2553.")
    )
    categories = MultiCheckboxField(_l("PMQA categories"), validators=[Optional()])
    codes = StringField(
        _l("Activity codes"),
        validators=[Optional(), Length(max=300)],
        description=_l("Separate with commas, e.g. SP7, CS1. Any spelling works (sp 7)."),
    )
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=1200)], description=_l("Separate with commas."))
    note = StringField(
        _l("What did you change?"),
        validators=[Optional(), Length(max=200)],
        description=_l("A short note for the history, e.g. “added the 2569 results”. Optional."),
    )
    template = HiddenField()
    save_draft = SubmitField(_l("Save as draft"))
    publish = SubmitField(_l("Publish"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [("", _l("— choose —"))] + [(p, p) for p in provinces()]
        self.categories.choices = [(c.key, f"{c.key} · {local_name(c)}") for c in categories()]

    def data_for_service(self) -> dict:
        return {
            "title": self.title.data,
            "summary": self.summary.data,
            "body": self.body.data,
            "agency": self.agency.data,
            "province": self.province.data or None,
            "year": self.year.data,
            "categories": self.categories.data or [],
            "codes": self.codes.data or "",
            "tags": self.tags.data or "",
            "template": self.template.data or None,
        }


class AttachmentForm(BaseForm):
    file = FileField(_l("Attach a file"), description=_l("PDF, Word, PowerPoint, Excel, or PNG/JPEG/GIF/WebP images."))
