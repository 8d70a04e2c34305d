"""Derived artifacts (suggestion model, did-you-mean vocabulary) follow the content without making anyone wait."""

import time

from cop.search.snapshot import Snapshot

from ..helpers import close_database, fresh_session, make_app


def count_docs(docs, progress=None):
    return {"n": sum(1 for _ in docs)}


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_stale_artifact_answers_at_once_and_catches_up_in_the_background(tmp_path):
    app = make_app(tmp_path, TESTING=False, RATELIMIT_ENABLED=False, SNAPSHOT_MIN_AGE=0, SNAPSHOT_CHECK_SECONDS=0)
    snap = Snapshot("test-count", 1, count_docs)
    try:
        with fresh_session(app):
            assert snap.get(wait=False) is None  # a fresh worker does not wait: it builds in the background
            assert wait_for(lambda: snap.get(wait=False) == {"n": 0})
            assert snap.path().exists()
        assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
        with fresh_session(app):
            assert snap.get() == {"n": 0}  # stale: the old answer at once ...
            assert wait_for(lambda: snap.get()["n"] > 40)  # ... and the new one shortly after

            def must_not_build(docs, progress=None):
                raise AssertionError("the file was up to date")

            other = Snapshot("test-count", 1, must_not_build)  # another worker reads the file
            assert other.get() == snap.get()
    finally:
        close_database(app)
