"""Reading the code layer for the app (issue 13): the open document's codings."""

from __future__ import annotations

from annotator.domain.codings import Coding
from annotator.services.project import Project
from annotator.storage.repositories.codings import CodingRepository


class CodingList:
    """The project's QDA codings, read per document (they are imported, never edited here)."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def for_document(self, document_id: int) -> list[Coding]:
        with self.project.read_session() as session:
            return CodingRepository(session).for_document(document_id)

    def count(self) -> int:
        with self.project.read_session() as session:
            return CodingRepository(session).count()
