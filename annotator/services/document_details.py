"""Correcting documents' details (title, outlet, author, date, section, URL) after import.

One change may cover many documents (the outlet of a whole batch), and is written in one unit
of work: every document gets it or none does. Each call returns what changed so the desktop
app can undo it and redo it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.domain.document_details import DETAIL_LABELS, DetailValue, DocumentDetails
from annotator.domain.errors import NotFoundError
from annotator.domain.ids import DocumentId
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository

#: Details whose earlier values are offered while typing (one outlet spelt one way).
SUGGESTED_FIELDS = ("source", "author", "section")


@dataclass(frozen=True)
class DetailsChange:
    document_id: DocumentId
    before: DocumentDetails
    after: DocumentDetails


class DocumentDetailsEditor:
    def __init__(self, project: Project) -> None:
        self.project = project

    def details(self, document_ids: Sequence[DocumentId]) -> dict[DocumentId, DocumentDetails]:
        with self.project.session() as session:
            return DocumentRepository(session).details(document_ids)

    def known_values(self) -> dict[str, list[str]]:
        """The outlets, authors and sections the project has, most used first."""
        with self.project.session() as session:
            documents = DocumentRepository(session)
            return {name: documents.distinct_values(name) for name in SUGGESTED_FIELDS}

    def update(
        self, document_ids: Sequence[DocumentId], changes: Mapping[str, DetailValue]
    ) -> list[DetailsChange]:
        """Give every document the changed details; returns the documents that did change."""
        unknown = set(changes) - set(DETAIL_LABELS)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        done: list[DetailsChange] = []
        with self.project.session() as session:
            documents = DocumentRepository(session)
            current = documents.details(document_ids)
            missing = [i for i in document_ids if i not in current]
            if missing:
                raise NotFoundError(f"document {missing[0]} does not exist any more")
            for document_id in document_ids:
                before = current[document_id]
                after = before.with_changes(changes)
                if after != before:
                    documents.set_details(document_id, after)
                    done.append(DetailsChange(document_id, before, after))
        return done

    def revert(self, changes: Sequence[DetailsChange]) -> None:
        self._write({c.document_id: c.before for c in changes})

    def reapply(self, changes: Sequence[DetailsChange]) -> None:
        self._write({c.document_id: c.after for c in changes})

    def _write(self, details: Mapping[DocumentId, DocumentDetails]) -> None:
        with self.project.session() as session:
            documents = DocumentRepository(session)
            for document_id, values in details.items():
                documents.set_details(document_id, values)
