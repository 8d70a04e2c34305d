"""One error type for rule violations, shared by forms, the importer and the API, and the field rules they share."""

from __future__ import annotations

from flask_babel import gettext as _

from .taxonomy import normalize_codes, normalize_province


class ValidationError(Exception):
    """Carries (field, message) pairs; messages are user-facing and already translated."""

    def __init__(self, errors: list[tuple[str, str]] | str, field: str = ""):
        if isinstance(errors, str):
            errors = [(field, errors)]
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" if f else str(m) for f, m in errors))

    def as_dict(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for field, message in self.errors:
            out.setdefault(field or "_", []).append(str(message))
        return out


# Field rules shared by the services that check submitted fields: each appends (field, message) to
# ``errors`` and returns the cleaned value, so a service reports every problem at once.


def one_line(value) -> str:
    """Text as one line: runs of white space folded to one space, the ends trimmed."""
    return " ".join(str(value or "").split())


def check_line(fields: dict, key: str, limit: int, errors: list, required: str | None = None) -> str:
    """One line of text up to ``limit`` characters; ``required`` is the message when it is empty or too long."""
    value = one_line(fields.get(key))
    if required is not None and (not value or len(value) > limit):
        errors.append((key, required))
    elif len(value) > limit:
        errors.append((key, _("This is too long (up to %(n)d characters).", n=limit)))
    return value


def check_province(value, errors: list) -> str | None:
    """A province from the list, None when none is given."""
    if not value:
        return None
    province = normalize_province(str(value))
    if province is None:
        errors.append(("province", _("Choose a province from the list.")))
    return province


def check_codes(value, errors: list) -> list[str]:
    """PMQA activity codes in any spelling, normalized."""
    codes, rejected = normalize_codes(value or [])
    if rejected:
        errors.append(("codes", _("Unknown activity code(s): %(codes)s.", codes=", ".join(rejected))))
    return codes


def gather(errors: list, check, *args):
    """``check(*args)``, with the problems of its ValidationError added to ``errors`` (the result is then None)."""
    try:
        return check(*args)
    except ValidationError as exc:
        errors += exc.errors
        return None
