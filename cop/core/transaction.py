"""The transaction rule for HTML views: services flush, the view's one ``transaction()`` block commits.

Every change a view makes runs inside ``with transaction(form) as tx:``. On leaving the block the
request's work is committed once. A service ``ValidationError`` rolls everything back and puts its
messages next to the form's fields (or flashes them when there is no form), and ``tx.ok`` stays
false, so the view re-shows the form with ``form_page()`` (status 422). Any other error rolls back
and propagates to the 500 handler. This is the HTML twin of the JSON error handler in
``cop/api/common.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, render_template
from flask_wtf import FlaskForm

from ..extensions import db
from ..forms import apply_errors
from ..validation import ValidationError


class transaction:  # noqa: N801 - used as a statement-like context manager
    """Commit the block's work once; on a rule violation roll back and report it to the user."""

    def __init__(self, form: FlaskForm | None = None):
        self.form = form
        self.ok = False
        self.error: ValidationError | None = None
        self._on_rollback: list[Callable[[], object]] = []

    def on_rollback(self, undo: Callable[[], object]) -> None:
        """Run ``undo`` (e.g. remove a written file) if the work is rolled back instead of committed."""
        self._on_rollback.append(undo)

    def __enter__(self) -> transaction:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            try:
                db.session.commit()
            except BaseException:
                self._rollback()
                raise
            self.ok = True
            return False
        self._rollback()
        if not issubclass(exc_type, ValidationError):
            return False
        self.error = exc
        if self.form is not None:
            apply_errors(self.form, exc)
        else:
            for _field, message in exc.errors:
                flash(message, "error")
        return True

    def _rollback(self) -> None:
        db.session.rollback()
        for undo in self._on_rollback:
            undo()


def form_status(form: FlaskForm) -> int:
    """422 when the form carries errors (its own or a service's), else 200."""
    return 422 if form.errors or form.form_errors else 200


def form_page(template: str, form: FlaskForm, **context):
    """Render a page around ``form`` with the status its errors call for."""
    return render_template(template, form=form, **context), form_status(form)


def saved(form: FlaskForm, save: Callable[[], object]) -> bool:
    """True when ``form`` comes back valid and ``save()`` commits; a rule it breaks lands on the form."""
    if not form.validate_on_submit():
        return False
    with transaction(form) as tx:
        save()
    return tx.ok
