"""Counts over a project, for `annotator stats` and the status bar."""

from __future__ import annotations

from typing import Any

from annotator.domain.codebook import is_complete
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CodebookRepository,
    DocumentRepository,
    SpanRepository,
)


def project_stats(project: Project) -> dict[str, Any]:
    with project.session() as session:
        documents = DocumentRepository(session)
        spans = SpanRepository(session).counts()
        codebook = CodebookRepository(session).codebook()
        claims = list(ClaimRepository(session).iter_all())
        by_status = documents.counts_by_status()
        incomplete = sum(1 for c in claims if not is_complete(codebook, c))
        return {
            "documents": sum(by_status.values()),
            "documents_by_status": by_status,
            "entities": {
                "total": sum(spans["by_status"].values()),
                "by_label": dict(sorted(spans["by_label"].items())),
                "by_status": spans["by_status"],
            },
            "claims": len(claims),
            "claims_incomplete": incomplete,
        }
