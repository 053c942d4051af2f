"""Agreement as a job for the app's worker thread: the report, and the titles and texts of the
documents compared, so the Reliability view can list each disagreement's words without
reading the project on the GUI thread."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from threading import Event

from annotator.domain.agreement.report import AgreementReport
from annotator.domain.ids import DocumentId
from annotator.services.agreement import compute_agreement
from annotator.services.agreement.reading import FINAL_LAYER
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository


@dataclass(frozen=True)
class ComparedDocument:
    title: str
    text: str


@dataclass(frozen=True)
class AgreementResult:
    """What crosses back to the GUI thread: plain values only."""

    report: AgreementReport
    documents: Mapping[DocumentId, ComparedDocument]


def agreement_steps(
    project: Project, coders: Sequence[str] | None, include_unfinished: bool, cancel: Event,
) -> Generator[str, None, AgreementResult | None]:
    """Yield one progress text, compute (seconds: the bootstrap), return the result; None when
    cancelled before it was done."""
    yield "Computing agreement"
    report = compute_agreement(project, coders, include_unfinished)
    if cancel.is_set():
        return None
    with project.read_session() as session:
        documents = DocumentRepository(session)
        texts = documents.texts(list(report.documents))
        details = documents.details(list(report.documents))
    return AgreementResult(report, {
        doc: ComparedDocument(details[doc].title if doc in details else "", text)
        for doc, text in texts.items()
    })


def coders_with_work(progress: Sequence[tuple[str, bool, int]]) -> list[str]:
    """The coders agreement is about by default: (name, is_pi, documents started or done)
    -> the coders, not the PI nor the final layer, who have started at least one document."""
    return [name for name, is_pi, worked in progress if not is_pi and worked and name != FINAL_LAYER]
