"""The code layer's codes and codings (0009): bulk inserts with Core ``insert()``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from annotator.domain.codings import Code, Coding
from annotator.storage.orm import CodeRow, CoderRow, CodingRow
from annotator.storage.repositories.coders import CoderRepository


class CodingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- codes ---------------------------------------------------------------------------
    def codes(self) -> list[Code]:
        """The project's code list, in its order, with each code's parent's name."""
        parent = aliased(CodeRow)
        rows = self.session.execute(
            select(CodeRow.name, CodeRow.color, parent.name, CodeRow.position)
            .outerjoin(parent, CodeRow.parent_id == parent.id)
            .order_by(CodeRow.position, CodeRow.id)
        )
        return [Code(name, color or "", parent_name or "", position)
                for name, color, parent_name, position in rows]

    def ensure_codes(self, codes: Iterable[Code]) -> dict[str, int]:
        """Add the codes the project does not have (parents first); every code's id by name."""
        ids = {name: i for name, i in self.session.execute(select(CodeRow.name, CodeRow.id))}
        position = (self.session.scalar(select(func.max(CodeRow.position))) or 0) + 1
        for code in codes:
            if code.name in ids or not code.name:
                continue
            parent_id = ids.get(code.parent) if code.parent else None
            ids[code.name] = self.session.execute(
                insert(CodeRow).values(name=code.name, color=code.color, parent_id=parent_id,
                                       position=position).returning(CodeRow.id)
            ).scalar_one()
            position += 1
        return ids

    # -- codings -------------------------------------------------------------------------
    def add(self, codings: Sequence[Coding]) -> int:
        """Insert the codings (their codes and coders are made when missing); how many."""
        if not codings:
            return 0
        code_ids = self.ensure_codes(Code(c.code) for c in codings)
        coders = CoderRepository(self.session)
        coder_ids = {name: coders.id_for(name) for name in {c.coder for c in codings if c.coder}}
        now = datetime.now(UTC).replace(tzinfo=None)
        self.session.execute(insert(CodingRow), [
            {"document_id": c.document_id, "coder_id": coder_ids.get(c.coder) if c.coder else None,
             "code_id": code_ids[c.code], "start": c.start, "end": c.end, "text": c.text,
             "memo": c.memo, "created_at": now}
            for c in codings
        ])
        return len(codings)

    def for_document(self, document_id: int) -> list[Coding]:
        """The document's codings in reading order (then by code and coder)."""
        return self._read(CodingRow.document_id == document_id)

    def all(self) -> list[Coding]:
        """Every coding of the project, by document and position."""
        return self._read(None)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(CodingRow.id))) or 0)

    def _read(self, where: object) -> list[Coding]:
        statement = (
            select(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.text,
                   CodeRow.name, CoderRow.name, CodingRow.memo, CodingRow.id)
            .join(CodeRow, CodingRow.code_id == CodeRow.id)
            .outerjoin(CoderRow, CodingRow.coder_id == CoderRow.id)
            .order_by(CodingRow.document_id, CodingRow.start, CodingRow.end, CodeRow.name,
                      CoderRow.name, CodingRow.id)
        )
        if where is not None:
            statement = statement.where(where)  # type: ignore[arg-type]
        return [Coding(*row) for row in self.session.execute(statement)]
