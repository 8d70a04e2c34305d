import pytest


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app
