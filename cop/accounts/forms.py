from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ..forms import BaseForm
from ..taxonomy import provinces
from .labels import role_choices


def province_choices(blank_label):
    return [("", blank_label)] + [(p, p) for p in provinces()]


def new_password_fields(label, repeat_label, hint: bool = True) -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition, which must match (the length rule is the service's)."""
    description = _l("At least 12 characters. A phrase of several words works well.") if hint else ""
    return (
        PasswordField(label, validators=[DataRequired()], description=description),
        PasswordField(
            repeat_label, validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))]
        ),
    )


class RegisterForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=200)])
    province = SelectField(_l("Province"), validators=[Optional()])
    password, confirm = new_password_fields(_l("Password"), _l("Repeat the password"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = province_choices(_l("— choose —"))


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField(_l("Keep me logged in"))


class ProfileForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=200)])
    province = SelectField(_l("Province"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = province_choices(_l("— choose —"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password, confirm = new_password_fields(_l("New password"), _l("Repeat the new password"))


class ChangeEmailForm(BaseForm):
    email = EmailField(_l("New e-mail"), validators=[DataRequired(), Length(max=254)])
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)])


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields(_l("New password"), _l("Repeat the new password"), hint=False)


class TokenForm(BaseForm):
    label = StringField(_l("What the token is for"), validators=[Optional(), Length(max=100)])


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=role_choices())
    confirm = HiddenField()  # "yes" once the admin has seen the confirmation page
