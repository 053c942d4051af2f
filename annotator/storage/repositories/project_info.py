from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.storage.orm import ProjectInfo


class ProjectInfoRepository:
    """Project-wide settings as strings (e.g. the spaCy pipeline to use)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.session.get(ProjectInfo, key)
        return default if row is None else row.value

    def set(self, key: str, value: str | None) -> None:
        row = self.session.get(ProjectInfo, key)
        if value is None:
            if row is not None:
                self.session.delete(row)
        elif row is None:
            self.session.add(ProjectInfo(key=key, value=value))
        else:
            row.value = value

    def all(self) -> dict[str, str]:
        return {row.key: row.value for row in self.session.scalars(select(ProjectInfo))}

    def advance(self, key: str, expected: int) -> bool:
        """Move the counter ``key`` from ``expected`` to the next number, in one statement, so
        two writers who both read ``expected`` cannot both succeed; False if it had moved.
        A counter never set counts as 0."""
        moved = self.session.execute(
            update(ProjectInfo).where(ProjectInfo.key == key, ProjectInfo.value == str(expected))
            .values(value=str(expected + 1))
        ).rowcount
        if moved:
            return True
        if expected != 0 or self.get(key) is not None:
            return False
        try:
            with self.session.begin_nested():  # two first writers: the key's uniqueness decides
                self.session.add(ProjectInfo(key=key, value="1"))
        except IntegrityError:
            return False
        return True
