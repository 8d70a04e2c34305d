"""Helpers shared by every feature's forms: the base form (library messages in our catalog) and rules."""

from flask import abort, g, has_request_context, request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import HiddenField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import StopValidation
from wtforms.validators import ValidationError as FieldError
from wtforms.widgets import CheckboxInput, ListWidget

from .text import dates
from .text.clean import clean_text
from .validation import ValidationError


class CatalogTranslations:
    """WTForms ships no Thai catalog: its built-in messages are looked up in ours (see wtforms_messages)."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


_translations = CatalogTranslations()


def _clean_filter(value):
    return clean_text(value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Every form of the site derives from this one. Every text field passes through the one cleaning
    rule (cop.text.clean) before validation: text of invisible characters only is empty."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        filters = {k: list(v) for k, v in (extra_filters or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and not isinstance(field, (PasswordField, HiddenField)):
                filters.setdefault(name, []).insert(0, _clean_filter)
        super().process(formdata, obj, data=data, extra_filters=filters, **kwargs)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            typed = [v for v in (field.raw_data or []) if isinstance(v, str) and v.strip()]
            if field.process_errors and typed:
                # What was typed could not be read (a date, a number): say that, not "This field is required."
                field.errors = list(dict.fromkeys(field.process_errors))
        return valid

    class Meta:
        def get_translations(self, form):
            return _translations

        def wrap_formdata(self, form, formdata):
            # A form re-shown after a failed CSRF check keeps what the person typed (see core/errors.py).
            if formdata is _Auto and has_request_context() and g.get("csrf_replay"):
                return CombinedMultiDict((request.files, request.form)) if request.files else request.form
            return super().wrap_formdata(form, formdata)


class NumberBetween:
    """NumberRange that names the bound that was crossed ("at least 1", not "between 1 and 10000"),
    and stays silent when the value was not a number at all (the field already said so)."""

    def __init__(self, min=None, max=None):
        self.min, self.max = min, max
        self.field_flags = {}
        if min is not None:
            self.field_flags["min"] = min
        if max is not None:
            self.field_flags["max"] = max

    def __call__(self, form, field):
        value = field.data
        if value is None:
            if field.errors:
                raise StopValidation()
            return
        if self.min is not None and value < self.min:
            raise FieldError(field.gettext("Number must be at least %(min)s.") % {"min": self.min})
        if self.max is not None and value > self.max:
            raise FieldError(field.gettext("Number must be at most %(max)s.") % {"max": self.max})


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


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ButtonForm(BaseForm):
    """A POST button (publish, hide, delete, mark read…): nothing but the CSRF token."""


def member_form(form_class: type[FlaskForm]) -> FlaskForm | None:
    """The form for a logged-in reader, None for anyone else: building a form mints a CSRF token in
    the session, which would hand a reader without an account a cookie and keep the page out of the
    shared page cache (core.cache.cached_page)."""
    return form_class() if current_user.is_authenticated else None


def require_button() -> None:
    """Refuse with 400 a button's POST whose CSRF token is missing or stale."""
    if not ButtonForm().validate_on_submit():
        abort(400)
