"""Each coder's relation to each document: assigned to them or not, and their status of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, bindparam, case, exists, func, select, update
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError
from annotator.domain.ids import CoderId, DocumentId
from annotator.domain.model import CoderRole, DocumentStatus
from annotator.storage.dialect import dialect_name, upsert, upsert_in
from annotator.storage.orm import CoderDocumentRow, CoderRow, DocumentRow


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=256)  # the same SQL for a coder every time: built once, not per repository
def status_of(coder_id: CoderId | None) -> ColumnElement[str]:
    """SQL for a document's status (correlated to ``documents``): the coder's own, or, for
    no coder, the team's: done when every coder with the document has done it, in progress
    once anyone has started, new before."""
    here = CoderDocumentRow.document_id == DocumentRow.id
    if coder_id is not None:
        own = (
            select(CoderDocumentRow.status)
            .where(here, CoderDocumentRow.coder_id == coder_id)
            .scalar_subquery()
        )
        return func.coalesce(own, DocumentStatus.NEW.value)
    started = select(func.count()).where(
        here, CoderDocumentRow.status != DocumentStatus.NEW.value
    ).scalar_subquery()
    unfinished = select(func.count()).where(
        here, CoderDocumentRow.status != DocumentStatus.DONE.value
    ).scalar_subquery()
    return case(
        (and_(started > 0, unfinished == 0), DocumentStatus.DONE.value),
        (started > 0, DocumentStatus.IN_PROGRESS.value),
        else_=DocumentStatus.NEW.value,
    )


_TEAM_STATUS = select(status_of(None)).where(DocumentRow.id == bindparam("document_id"))
# Core statements on the tables (plain rows) for what every decision or "done" runs
_TABLE, _DOCUMENTS = CoderDocumentRow.__table__, DocumentRow.__table__
_OWN_STATUS = select(func.coalesce(
    select(_TABLE.c.status)
    .where(_TABLE.c.document_id == _DOCUMENTS.c.id, _TABLE.c.coder_id == bindparam("coder_id"))
    .scalar_subquery(),
    DocumentStatus.NEW.value,
)).where(_DOCUMENTS.c.id == bindparam("document_id"))


@lru_cache(maxsize=2)  # built once per dialect: building an upsert costs more than running it
def _start_work_statement(dialect: str):  # type: ignore[no-untyped-def]
    started = DocumentStatus.IN_PROGRESS.value
    statement = upsert_in(dialect, _TABLE).values(
        document_id=bindparam("document_id"), coder_id=bindparam("coder_id"), status=started,
        updated_at=bindparam("now"),
    )
    return statement.on_conflict_do_update(
        index_elements=["document_id", "coder_id"],
        set_={"status": started, "updated_at": statement.excluded.updated_at},
        where=_TABLE.c.status == DocumentStatus.NEW.value,
    ).returning(_TABLE.c.document_id)


@lru_cache(maxsize=256)
def assigned_scope(coder_id: CoderId | None) -> ColumnElement[bool] | None:
    """SQL limiting ``documents`` to the coder's assignment, once the project has any (the
    PI sees every document)."""
    if coder_id is None:
        return None
    is_pi = exists().where(CoderRow.id == coder_id, CoderRow.role == CoderRole.PI.value)
    return is_pi | ~exists().where(CoderDocumentRow.assigned.is_(True)) | exists().where(
        CoderDocumentRow.document_id == DocumentRow.id,
        CoderDocumentRow.coder_id == coder_id,
        CoderDocumentRow.assigned.is_(True),
    )


class CoderDocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- status ----------------------------------------------------------------------------
    def status(self, document_id: DocumentId, coder_id: CoderId | None) -> DocumentStatus:
        if coder_id is None:
            found = self.session.scalar(_TEAM_STATUS, {"document_id": document_id})
        else:
            found = self.session.scalar(_OWN_STATUS, {"document_id": document_id, "coder_id": coder_id})
        if found is None:
            raise NotFoundError(f"document {document_id} does not exist")
        return DocumentStatus(found)

    def set_status(
        self, document_id: DocumentId, coder_id: CoderId, status: DocumentStatus
    ) -> DocumentStatus:
        """Set the coder's status of the document; returns the one it had."""
        previous = self.status(document_id, coder_id)
        self._upsert(document_id, coder_id, status=status.value)
        return previous

    def start_work(self, document_id: DocumentId, coder_id: CoderId) -> bool:
        """Move the coder's document from new to in progress (their first decision); True if
        it moved. One statement, as every decision runs it: a row that is not new is left as
        it is and returns nothing."""
        statement = _start_work_statement(dialect_name(self.session))
        values = {"document_id": document_id, "coder_id": coder_id, "now": _now()}
        return self.session.execute(statement, values).first() is not None

    def statuses(self, document_id: DocumentId) -> dict[str, DocumentStatus]:
        """coder name -> status, for every coder with the document assigned or started."""
        rows = self.session.execute(
            select(CoderRow.name, CoderDocumentRow.status)
            .join(CoderRow, CoderRow.id == CoderDocumentRow.coder_id)
            .where(CoderDocumentRow.document_id == document_id)
            .order_by(CoderRow.id)
        )
        return {name: DocumentStatus(status) for name, status in rows}

    # -- assignment ------------------------------------------------------------------------
    def assign(self, pairs: Iterable[tuple[DocumentId, CoderId]]) -> int:
        """Give documents to coders (keeping any status they have); returns rows written.

        One executemany, not a statement per pair: a study's first assignment writes
        thousands of rows."""
        now = _now()
        rows = [
            {"document_id": d, "coder_id": c, "assigned": True, "updated_at": now} for d, c in pairs
        ]
        if not rows:
            return 0
        statement = upsert(self.session, CoderDocumentRow)
        statement = statement.on_conflict_do_update(
            index_elements=["document_id", "coder_id"],
            set_={"assigned": statement.excluded.assigned, "updated_at": statement.excluded.updated_at},
        )
        self.session.connection().execute(statement, rows)
        return len(rows)

    def assignments(self) -> dict[DocumentId, set[CoderId]]:
        rows = self.session.execute(
            select(CoderDocumentRow.document_id, CoderDocumentRow.coder_id).where(
                CoderDocumentRow.assigned.is_(True)
            )
        )
        result: dict[DocumentId, set[CoderId]] = {}
        for document_id, coder_id in rows:
            result.setdefault(DocumentId(document_id), set()).add(CoderId(coder_id))
        return result

    def any_assigned(self) -> bool:
        return bool(self.session.scalar(select(exists().where(CoderDocumentRow.assigned.is_(True)))))

    def set_sample(self, document_ids: Sequence[DocumentId]) -> None:
        if document_ids:
            self.session.execute(
                update(DocumentRow).where(DocumentRow.id.in_(list(document_ids))).values(in_sample=True)
            )

    def sample(self) -> set[DocumentId]:
        return {DocumentId(i) for i in self.session.scalars(
            select(DocumentRow.id).where(DocumentRow.in_sample.is_(True))
        )}

    def progress(self) -> dict[str, dict[str, int]]:
        """coder -> {"assigned", "new", "in_progress", "done"} (documents)."""
        result = {
            name: {"assigned": 0, "new": 0, "in_progress": 0, "done": 0}
            for name in self.session.scalars(select(CoderRow.name).order_by(CoderRow.id))
        }
        rows = self.session.execute(
            select(
                CoderRow.name, CoderDocumentRow.status,
                func.count(), func.sum(case((CoderDocumentRow.assigned.is_(True), 1), else_=0)),
            )
            .join(CoderRow, CoderRow.id == CoderDocumentRow.coder_id)
            .group_by(CoderRow.name, CoderDocumentRow.status)
        )
        for name, status, count, assigned in rows:
            result[name][status] += count
            result[name]["assigned"] += int(assigned or 0)
        return result

    def change_token(self) -> tuple[int, str]:
        """A value that changes whenever any coder's status or assignment of any document does
        (rows, and the newest change): what an open window polls to see others' progress."""
        count, newest = self.session.execute(
            select(func.count(), func.max(CoderDocumentRow.updated_at))
        ).one()
        return int(count), str(newest or "")

    def _upsert(self, document_id: DocumentId, coder_id: CoderId, **values: object) -> None:
        values["updated_at"] = _now()
        statement = upsert(self.session, _TABLE).values(
            document_id=document_id, coder_id=coder_id, **values
        )
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["document_id", "coder_id"], set_=values
        ))

    def assigned_coders(self, document_id: DocumentId) -> list[str]:
        """The names of the coders the document is assigned to (for the study's JSONL)."""
        return list(self.session.scalars(
            select(CoderRow.name)
            .join(CoderDocumentRow, CoderDocumentRow.coder_id == CoderRow.id)
            .where(CoderDocumentRow.document_id == document_id, CoderDocumentRow.assigned.is_(True))
            .order_by(CoderRow.name)
        ))

    # -- agreement (issue 12) ----------------------------------------------------------------
    def statuses_by_document(self) -> dict[DocumentId, dict[str, DocumentStatus]]:
        """document -> coder name -> status, for every document any coder has a row for
        (one query: agreement reads the whole study at once)."""
        rows = self.session.execute(
            select(CoderDocumentRow.document_id, CoderRow.name, CoderDocumentRow.status)
            .join(CoderRow, CoderRow.id == CoderDocumentRow.coder_id)
            .order_by(CoderDocumentRow.document_id, CoderRow.id)
        )
        result: dict[DocumentId, dict[str, DocumentStatus]] = {}
        for document_id, name, status in rows:
            result.setdefault(DocumentId(document_id), {})[name] = DocumentStatus(status)
        return result
