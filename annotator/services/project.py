"""A project: one open project file, and the unit of work every use case runs in."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from annotator.domain.errors import IncompleteProjectError, ProjectInUseError, ReadOnlyProjectError
from annotator.domain.location import ServerLocation, parse_location
from annotator.domain.model import Codebook
from annotator.services.resources import default_codebook
from annotator.storage.creation import SIDECARS, create_database
from annotator.storage.db import make_session_factory
from annotator.storage.project_lock import ProjectHeld, ProjectLock
from annotator.storage.repositories import (
    CodebookRepository,
    DocumentRepository,
    ProjectInfoRepository,
)
from annotator.storage.schema import open_database
from annotator.storage.server import drop_project_tables, open_server_database
from annotator.storage.write_errors import translate_errors, writes_translated

PROJECT_SUFFIX = ".annotator"


class Project:
    """An open project file. Thread-safe to share: every unit of work gets its own Session.

    ``read_only`` opens it without ever writing (statistics, exports, viewing a write-protected
    file or one another window has open). ``lock`` claims it for this window: the app does, so a
    second window is told and offered read-only; commands do not, so an import from the command
    line still works while the app has it open. A project without labels (a creation interrupted
    by an older version) is refused, except with ``require_labels=False``, which `codebook
    import` uses to give it a codebook.
    """

    def __init__(
        self,
        path: Path | ServerLocation | str,
        create: bool = False,
        codebook: Codebook | None = None,
        read_only: bool = False,
        lock: bool = False,
        require_labels: bool = True,
    ) -> None:
        location = parse_location(path)
        self.read_only = read_only
        # why changes cannot be saved, when it was opened read-only because it had to be
        self.read_only_reason = "it was opened for reading only, so changes cannot be saved"
        if isinstance(location, ServerLocation):
            # a project on a PostgreSQL server: the server takes the place of the lock file,
            # the atomic creation and the backup before an upgrade (see storage.server)
            self.path: Path | ServerLocation = location
            self._lock = None
            new_codebook = (codebook or default_codebook()) if create else None
            self.engine, self.created = open_server_database(
                location, create=create, codebook=new_codebook, read_only=read_only
            )
            self.backup = None
            self._start(require_labels)
            return
        self.path = location
        self._lock = _claim(self.path) if lock and not read_only else None
        try:
            # True only when this call made the file (never for one that already existed)
            with writes_translated(self.path):  # creating or upgrading on a full disk
                self.created = (
                    create
                    and not self.path.exists()
                    and create_database(self.path, codebook or default_codebook())
                )
                self.engine, self.backup = open_database(self.path, read_only=read_only)
        except BaseException:
            self._release()
            raise
        translate_errors(self.engine, self.path, writing=not read_only)  # SQLite's errors in words
        self._start(require_labels)

    def _start(self, require_labels: bool) -> None:
        read_only = self.read_only
        self._sessions = make_session_factory(self.engine, write=not read_only)
        self._read_sessions = make_session_factory(self.engine, write=False)
        if require_labels and not self.codebook().labels:
            self.close()
            raise IncompleteProjectError(self.path)

    @property
    def on_server(self) -> bool:
        """Whether the project lives on a PostgreSQL server rather than in a file."""
        return isinstance(self.path, ServerLocation)

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False, lock: bool = False) -> Project:
        return cls(path, read_only=read_only, lock=lock)

    @classmethod
    def open_or_view(cls, path: Path | str, lock: bool = False) -> Project:
        """Open for writing; a write-protected project opens read-only, to view and export."""
        try:
            return cls(path, lock=lock)
        except ReadOnlyProjectError as exc:
            project = cls(path, read_only=True)
            project.read_only_reason = exc.reason
            return project

    @classmethod
    def open_or_create(cls, path: Path | str, lock: bool = False) -> Project:
        return cls(path, create=True, lock=lock)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work that may write: it takes the write lock when it begins (waiting
        for another writer's turn), is committed when the block ends, rolled back if it raises."""
        with self._unit(self._sessions) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A unit of work that only reads: it never waits for a writer, nor makes one wait."""
        with self._unit(self._read_sessions) as session:
            yield session

    @contextmanager
    def _unit(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        session = factory()
        try:
            yield session
            session.commit()
        except ReadOnlyProjectError as exc:
            session.rollback()
            if self.read_only:  # say why this project was opened read-only
                raise ReadOnlyProjectError(self.path, self.read_only_reason) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.read_session() as session:
            return ProjectInfoRepository(session).get(key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        with self.session() as session:
            ProjectInfoRepository(session).set(key, value)

    def codebook(self) -> Codebook:
        with self.read_session() as session:
            return CodebookRepository(session).codebook()

    def document_count(self) -> int:
        with self.read_session() as session:
            return DocumentRepository(session).count()

    def close(self) -> None:
        self.engine.dispose()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _claim(path: Path) -> ProjectLock | None:
    """Claim the project for this window, or say who has it open already."""
    try:
        return ProjectLock.acquire(path)
    except ProjectHeld as held:
        owner = held.owner
        raise ProjectInUseError(path, owner.user, owner.host, owner.since_text) from None
    except OSError:
        return None  # a folder where no lock file can be made (read-only, odd drive): carry on


def discard_new_empty_project(project: Project) -> bool:
    """Delete ``project`` if this very run created it and nothing landed in it.

    A pre-existing project is never touched. Returns True when the file was removed.
    """
    if not project.created or project.read_only:
        return False
    if isinstance(project.path, ServerLocation):
        try:
            if project.document_count() == 0:
                drop_project_tables(project.engine)
                return True
            return False
        finally:
            project.close()
    try:
        empty = project.document_count() == 0
    finally:
        project.close()
    if not empty:
        return False
    for name in (project.path, *(Path(f"{project.path}{s}") for s in SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()
    return True
