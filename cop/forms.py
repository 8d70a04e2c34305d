"""Helpers shared by every feature's forms."""
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

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


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
