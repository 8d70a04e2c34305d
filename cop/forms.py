"""Helpers shared by every feature's forms: the base form (library messages in our catalog) and rules."""
from flask import g, has_request_context, request
from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.validators import ValidationError as FieldError
from wtforms.widgets import CheckboxInput, ListWidget

from .validation import ValidationError


class CatalogTranslations:
    """WTForms ships no Thai catalog: its built-in messages are looked up in ours (see wtforms_messages)."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


_translations = CatalogTranslations()


class BaseForm(FlaskForm):
    """Every form of the site derives from this one."""

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


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
