"""Proposing a claim's claimant from the entities of its sentence (runs on a worker thread)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.domain.ids import DocumentId, SpanId
from annotator.domain.model import FieldKind, SpanStatus
from annotator.domain.spans import overlaps, sentence_bounds
from annotator.nlp.claimant import claimant_candidates
from annotator.nlp.models import find_default_model, load_parser_pipeline
from annotator.services.preannotate import MODEL_SETTING
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository

CLAIMANT_FIELD = "claimant"


class ClaimantProposer:
    """Loads the parser once, lazily, on the thread that first asks (never the GUI's)."""

    def __init__(
        self,
        project: Project,
        model: str | None = None,
        loader: Callable[[str], Any] = load_parser_pipeline,
        layer: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.project = project
        self._layer = layer  # whose entities may be proposed: the coder's view
        self.model = model
        self._loader = loader
        self._nlp: Any = None

    def _parser(self) -> Any:
        if self._nlp is None:
            name = self.model or self.project.setting(MODEL_SETTING) or find_default_model()
            self._nlp = self._loader(name)
        return self._nlp

    def propose(self, document_id: DocumentId, start: int, end: int) -> list[SpanId]:
        """Entity ids of the claim's sentence(s), best claimant first (allowed labels only)."""
        codebook = self.project.codebook()
        field = codebook.field(CLAIMANT_FIELD)
        allowed = set(field.entity_labels) if field and field.kind is FieldKind.ENTITY else set()
        with self.project.read_session() as session:
            text = DocumentRepository(session).get(document_id).text
            spans = SpanRepository(session).for_document(document_id, self._layer())
        lo = sentence_bounds(text, start)[0]
        hi = sentence_bounds(text, max(start, end - 1))[1]
        candidates = [
            s for s in spans
            if s.status is not SpanStatus.REJECTED
            and overlaps(s.start, s.end, min(lo, start), max(hi, end))
            and (not allowed or s.label in allowed)
        ]
        if not candidates:
            return []
        preferred = [lb for lb in ("PERSON", "ORGANISATION", "ORG", "GROUP") if not allowed or lb in allowed]
        order = claimant_candidates(
            self._parser(), text, start, end,
            [(s.start, s.end, s.label) for s in candidates], preferred,
        )
        return [candidates[i].id for i in order if candidates[i].id is not None]  # type: ignore[misc]
