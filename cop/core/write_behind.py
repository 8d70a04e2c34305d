"""Counts noted in memory and written later, so a read never waits for the database's write lock.

A background thread writes what was noted every few seconds (one short transaction per app), and the
process writes what is left when it exits; a failed write keeps the notes for the next turn. A ``kill -9``
loses at most one period of one worker's notes. Used by the story view counts and the search log.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable


class WriteBehind:
    def __init__(
        self,
        name: str,
        new: Callable[[], dict],
        merge: Callable[[dict, dict], None],
        write: Callable[[object, dict], None],
        size: Callable[[dict], int],
    ):
        """NEW makes an empty batch; MERGE adds a batch back into a pending one; WRITE(app, batch) stores a
        batch (in its own transaction); SIZE counts what a batch holds."""
        self.name, self._new, self._merge, self._write, self._size = name, new, merge, write, size
        self.lock = threading.Lock()
        self.pending: dict = {}  # app → batch not yet written
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()

    def note(self, app, seconds: float, add: Callable[[dict], None]) -> None:
        """Let ADD change this app's pending batch; start the writer when SECONDS is above 0."""
        with self.lock:
            if not self.pending and not app.testing:  # tests flush by hand (their databases are gone at exit)
                atexit.register(self._flush_at_exit)
            add(self.pending.setdefault(app, self._new()))
            self._start(seconds, app.logger)

    def _start(self, seconds: float, logger) -> None:
        if seconds <= 0 or (self._thread is not None and self._thread.is_alive()):
            return

        def run():
            while not self._wake.wait(seconds):
                try:
                    self.flush()
                except Exception:  # the notes stay; the next turn tries again
                    logger.exception("%s: flush failed; will retry", self.name)

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()

    def _flush_at_exit(self) -> None:
        try:
            self.flush()
        except Exception:  # noqa: BLE001 - the process is ending: nothing left to retry with
            logging.getLogger(__name__).warning("%s: %d notes could not be written at exit", self.name, self.count())

    def count(self) -> int:
        with self.lock:
            return sum(self._size(batch) for batch in self.pending.values())

    def flush(self, only=None) -> int:
        """Write the notes of every app in this process (or of app ONLY); returns how many were written.
        On failure they stay noted and the first error is raised."""
        with self.lock:
            batches = {app: dict(b) for app, b in self.pending.items() if b and (only is None or app is only)}
            for app in batches:
                self.pending[app].clear()
        written, failed = 0, None
        for app, batch in batches.items():
            try:
                self._write(app, batch)
            except Exception as exc:  # noqa: BLE001 - any failure: keep the notes for the next turn
                with self.lock:
                    self._merge(self.pending.setdefault(app, self._new()), batch)
                failed = failed or exc
            else:
                written += self._size(batch)
        if failed is not None:
            raise failed
        return written
