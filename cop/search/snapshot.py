"""Artifacts derived from the searchable content (the did-you-mean vocabulary, the suggestion model).

Built from the same documents the index holds (``registry.all_documents()``, public content only), so
they work with every search backend. Kept as JSON in the data dir and in memory; rebuilt when the number
of documents has changed and the file is older than ``SNAPSHOT_MIN_AGE`` seconds (15 minutes), or when it
is older than ``SNAPSHOT_MAX_AGE`` (6 hours). A stale artifact keeps answering while a background thread
rebuilds it (one process at a time: a lock file); only a missing one is built in the request.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..extensions import db
from . import registry
from .base import SearchDocument

Builder = Callable[[Iterable[SearchDocument], Callable[[int], None] | None], dict]


@dataclass
class _Loaded:
    data: dict
    count: int
    built: float
    checked: float


class Snapshot:
    def __init__(self, name: str, version: int, build: Builder):
        self.name, self.version, self.build = name, version, build
        self._loaded: dict[str, _Loaded] = {}  # by data dir
        self._lock = threading.Lock()
        self._rebuilding: set[str] = set()

    def path(self) -> Path:
        return Path(current_app.config["DATA_DIR"]) / "derived" / f"{self.name}.json.gz"

    def rebuild(self, progress: Callable[[int], None] | None = None) -> dict:
        """Build from every searchable document now and store it; returns the data."""
        count = registry.count_documents()
        data = self.build(registry.all_documents(), progress)
        payload = {"version": self.version, "count": count, "built": time.time(), "data": data}
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=5) as f:
            f.write(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, path)  # other workers see the whole file or the old one
        now = time.time()
        self._loaded[str(path)] = _Loaded(data, count, payload["built"], now)
        return data

    def _read(self, path: Path) -> _Loaded | None:
        try:
            with gzip.open(path, "rb") as f:
                payload = json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError):
            return None
        if payload.get("version") != self.version:
            return None
        return _Loaded(payload["data"], payload["count"], payload["built"], time.time())

    def get(self, wait: bool = True) -> dict | None:
        """The current data, rebuilding when missing (now) or stale (in the background).

        ``wait=False``: when this process holds nothing yet, load or build it in the background and return
        None at once (a search must not wait for it; the tests always wait).
        """
        config = current_app.config
        path = self.path()
        key = str(path)
        loaded = self._loaded.get(key)
        now = time.time()
        if loaded and now - loaded.checked < float(
            config.get("SNAPSHOT_CHECK_SECONDS", 0 if config.get("TESTING") else 30)
        ):
            return loaded.data
        if loaded is None and not wait and not config.get("TESTING"):
            self._in_background(key, self.get)
            return None
        with self._lock:
            try:
                mtime = path.stat().st_mtime
            except OSError:
                mtime = None
            if mtime is not None and (loaded is None or mtime > loaded.built + 1e-3):
                loaded = self._read(path) or loaded  # another worker (or the CLI) rebuilt it
            if loaded is None:
                return self.rebuild()
            loaded.checked = now
            self._loaded[key] = loaded
        age = now - loaded.built
        min_age = float(config.get("SNAPSHOT_MIN_AGE", 0 if config.get("TESTING") else 900))
        stale = age > float(config.get("SNAPSHOT_MAX_AGE", 6 * 3600)) or (
            age >= min_age and registry.count_documents() != loaded.count
        )
        if stale:
            if config.get("TESTING"):
                return self.rebuild()
            self._in_background(key, self._rebuild_once)
        return loaded.data

    def _rebuild_once(self) -> None:
        """Rebuild unless another process is already doing it (workers share the file)."""
        lock_path = self.path().with_suffix(".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # someone else rebuilds; this process reloads the file at its next check
            self.rebuild()

    def _in_background(self, key: str, work: Callable[[], object]) -> None:
        with self._lock:
            if key in self._rebuilding:
                return
            self._rebuilding.add(key)
        app = current_app._get_current_object()

        def run():
            try:
                with app.app_context():
                    try:
                        work()
                    except Exception:  # the old artifact keeps answering; next check tries again
                        app.logger.exception("%s: rebuild failed", self.name)
                    finally:
                        db.session.remove()
            finally:
                self._rebuilding.discard(key)

        threading.Thread(target=run, name=f"rebuild-{self.name}", daemon=True).start()

    def forget(self) -> None:
        """Drop what this process holds in memory (tests, after a restore)."""
        self._loaded.clear()
