"""Backup and restore: ``flask --app cop backup DIR`` / ``flask --app cop restore DIR``.

A backup directory holds

* ``manifest.json`` — format, version, time, source engine, the schema's migration revision, row
  counts per table;
* ``database.jsonl.gz`` — every table, row by row (JSON; dates, times and bytes tagged): portable
  between SQLite and PostgreSQL, no ``pg_dump`` needed, lossless for what the app stores (password
  hashes, tokens, revisions, notifications — more than the interchange format carries);
* ``cop.sqlite3`` — on SQLite also a consistent raw copy made with SQLite's online backup API
  (while the site runs); it can simply be put back in place of the data dir's file;
* ``uploads/`` — the attachments.

The search index is not backed up: restore rebuilds it from the restored rows (with a progress bar).
Restore goes into an empty database (``--replace`` empties a used one first): it migrates the schema
to the backup's revision, loads the rows, migrates on to the current head, copies the uploads back
and rebuilds the index.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
import sqlite3
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from ..extensions import db

FORMAT = "cop-backup"
VERSION = 1
#: Rebuilt on restore, never backed up.
SKIP_TABLES = {
    "alembic_version",
    "search_documents",
    "search_apply_lock",
    "content_version",
}  # derived or bookkeeping state
DUMP = "database.jsonl.gz"


class BackupError(Exception):
    pass


# ---------------------------------------------------------------------- values


def _encode(value):
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    if isinstance(value, dict):
        return {"$j": value}  # a JSON column's object (never mistaken for a tag)
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$d":
            return date.fromisoformat(raw)
        if tag == "$t":
            return time.fromisoformat(raw)
        if tag == "$b":
            return base64.b64decode(raw)
        if tag == "$n":
            return Decimal(raw)
        if tag == "$j":
            return raw
    return value


def _tables(connection) -> list[sa.Table]:
    """The database's own tables (reflected: the schema at its revision), parents before children."""
    meta = sa.MetaData()
    meta.reflect(bind=connection)
    return [t for t in meta.sorted_tables if t.name not in SKIP_TABLES]


def _revision(connection) -> str | None:
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        return None


# ---------------------------------------------------------------------- backup


def backup(target: str | os.PathLike, progress: Callable[[int], None] | None = None) -> dict:
    """Write a backup into ``target`` (a new or empty directory); returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    counts: dict[str, int] = {}
    # One transaction for every table: a consistent snapshot on PostgreSQL (REPEATABLE READ) and
    # on SQLite (a read transaction in WAL mode) while the site keeps running.
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master")  # start the snapshot
            revision = _revision(conn)
            with gzip.open(target / DUMP, "wt", encoding="utf-8", compresslevel=6) as out:
                for table in _tables(conn):
                    columns = [c.name for c in table.columns]
                    out.write(json.dumps({"table": table.name, "columns": columns}, ensure_ascii=False) + "\n")
                    n = 0
                    result = conn.execution_options(yield_per=1000).execute(sa.select(table))
                    for row in result:
                        out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
                        n += 1
                        if progress:
                            progress(1)
                    counts[table.name] = n
    if engine.dialect.name == "sqlite":
        _sqlite_copy(engine.url.database, target / "cop.sqlite3")
    uploads = Path(current_app.config["UPLOAD_DIR"])
    n_files = 0
    if uploads.is_dir():
        shutil.copytree(uploads, target / "uploads")
        n_files = sum(1 for p in (target / "uploads").rglob("*") if p.is_file())
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(),
        "engine": engine.dialect.name,
        "revision": revision,
        "tables": counts,
        "uploads": n_files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest


def _sqlite_copy(source: str, dest: Path) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(str(dest))
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()


def count_rows(source: str | os.PathLike) -> int:
    manifest = read_manifest(source)
    return sum(manifest["tables"].values())


def read_manifest(source: str | os.PathLike) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable backup (manifest.json: {exc}).") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{source}: not a {FORMAT} version {VERSION} backup.")
    if not (source / DUMP).is_file():
        raise BackupError(f"{source}: {DUMP} is missing.")
    return manifest


# ---------------------------------------------------------------------- restore


def restore(source: str | os.PathLike, replace: bool = False, progress: Callable[[int], None] | None = None) -> dict:
    """Load a backup into this instance's (empty) database and upload dir; returns the manifest.
    The search index is rebuilt separately (:func:`cop.search.service.reindex`)."""
    source = Path(source)
    manifest = read_manifest(source)
    engine = db.engine
    db.session.remove()
    _refuse_if_in_use(engine, replace)
    _recreate_schema(engine, manifest["revision"] or "head")
    with engine.begin() as conn:
        tables = {t.name: t for t in _tables(conn)}
        for table in reversed(list(tables.values())):
            conn.execute(table.delete())  # rows a migration may have inserted
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        _load_rows(conn, source / DUMP, tables, manifest["revision"], progress)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn, tables.values())
    upgrade()  # on to the current schema (the migrations carry the data forward)
    db.session.remove()
    _restore_uploads(source / "uploads", Path(current_app.config["UPLOAD_DIR"]))
    return manifest


def _refuse_if_in_use(engine, replace: bool) -> None:
    """A restore overwrites everything: only into an empty database, unless asked to replace."""
    with engine.connect() as conn:
        used = [t.name for t in _tables(conn) if conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()]
    if used and not replace:
        raise BackupError(
            "The database is not empty ("
            + ", ".join(used[:5])
            + (" …" if len(used) > 5 else "")
            + "): restore into a new database, or pass --replace to overwrite it."
        )


def _recreate_schema(engine, revision: str) -> None:
    """Start from nothing, then build the schema exactly as it was when the backup was made."""
    with engine.begin() as conn:
        meta = sa.MetaData()
        meta.reflect(bind=conn)
        meta.drop_all(bind=conn)
    upgrade(revision=revision)
    db.session.remove()


def _load_rows(conn, dump: Path, tables: dict, revision: str, progress: Callable[[int], None] | None) -> None:
    """Insert the dump's rows: a header line names a table and its columns, the rows follow in batches."""
    with gzip.open(dump, "rt", encoding="utf-8") as f:
        table, columns, batch = None, [], []

        def flush():
            if batch:
                conn.execute(table.insert(), batch)
                if progress:
                    progress(len(batch))
                batch.clear()

        for line in f:
            item = json.loads(line)
            if isinstance(item, dict):
                flush()
                table = tables.get(item["table"])
                if table is None:
                    raise BackupError(f"Table {item['table']} is not in the schema at revision {revision}.")
                columns = item["columns"]
                continue
            batch.append({c: _decode(v) for c, v in zip(columns, item, strict=False)})
            if len(batch) >= 500:
                flush()
        flush()


def _reset_sequences(conn, tables) -> None:
    """Serial ids continue after the restored rows."""
    for table in tables:
        for column in table.primary_key.columns:
            seq = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if seq:
                conn.execute(
                    sa.text(
                        f'SELECT setval(:s, COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'  # nosec B608  # names come from our own SQLAlchemy metadata, not from input
                    ),
                    {"s": seq},
                )


def _restore_uploads(source: Path, dest: Path) -> None:
    if not source.is_dir():
        return
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, dest, dirs_exist_ok=True)
