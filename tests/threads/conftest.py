from datetime import timedelta

import pytest

from cop.accounts import services as account_services
from cop.extensions import db
from cop.models import utcnow
from cop.search import service as search_service
from cop.threads import services

from ..helpers import fresh_session


@pytest.fixture
def old_user(app, make_user):
    """A member whose account is older than the new-account window (flood limits do not apply)."""

    def make(role="member", **kwargs):
        email = make_user(role=role, **kwargs)
        with fresh_session(app):
            user = account_services.find_user(email)
            user.created_at = utcnow() - timedelta(days=30)
            db.session.commit()
        return email

    return make


@pytest.fixture
def ask(app):
    """Create a thread through the services, as the given user; returns its id."""

    def do(
        email, title="ทำอย่างไรให้ทีมเห็นคุณค่า PMQA", body="อยากทราบวิธีสื่อสารกับทีม", categories=(), codes=("CS1",), **kwargs
    ):
        with fresh_session(app):
            user = account_services.find_user(email)
            thread = services.create_thread(
                user,
                title=title,
                body=body,
                categories=list(categories),
                codes=list(codes),
                check_limits=False,
                **kwargs,
            )
            db.session.commit()
            search_service.apply_pending()  # as a request's teardown does after a commit
            return thread.id

    return do


@pytest.fixture
def answer(app):
    def do(email, thread_id, body="เราใช้เวทีแลกเปลี่ยนทุกเดือน"):
        from cop.threads.models import Thread

        with fresh_session(app):
            user = account_services.find_user(email)
            reply = services.add_reply(db.session.get(Thread, thread_id), user, body, check_limits=False)
            db.session.commit()
            search_service.apply_pending()
            return reply.id

    return do
