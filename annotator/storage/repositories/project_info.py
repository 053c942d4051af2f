from __future__ import annotations

from sqlalchemy import select
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
