"""Rate limits: a counter store shared by every worker process on one machine, and the shared limits.

`limits` ships storages for memory (one process only), Redis, Memcached, MongoDB and etcd: all but the
first need a server. The default here is a SQLite file in DATA_DIR (`sqlite:///path`), which every
worker on the machine shares without an extra service. Several machines behind a load balancer set
COP_RATELIMIT_STORAGE_URI=redis://host:6379 instead. Fixed windows only (Flask-Limiter's default).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from urllib.parse import unquote, urlparse

from limits.storage import Storage

TIMEOUT = 30.0  # seconds a worker waits for another one's write


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode. Workers that start together all create the file and switch it at
    once; SQLite can then answer "database is locked" without waiting (seen in CI), so try again."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file; each increment is one short IMMEDIATE transaction."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = unquote(urlparse(uri or "sqlite:///:memory:").path)
        self.path = path[1:] if path.startswith("//") else path  # sqlite:////abs and sqlite:///abs both work
        self._local = threading.local()
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
                " expires REAL NOT NULL)"
            )

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=TIMEOUT, isolation_level=None)
            _use_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT count, expires FROM counters WHERE key = ?", (key,)).fetchone()
            if row is None or row[1] <= now:
                count = amount
                conn.execute(
                    "INSERT OR REPLACE INTO counters (key, count, expires) VALUES (?, ?, ?)", (key, count, now + expiry)
                )
            else:
                count = row[0] + amount
                conn.execute("UPDATE counters SET count = ? WHERE key = ?", (count, key))
            if now % 60 < 1:  # now and then, drop windows that ended long ago
                conn.execute("DELETE FROM counters WHERE expires < ?", (now - 3600,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return count

    def get(self, key: str) -> int:
        row = (
            self._connect()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connect().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] > time.time() else time.time()

    def check(self) -> bool:
        try:
            self._connect().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        cursor = self._connect().execute("DELETE FROM counters")
        return cursor.rowcount

    def clear(self, key: str) -> None:
        self._connect().execute("DELETE FROM counters WHERE key = ?", (key,))
