"""The Excel/CSV export's "Codings" sheet: the code layer (issue 13), when a project has one.

One row per coding (QDA codings overlap, so several rows may share a range): its document,
range, text, code (and the code it sits under), coder and memo. With ``--coder`` only that
coder's codings. Projects without codings get no sheet, so their workbooks are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy.orm import Session

from annotator.io.export import Column, ColumnType, Sheet
from annotator.services.export_sheets import ExportOptions
from annotator.storage.repositories import DocumentRepository
from annotator.storage.repositories.codings import CodingRepository

TXT, INT = ColumnType.TEXT, ColumnType.INTEGER
COLUMNS = [
    Column("document_id", INT), Column("document_title", TXT, 30), Column("coding_id", INT),
    Column("start", INT), Column("end", INT), Column("text", TXT, 40), Column("code", TXT, 18),
    Column("parent_code", TXT, 18), Column("coder", TXT, 14), Column("memo", TXT, 50),
]


def codings_sheets(session: Session, options: ExportOptions, check: Callable[[], None]) -> list[Sheet]:
    repository = CodingRepository(session)
    if repository.count() == 0:
        return []
    return [Sheet("Codings", COLUMNS, _rows(session, repository, options.coder, check))]


def _rows(session: Session, repository: CodingRepository, coder: str | None,
          check: Callable[[], None]) -> Iterator[list[object]]:
    parents = {code.name: code.parent for code in repository.codes()}
    documents = DocumentRepository(session)
    titles: dict[int, str] = {}
    for coding in repository.all():
        check()
        if coder is not None and coding.coder != coder:
            continue
        if coding.document_id not in titles:
            titles[coding.document_id] = documents.get(coding.document_id).title
        yield [coding.document_id, titles[coding.document_id], coding.id, coding.start, coding.end,
               coding.text, coding.code, parents.get(coding.code, ""), coding.coder or "", coding.memo]
