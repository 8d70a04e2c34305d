"""The seeded world of the security tests (one object of each kind, one account per role), for the walk."""

import pytest

from cop.extensions import db

from ..helpers import close_app, fresh_session
from ..security.world import build_world
from .coverage import COVERAGE


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("i18n-world"))
    _thai_names(world)
    yield world
    close_app(world.app)


def _thai_names(world):
    """The security world names its accounts after their roles in English ("ผู้ทดสอบ member"): give them
    Thai names, so a raw role name on a page cannot pass for a person's name."""
    from sqlalchemy import text

    names = {
        "member": "สมาชิก",
        "author": "ผู้เขียน",
        "coordinator": "ผู้ประสานงาน",
        "facilitator": "วิทยากร",
        "moderator": "ผู้ดูแล",
        "admin": "ผู้ดูแลระบบ",
    }
    with fresh_session(world.app):
        for role, (uid, _version, _email) in world.users.items():
            db.session.execute(
                text("UPDATE users SET name = :name WHERE id = :id"), {"name": f"คุณทดสอบ {names[role]}", "id": uid}
            )
        db.session.execute(text("UPDATE api_tokens SET label = 'สคริปต์ทดสอบ'"))
        db.session.commit()
    world.snapshot()


def pytest_terminal_summary(terminalreporter):
    for lang, figures in COVERAGE.items():
        terminalreporter.write_line(
            f"i18n walk ({lang}): {figures['pages']} page URLs ({figures['rules']} routes) read "
            f"{figures['reads']} times as {figures['roles']} roles; {figures['forms']} forms with "
            f"{figures['fields']} fields ({figures['form_kinds']} distinct forms by route, {figures['kind_fields']} "
            f"fields); {figures['submissions']} submissions"
        )
