"""The seeded site (one object of each kind) served over HTTP, for the quality checks (see helpers.py)."""

import threading

import pytest
from werkzeug.serving import make_server

from ...helpers import close_app
from ...security.world import build_world


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seeded site (one object of each kind) served over HTTP."""
    world = build_world(tmp_path_factory.mktemp("site"))
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    world.base_url = f"http://127.0.0.1:{server.server_port}"
    yield world
    server.shutdown()
    thread.join()
    close_app(world.app)
