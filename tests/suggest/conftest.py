import pytest

from ..helpers import api_headers


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def bearer(app, make_user):
    def issue(role="member"):
        return api_headers(app, make_user(role=role))

    return issue
