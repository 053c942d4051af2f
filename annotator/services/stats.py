"""Counts over a project, for `annotator stats` and the status bar."""

from __future__ import annotations

from typing import Any

from annotator.services.coders import CoderService
from annotator.services.layers import blind_coding
from annotator.services.project import Project
from annotator.storage.repositories import CoderRepository, DocumentRepository, SpanRepository
from annotator.storage.repositories.coder_stats import CoderStatsQueries
from annotator.storage.repositories.reports import claim_completeness


def project_stats(project: Project, coder: str | None = None) -> dict[str, Any]:
    """The whole project's figures, with a line per coder under "coders".

    With ``coder``, the figures as that coder sees them: their documents with their own
    status, their entities and the suggestions they have still to decide, their claims.
    Under blind coding "coders" then holds that coder alone.
    """
    name = None if coder is None else CoderService(project).require(coder).name
    blind = name is not None and blind_coding(project)
    with project.read_session() as session:
        coder_id = None if name is None else CoderRepository(session).layer_id(name)
        documents = DocumentRepository(session, coder_id)
        queries = CoderStatsQueries(session)
        spans = SpanRepository(session).counts() if coder_id is None else (
            queries.layer_span_counts(coder_id)
        )
        # the SQL form of domain is_complete
        completeness = claim_completeness(session, coder_id=coder_id)
        by_status = documents.counts_by_status()
        incomplete = sum(n for (_doc, complete), n in completeness.items() if not complete)
        coders = queries.totals()
        if name is not None and blind:
            coders = {name: coders[name]}
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
            "coders": coders,
        }
