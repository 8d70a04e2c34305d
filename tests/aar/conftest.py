import pytest

from cop.aar import services
from cop.extensions import db
from cop.search import service as search_service

from ..helpers import PASSWORD, fresh_session, user_named
from .helpers import ANSWERS


@pytest.fixture
def facilitator(make_user):
    return make_user(role="facilitator", name="วิทยากร กระบวนการ", agency="สำนักงานจังหวัดขอนแก่น")


@pytest.fixture
def make_aar(app, facilitator):
    """Create an AAR through the services (as a view would), commit and apply the search outbox."""

    def make(author=None, publish=True, **fields):
        data = {
            "title": "AAR เวทีบริหารความเสี่ยง",
            "held_on": "2026-08-20",
            "venue": "ศาลากลางจังหวัดขอนแก่น",
            "province": "ขอนแก่น",
            "participants": 35,
            "codes": ["SP7"],
            "agencies": ["สำนักงานจังหวัดขอนแก่น"],
            **ANSWERS,
        }
        data.update(fields)
        with fresh_session(app):
            aar = services.create_aar(user_named(author or facilitator), publish=publish, **data)
            db.session.commit()
            search_service.apply_pending()
            return aar.id

    return make


@pytest.fixture
def as_user(app):
    def client_for(email=None):
        client = app.test_client()
        if email:
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        return client

    return client_for
