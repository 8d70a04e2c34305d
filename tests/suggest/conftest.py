import pytest
from sqlalchemy import select

from cop.accounts import services as account_services
from cop.accounts.models import User
from cop.extensions import db

from ..helpers import fresh_session


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def bearer(app, make_user):
    def issue(role="member"):
        email = make_user(role=role)
        with fresh_session(app):
            user = db.session.scalar(select(User).where(User.email == email))
            token = account_services.issue_token(user, "test")
            db.session.commit()
            return {"Authorization": f"Bearer {token}"}

    return issue
