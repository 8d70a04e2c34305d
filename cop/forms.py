"""The base form every form inherits, the date fields Thai people type into, and shared helpers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField

from .text import dates
from .text.clean import clean_text
from .validation import ValidationError


def apply_errors(form: FlaskForm, exc: ValidationError) -> None:
    """Show a service's rule violations next to the fields they concern."""
    for field, message in exc.errors:
        target = getattr(form, field, None)
        if target is not None and hasattr(target, "errors"):
            if isinstance(target.errors, tuple):
                target.errors = list(target.errors)
            target.errors.append(message)
        else:
            form.form_errors.append(message)


def _clean_filter(value):
    return clean_text(value) if isinstance(value, str) else value


class CopForm(FlaskForm):
    """Every text field passes through the one cleaning rule (cop.text.clean) before validation."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        filters = {k: list(v) for k, v in (extra_filters or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and not isinstance(field, (PasswordField, HiddenField)):
                filters.setdefault(name, []).insert(0, _clean_filter)
        super().process(formdata, obj, data=data, extra_filters=filters, **kwargs)


class ThaiDateField(StringField):
    """A text input (a date input cannot show Buddhist-Era years): '20/01/2570', '2570-01-20', Thai digits.

    `data` is a date (or None); the field shows the date back as DD/MM/BE-year in Thai.
    """

    placeholder = _l("DD/MM/YYYY")

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": self.placeholder, "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _parse(self, text):
        return dates.parse_date(text)

    def _show(self, value) -> str:
        return dates.format_date_input(value)

    def process_formdata(self, valuelist):
        # Text that is no date stays text: the service reads it with the same helper and names the
        # problem alongside every other field's, so the person sees all of them at once.
        self.data = None
        if valuelist:
            raw = clean_text(valuelist[0])
            try:
                self.data = self._parse(raw) if raw else None
            except dates.DateError:
                self.data = raw

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, str):
            return self.data
        return self._show(self.data) if self.data else ""


class ThaiDateTimeField(ThaiDateField):
    """Date and time in Bangkok: '20/01/2570 09:00', '2570-01-20 9.00 น.'. `data` is naive Bangkok time."""

    placeholder = _l("DD/MM/YYYY HH:MM")

    def _parse(self, text):
        stored = dates.parse_datetime(text)  # naive UTC
        return dates.to_bangkok(stored).replace(tzinfo=None) if stored else None

    def _show(self, value) -> str:
        # The form holds naive Bangkok time; show it as it is.
        return f"{dates.format_date_input(value.date())} {value:%H:%M}"
