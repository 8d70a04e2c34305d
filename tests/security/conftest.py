"""The security tests' module-scoped seeded world (see world.py)."""

import pytest

from ..helpers import close_app
from .world import build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("world"))
    yield world
    close_app(world.app)


def pytest_terminal_summary(terminalreporter):
    from .corpus import TRIED

    if TRIED["inputs"]:
        terminalreporter.write_line(f"hostile inputs tried: {TRIED['inputs']} (corpus and generated)")
