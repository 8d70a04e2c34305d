"""Role names and audit entries as people read them, in the interface language."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .models import ROLES

_ROLE_LABELS = {
    "member": _l("Member"),
    "coordinator": _l("Coordinator"),
    "facilitator": _l("Facilitator"),
    "moderator": _l("Moderator"),
    "admin": _l("Administrator"),
}
_ARROW = re.compile(r"^\s*(\w+)\s*(?:->|→)\s*(\w+)\s*$")


def role_label(role: str | None) -> str:
    return str(_ROLE_LABELS.get(role or "", role or ""))


def role_choices() -> list[tuple[str, str]]:
    return [(role, _ROLE_LABELS[role]) for role in ROLES]


def audit_action(action: str) -> str:
    return {"role": _("Role change")}.get(action, action)


def audit_detail(action: str, detail: str) -> str:
    """'member -> coordinator' reads 'สมาชิก → ผู้ประสานงาน'."""
    match = _ARROW.match(detail or "")
    if action == "role" and match:
        return f"{role_label(match.group(1))} → {role_label(match.group(2))}"
    return detail or ""


def actor_label(label: str) -> str:
    """Who acted when no one was signed in ('cli')."""
    return {"cli": _("the command line"), "web": _("the website")}.get(label, label or "—")
