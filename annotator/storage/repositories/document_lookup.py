"""Finding a document by its text: the import of a study file merges into one already there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.ids import DocumentId
from annotator.storage.orm import DocumentRow


def document_with_text(session: Session, sha256: str) -> DocumentId | None:
    """The document whose text has this SHA-256 (texts are unique in a project), or None."""
    found = session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))
    return None if found is None else DocumentId(found)
