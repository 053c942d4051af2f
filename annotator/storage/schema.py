"""Opening a project file safely: recognise it, refuse what is not ours, back up, migrate."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from annotator.domain.errors import NewerSchemaError, NotAProjectError, ProjectError
from annotator.storage.db import for_writing, make_engine

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

    Raises NotAProjectError for anything that is not an Annotator project.
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
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotAProjectError(path, f"cannot open it: {exc}") from None
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
        raise NotAProjectError(path, f"the database is damaged or locked: {exc}") from None
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
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)  # consistent even if a WAL holds the newest pages
        finally:
            dest.close()
    finally:
        source.close()
    return target


def open_database(
    path: Path, create: bool = False, read_only: bool = False
) -> tuple[Engine, Path | None]:
    """Open (or create) the project file at ``path``, migrated to the current schema.

    Returns the engine and the path of the backup made before an upgrade, if any.
    ``read_only`` opens an existing file without ever writing to it (SQLite's ``mode=ro``).
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise ProjectError(f"{path}: no such project file")
        if not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        return _create(path), None
    revision = read_revision(path)
    head = head_revision()
    if revision not in known_revisions():
        raise NewerSchemaError(path, revision)
    if read_only:
        if revision != head:
            raise ProjectError(
                f"{path}: this project must be upgraded to the current format before it can be "
                "opened read-only; open it normally once"
            )
        return make_engine(path, read_only=True), None
    if revision == head:
        return make_engine(path), None
    backup = _backup(path, revision)
    engine = make_engine(path)
    upgrade(engine)
    return engine, backup


def _create(path: Path) -> Engine:
    partial = path.with_name(path.name + ".creating")
    partial.unlink(missing_ok=True)
    engine = make_engine(partial)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO project_info (key, value) VALUES ('application', :app)"),
                {"app": APPLICATION},
            )
            connection.execute(
                text("INSERT INTO project_info (key, value) VALUES ('created_at', :now)"),
                {"now": datetime.now().isoformat(timespec="seconds")},
            )
        with engine.connect() as connection:
            # fold the WAL back in so the renamed file is complete on its own
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    shutil.move(partial, path)
    return make_engine(path)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
