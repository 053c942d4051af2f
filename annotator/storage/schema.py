"""Opening a project file safely: recognise it, refuse what is not ours, back up, migrate."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from annotator.domain.errors import (
    NewerSchemaError,
    NotAProjectError,
    ProjectError,
    ReadOnlyProjectError,
)
from annotator.storage.db import connect, for_writing, make_engine, sqlite_uri
from annotator.storage.health import (
    OLD_AND_READ_ONLY,
    check_integrity,
    check_writable,
    translate,
)

APPLICATION = "annotator"
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _alembic_config()
    with for_writing(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def read_revision(path: Path) -> str:
    """The schema revision of an existing project file, read without changing the file.

    Raises NotAProjectError for anything that is not an Annotator project, DamagedProjectError
    for a project SQLite cannot read.
    """
    if path.is_dir():
        raise NotAProjectError(path, "it is a folder")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not header:
        raise NotAProjectError(path, "the file is empty")
    if header != SQLITE_HEADER:
        raise NotAProjectError(path, "it is not an SQLite database")
    try:
        connection = connect(path, read_only=True)
    except sqlite3.Error as exc:
        raise translate(path, exc, writing=False) or NotAProjectError(
            path, f"cannot open it: {exc}"
        ) from None
    try:
        tables = {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "project_info" not in tables or "alembic_version" not in tables:
            raise NotAProjectError(path, "it has no Annotator tables")
        app = connection.execute(
            "SELECT value FROM project_info WHERE key = 'application'"
        ).fetchone()
        if app is None or app[0] != APPLICATION:
            raise NotAProjectError(path, "it was not made by Annotator")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise translate(path, exc, writing=False) or NotAProjectError(
            path, f"the database cannot be read: {exc}"
        ) from None
    finally:
        connection.close()
    if row is None:
        raise NotAProjectError(path, "it has no schema version")
    return str(row[0])


def backup_path(path: Path, revision: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.backup-schema{revision}-{stamp}{path.suffix}")


def _backup(path: Path, revision: str) -> Path:
    target = backup_path(path, revision)
    source = connect(path, read_only=True)
    try:
        dest = sqlite3.connect(sqlite_uri(target, "rwc"), uri=True)
        try:
            source.backup(dest)  # consistent even if a WAL holds the newest pages
        finally:
            dest.close()
    finally:
        source.close()
    return target


def open_database(path: Path, read_only: bool = False) -> tuple[Engine, Path | None]:
    """Open the existing project file at ``path``, migrated to the current schema.

    For writing, the file must be writable and pass SQLite's quick_check; ``read_only`` opens it
    without ever writing (and without the check). Returns the engine and the path of the backup
    made before an upgrade, if any.
    """
    path = Path(path)
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    revision = read_revision(path)
    head = head_revision()
    if revision != head and revision not in known_revisions():
        raise NewerSchemaError(path, revision)
    if read_only:
        if revision == head:
            return make_engine(path, read_only=True), None
        try:
            check_writable(path)
        except ReadOnlyProjectError:
            raise ReadOnlyProjectError(path, OLD_AND_READ_ONLY) from None
        engine, backup = open_database(path)  # upgrade once, then read as asked
        engine.dispose()
        return make_engine(path, read_only=True), backup
    check_writable(path)
    check_integrity(path)
    if revision == head:
        return make_engine(path), None
    backup = _backup(path, revision)
    engine = make_engine(path)
    upgrade(engine)
    return engine, backup


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Migrate inside the caller's transaction (PostgreSQL: DDL is transactional, so a project
    is created or upgraded whole or not at all)."""
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
