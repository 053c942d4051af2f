"""A project on a PostgreSQL server: connecting, recognising, creating and upgrading it.

The file-only safeguards (lock file, WAL checkpoints, quick_check, atomic file creation, a backup
copy before an upgrade) have the server's own counterparts here: DDL is transactional, so the
schema, the codebook and the 'application' mark are created in ONE transaction (a project
appears whole or not at all), and creations and upgrades are serialised by an advisory lock, so
two coders opening a new or old project at once cannot both build it. Durability and
concurrency are the server's. Opening refuses, unchanged, what it refuses for files: a database
holding other tables and no Annotator project, one made by another application, and one from a
newer Annotator.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session

from annotator.domain.errors import (
    NewerSchemaError,
    NotAProjectError,
    ProjectError,
    ProjectWriteError,
    ReadOnlyProjectError,
    ServerAuthenticationError,
    ServerUnreachableError,
)
from annotator.domain.location import ServerLocation
from annotator.domain.model import Codebook
from annotator.storage.orm import Base
from annotator.storage.repositories import CodebookRepository, ProjectInfoRepository
from annotator.storage.schema import APPLICATION, head_revision, known_revisions, upgrade_connection

#: pg_advisory_xact_lock key of creation and upgrade ("annotate" in ASCII, as a bigint)
_SCHEMA_LOCK = 0x616E6E6F74617465
CONNECT_TIMEOUT_S = 10
READ_ONLY_REASON = "it was opened for reading only, so changes cannot be saved"


def server_url(location: ServerLocation) -> URL:
    """The SQLAlchemy URL (psycopg 3). No password: libpq then reads PGPASSWORD or ~/.pgpass."""
    return URL.create(
        "postgresql+psycopg",
        username=location.user,
        password=location.password,
        host=location.host,
        port=location.port,
        database=location.database,
        query=dict(parse_qsl(location.query)),
    )


def make_server_engine(location: ServerLocation, read_only: bool = False) -> Engine:
    try:
        import psycopg  # noqa: F401  (the optional driver: say how to get it)
    except ImportError:
        raise ProjectError(
            f"{location}: opening a project on a PostgreSQL server needs the driver; "
            'install it with: pip install "annotator[postgres]"'
        ) from None
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "annotator",
    }
    if read_only:  # the server itself refuses every write of this engine
        connect_args["options"] = "-c default_transaction_read_only=on"
    engine = create_engine(server_url(location), connect_args=connect_args)
    _ping_when_idle(engine)
    translate_server_errors(engine, location)
    return engine


#: a pooled connection unused for longer is checked before use (the server may have restarted)
IDLE_BEFORE_PING_S = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use, as ``pool_pre_ping`` does, but only once it has
    been idle a moment: a connection used a moment ago needs no extra round trip on every
    action, and if the server went away in that moment the action reports it (unreachable)."""

    @event.listens_for(engine, "checkin")
    def _note_last_use(_dbapi: Any, record: Any) -> None:
        record.info["last_used"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get("last_used")
        if last is not None and time.monotonic() - last < IDLE_BEFORE_PING_S:
            return
        try:
            dbapi.execute("SELECT 1")
        except Exception as exc:  # the pool replaces the connection and checks out again
            raise DisconnectionError(str(exc)) from exc


def server_error(location: ServerLocation, error: BaseException) -> ProjectError | None:
    """The domain error for a driver error that means 'cannot reach', 'refused', 'read-only'."""
    original = error.orig if isinstance(error, DBAPIError) else error
    module = type(original).__module__
    if not module.startswith("psycopg"):
        return None
    sqlstate = getattr(original, "sqlstate", None)
    message = _first_line(original)
    if "NUL (0x00)" in message:
        return ProjectWriteError(
            location,
            "PostgreSQL cannot store the NUL character (U+0000) this text holds, so this change "
            "was not saved; remove the character (the importers drop it) and try again",
        )
    if sqlstate == "25006":  # read_only_sql_transaction
        return ReadOnlyProjectError(location, READ_ONLY_REASON)
    if sqlstate in ("28P01", "28000") or _is_auth_failure(message) or (
        message.startswith("role ") and "does not exist" in message
    ):
        return ServerAuthenticationError(location, message)
    if sqlstate == "3D000" or (message.startswith("database ") and "does not exist" in message):
        return ProjectError(
            f"{location}: the server has no database {location.database!r}; "
            "ask its administrator to create it (CREATE DATABASE), then open it again"
        )
    if sqlstate is None or sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03"):
        name = type(original).__name__
        if name in ("OperationalError", "InterfaceError") or sqlstate is not None:
            return ServerUnreachableError(location, location.address, message)
    return None


def translate_server_errors(engine: Engine, location: ServerLocation) -> None:
    def on_error(context: Any) -> None:
        mapped = server_error(location, context.original_exception)
        if mapped is not None:
            raise mapped

    event.listen(engine, "handle_error", on_error)


def _is_auth_failure(message: str) -> bool:
    lowered = message.lower()
    return "password authentication failed" in lowered or "no password supplied" in lowered


def _first_line(error: BaseException) -> str:
    """libpq's reason without its preamble: 'Connection refused', 'role "x" does not exist'."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    reason = lines[0].rsplit(" failed: ", 1)[-1]
    return reason.replace("FATAL:", "").strip()


def open_server_database(
    location: ServerLocation,
    create: bool = False,
    codebook: Codebook | None = None,
    read_only: bool = False,
) -> tuple[Engine, bool]:
    """The engine of the project in ``location``, current; and whether this call created it.

    An empty database becomes a project only with ``create`` (and a codebook). An older
    project is upgraded in one transaction (no backup copy: the server's own backups apply).
    """
    engine = make_server_engine(location, read_only=read_only)
    try:
        created = False
        revision = _revision(engine, location)
        if revision is None:
            if not create or codebook is None:
                raise NotAProjectError(location, "the database is empty")
            if read_only:
                raise ReadOnlyProjectError(location, READ_ONLY_REASON)
            created = _create(engine, location, codebook)
            revision = _revision(engine, location)
        head = head_revision()
        if revision != head and revision not in known_revisions():
            raise NewerSchemaError(location, str(revision))
        if revision != head:
            if read_only:
                raise ReadOnlyProjectError(
                    location, "it is from an older Annotator; open it for writing once to upgrade it"
                )
            with _schema_lock(engine) as connection:
                upgrade_connection(connection)
        return engine, created
    except BaseException:
        engine.dispose()
        raise


def _revision(engine: Engine, location: ServerLocation) -> str | None:
    """The project's schema revision; None for an empty database; refuses anything else."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if not tables:
            return None
        if "project_info" not in tables or "alembic_version" not in tables:
            raise NotAProjectError(location, "the database holds other tables and no Annotator project")
        app = connection.execute(
            text("SELECT value FROM project_info WHERE key = 'application'")
        ).scalar()
        if app != APPLICATION:
            raise NotAProjectError(location, "it was not made by Annotator")
        row = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if row is None:
        raise NotAProjectError(location, "it has no schema version")
    return str(row)


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Any]:
    """One transaction holding the schema lock: other creators and upgraders wait for it."""
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        yield connection


def _create(engine: Engine, location: ServerLocation, codebook: Codebook) -> bool:
    """Build the project in one transaction; False if another program built it meanwhile."""
    with _schema_lock(engine) as connection:
        if inspect(connection).get_table_names():
            return False
        upgrade_connection(connection)
        with Session(bind=connection) as session:
            CodebookRepository(session).save(codebook)
            info = ProjectInfoRepository(session)
            info.set("created_at", datetime.now().isoformat(timespec="seconds"))
            info.set("application", APPLICATION)
            session.flush()
    return True


def drop_project_tables(engine: Engine) -> None:
    """Empty the database again (a project this very run created and left empty)."""
    with _schema_lock(engine) as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


#: SQLSTATEs after which the server rolled the whole transaction back and asks for a retry
_RETRY_STATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def transient_failure(error: BaseException) -> str | None:
    """'conflict' when the server rolled the transaction back for a concurrent one (retry
    it as it is), 'connection' when the connection dropped (the commit may or may not have
    reached the server: look before retrying), None for anything else."""
    if isinstance(error, ServerUnreachableError):
        return "connection"
    original = error.orig if isinstance(error, DBAPIError) else error
    if getattr(original, "sqlstate", None) in _RETRY_STATES:
        return "conflict"
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return "connection"
    return None
