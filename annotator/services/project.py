"""A project: one open project file, and the unit of work every use case runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from annotator.domain.model import Codebook
from annotator.services.resources import default_codebook
from annotator.storage.db import make_session_factory
from annotator.storage.repositories import CodebookRepository, ProjectInfoRepository
from annotator.storage.schema import open_database
from annotator.storage.write_errors import translate_write_errors, writes_translated

PROJECT_SUFFIX = ".annotator"


class Project:
    """An open project file. Thread-safe to share: every unit of work gets its own Session."""

    def __init__(self, path: Path, create: bool = False, codebook: Codebook | None = None) -> None:
        self.path = Path(path)
        existed = self.path.exists()
        with writes_translated(self.path):  # creating or upgrading on a full disk
            self.engine, self.backup = open_database(self.path, create=create)
        translate_write_errors(self.engine, self.path)  # a full disk is a DiskFullError
        self._sessions = make_session_factory(self.engine)
        if not existed:
            with self.session() as session:
                CodebookRepository(session).save(codebook or default_codebook())

    @classmethod
    def open(cls, path: Path | str) -> Project:
        return cls(Path(path))

    @classmethod
    def open_or_create(cls, path: Path | str) -> Project:
        return cls(Path(path), create=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.session() as session:
            return ProjectInfoRepository(session).get(key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        with self.session() as session:
            ProjectInfoRepository(session).set(key, value)

    def codebook(self) -> Codebook:
        with self.session() as session:
            return CodebookRepository(session).codebook()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
