"""Counts over a project, for `annotator stats` and the status bar."""

from __future__ import annotations

from typing import Any

from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository
from annotator.storage.repositories.reports import claim_completeness


def project_stats(project: Project) -> dict[str, Any]:
    with project.read_session() as session:
        documents = DocumentRepository(session)
        spans = SpanRepository(session).counts()
        completeness = claim_completeness(session)  # the SQL form of domain is_complete
        by_status = documents.counts_by_status()
        incomplete = sum(n for (_doc, complete), n in completeness.items() if not complete)
        return {
            "documents": sum(by_status.values()),
            "documents_by_status": by_status,
            "entities": {
                "total": sum(spans["by_status"].values()),
                "by_label": dict(sorted(spans["by_label"].items())),
                "by_status": spans["by_status"],
            },
            "claims": sum(completeness.values()),
            "claims_incomplete": incomplete,
        }
