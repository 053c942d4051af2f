from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.ids import CoderId
from annotator.storage.orm import CoderRow


class CoderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def id_for(self, name: str | None) -> CoderId | None:
        """The coder's id, creating the coder on first use; None for no name."""
        if not name:
            return None
        found = self.session.scalar(select(CoderRow.id).where(CoderRow.name == name))
        if found is not None:
            return CoderId(found)
        row = CoderRow(name=name, created_at=datetime.now(UTC).replace(tzinfo=None))
        self.session.add(row)
        self.session.flush()
        return CoderId(row.id)

    def names(self) -> dict[int, str]:
        return dict(self.session.execute(select(CoderRow.id, CoderRow.name)).all())
