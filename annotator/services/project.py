"""A project: one open project file, and the unit of work every use case runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.domain.errors import ProjectError, ProjectInUseError
from annotator.domain.model import Codebook
from annotator.services.resources import default_codebook
from annotator.storage.db import make_session_factory
from annotator.storage.project_lock import ProjectHeld, ProjectLock
from annotator.storage.repositories import CodebookRepository, ProjectInfoRepository
from annotator.storage.schema import open_database

PROJECT_SUFFIX = ".annotator"


class Project:
    """An open project file. Thread-safe to share: every unit of work gets its own Session.

    ``read_only`` opens it without ever writing (SQLite's ``mode=ro``). ``lock`` claims it for
    this window: the app does, so a second window is told and offered read-only; commands do
    not, so an import from the command line still works while the app has it open.
    """

    def __init__(
        self,
        path: Path,
        create: bool = False,
        codebook: Codebook | None = None,
        read_only: bool = False,
        lock: bool = False,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = _claim(self.path) if lock and not read_only else None
        try:
            existed = self.path.exists()
            self.engine, self.backup = open_database(self.path, create=create, read_only=read_only)
        except BaseException:
            self._release()
            raise
        self._sessions = make_session_factory(self.engine, write=not read_only)
        self._read_sessions = make_session_factory(self.engine, write=False)
        if not existed:
            with self.session() as session:
                CodebookRepository(session).save(codebook or default_codebook())

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False, lock: bool = False) -> Project:
        return cls(Path(path), read_only=read_only, lock=lock)

    @classmethod
    def open_or_create(cls, path: Path | str, lock: bool = False) -> Project:
        return cls(Path(path), create=True, lock=lock)

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
        except OperationalError as exc:
            session.rollback()
            if self.read_only and "readonly" in str(exc.orig):
                raise ProjectError(
                    f"{self.path.name} is open read-only (another window has it): nothing was changed"
                ) from None
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
