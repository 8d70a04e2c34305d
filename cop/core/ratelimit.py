"""The shared rate limits: posting (per account), search, password reset; counters live in the
storage of ``ratelimit_storage.py``."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter


def _configured(name: str):
    def limit() -> str:
        return current_app.config[name]

    return limit


def _account_or_address() -> str:
    """Signed-in people are counted per account (many may share an agency's address), others per address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def posting_limit(view):
    """New stories, threads and replies share one budget, RATELIMIT_POST per account, POSTs only."""
    return limiter.shared_limit(
        _configured("RATELIMIT_POST"), scope="posting", methods=["POST"], key_func=_account_or_address
    )(view)


def search_limit(view):
    """The search API: RATELIMIT_SEARCH per client."""
    return limiter.limit(_configured("RATELIMIT_SEARCH"))(view)


def reset_limit(view):
    return limiter.limit(_configured("RATELIMIT_RESET"), methods=["POST"])(view)


# endpoint -> renders that endpoint's form again from the posted data, given the limit message
_form_again: dict[str, Callable[[str], object]] = {}


def refill_when_limited(endpoint: str):
    """Register how a limited form is shown again: someone who hits the limit keeps what they typed."""

    def register(render: Callable[[str], object]):
        _form_again[endpoint] = render
        return render

    return register


def form_again(endpoint: str | None) -> Callable[[str], object] | None:
    return _form_again.get(endpoint or "")
