"""Pre-annotation: spaCy's guesses stored as suggestions, never overriding a researcher's decision.

Rules of a run (issue #3):
- only documents not yet processed with the current configuration (model, version, label
  mapping, patterns) are processed, unless asked for all;
- a processed document's old pending suggestions are replaced; accepted, rejected, manual and
  imported spans are never touched, and nothing overlapping them is proposed;
- each document is committed on its own with a record of the run, so a killed run resumes;
- cancellation is checked between documents and stops feeding the pipeline;
- a document spaCy fails on (of any length: long texts are read in pieces) is reported in
  the summary and left unprocessed; every other document is processed;
- a document is reported processed only once committed; when the project cannot be written
  (the disk is full) the run stops there and says why in ``PreannotateSummary.stopped``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from threading import Event

from annotator.domain.errors import ModelError, ProjectWriteError
from annotator.domain.ids import DocumentId
from annotator.domain.layers import undecided_by_all
from annotator.domain.model import Codebook, Pattern
from annotator.nlp.annotate import EntityGuess, annotate_documents
from annotator.nlp.models import NerPipeline, find_default_model, load_ner_pipeline
from annotator.services.project import Project
from annotator.services.project_model import TrainedModel, finished_documents, model_in_use
from annotator.storage.repositories import DocumentRepository, ModelRunRepository
from annotator.storage.repositories.training_read import TrainingReader
from annotator.storage.suggestion_writer import SuggestionWriter, suggestion_writer

MODEL_SETTING = "spacy_model"
DOCS_PER_READ = 32


@dataclass(frozen=True)
class PreannotateProgress:
    """After each document: plain values, safe to pass to another thread."""

    done: int
    total: int
    document_id: int
    suggestions: int
    words: int
    error: str | None = None  # the document was skipped: why spaCy could not read it


@dataclass(frozen=True)
class SkippedDocument:
    """A document spaCy failed on; it stays unprocessed and is tried again next run."""

    document_id: int
    reason: str


@dataclass
class PreannotateSummary:
    model_name: str = ""
    model_version: str = ""
    documents: int = 0
    words: int = 0
    seconds: float = 0.0
    suggestions_by_label: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False
    failed: list[SkippedDocument] = field(default_factory=list)
    #: One line for each codebook pattern spaCy could not use, left out of this run.
    warnings: list[str] = field(default_factory=list)
    stopped: str = ""
    """Why the run stopped before the end ("study.annotator: the disk is full"), or ""."""
    not_processed: int = 0
    """Documents left for the next run because the run stopped."""
    fallback: str = ""
    """Why the project's trained model was not used (the base model suggested instead), or ""."""
    scored: int = 0
    """Documents that got an uncertainty score (for "Most uncertain first", issue 15.4)."""

    @property
    def suggestions(self) -> int:
        return sum(self.suggestions_by_label.values())

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


def config_hash(pipeline: NerPipeline, codebook: Codebook) -> str:
    config = {
        "model": pipeline.model_name,
        "version": pipeline.model_version,
        "labels": sorted(codebook.spacy_label_map().items()),
        "patterns": [[p.label, p.pattern] for p in codebook.patterns],
    }
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=list).encode()).hexdigest()


class Preannotator:
    """Loads the pipeline once, lazily; create and use it on one thread (never the GUI's)."""

    def __init__(
        self,
        project: Project,
        model: str | None = None,
        loader: Callable[[str, Sequence[Pattern]], NerPipeline] = load_ner_pipeline,
    ) -> None:
        self.project = project
        self.model = model
        self._loader = loader
        self._pipeline: NerPipeline | None = None
        self._codebook: Codebook | None = None
        #: The project's trained model (issue 15), unless ``model`` was named.
        self.trained: TrainedModel | None = None if model else model_in_use(project)
        #: Why the trained model is not used ("" when it is, or when there is none).
        self.fallback = ""

    def model_name(self) -> str:
        if self.trained is not None and not self.fallback:
            return str(self.trained.path)
        return self.base_model_name()

    def base_model_name(self) -> str:
        return self.model or self.project.setting(MODEL_SETTING) or find_default_model()

    def pipeline(self) -> NerPipeline:
        codebook = self.project.codebook()
        trained = None if self.model else model_in_use(self.project)
        if trained != self.trained:  # trained (or dropped) since: the app or `annotator train`
            self.trained, self.fallback, self._pipeline = trained, "", None
        if self._pipeline is None or codebook != self._codebook:
            try:
                self._pipeline = self._loader(self.model_name(), codebook.patterns)
            except ModelError as exc:
                if self.trained is None or self.fallback:
                    raise
                self.fallback = (f"The trained model could not be used ({exc}); suggesting with the "
                                 f"base model {self.base_model_name()} instead.")
                self._pipeline = self._loader(self.base_model_name(), codebook.patterns)
            self._codebook = codebook
        return self._pipeline

    def using_trained(self) -> bool:
        self.pipeline()
        return self.trained is not None and not self.fallback

    def label_map(self, codebook: Codebook) -> dict[str, str]:
        """spaCy label -> project label; a trained model also predicts labels of its own (a
        project label with no spaCy label, learnt under its own name)."""
        own = self.trained.labels if self.trained is not None and not self.fallback else {}
        return {**own, **codebook.spacy_label_map()}

    def pending(self, all_documents: bool = False) -> list[DocumentId]:
        pipeline = self.pipeline()
        assert self._codebook is not None
        with self.project.read_session() as session:
            if all_documents:
                ids = DocumentRepository(session).ids()
            else:
                ids = ModelRunRepository(session).unprocessed(config_hash(pipeline, self._codebook))
            if self.using_trained():
                # A trained model suggests for documents not yet decided; finished ones keep theirs.
                finished = finished_documents(TrainingReader(session).statuses())
                ids = [i for i in ids if i not in finished]
        return ids

    def run(
        self,
        document_ids: Sequence[int] | None = None,
        *,
        all_documents: bool = False,
        n_process: int = 1,
        batch_size: int = 64,
        cancel: Event | None = None,
    ) -> Generator[PreannotateProgress, None, PreannotateSummary]:
        pipeline = self.pipeline()
        codebook = self._codebook
        assert codebook is not None
        ids = (
            [DocumentId(i) for i in document_ids]
            if document_ids is not None
            else self.pending(all_documents)
        )
        digest = config_hash(pipeline, codebook)
        label_map = self.label_map(codebook)
        summary = PreannotateSummary(pipeline.model_name, pipeline.model_version)
        summary.warnings = list(getattr(pipeline, "pattern_warnings", ()))
        summary.fallback = self.fallback
        by_label: Counter[str] = Counter()
        started = time.perf_counter()
        texts: dict[DocumentId, str] = {}

        def feed() -> Iterator[tuple[DocumentId, str]]:
            for first in range(0, len(ids), DOCS_PER_READ):
                chunk = ids[first : first + DOCS_PER_READ]
                with self.project.read_session() as session:
                    loaded = DocumentRepository(session).texts(chunk)
                for document_id in chunk:
                    if (cancel is not None and cancel.is_set()) or summary.stopped:
                        return
                    text = loaded.get(document_id)
                    if text is None:
                        continue  # deleted meanwhile
                    texts[document_id] = text
                    yield document_id, text

        results = annotate_documents(
            pipeline, feed(), label_map, batch_size=batch_size, n_process=n_process, doubt=True
        )
        # closing(): a run stopped early (cancelled, an error, a full disk) shuts spaCy's workers
        # down at once.
        with closing(results), suggestion_writer(self.project.engine, self.project.path) as writer:
            for result in results:
                document_id = result.key
                text = texts.pop(document_id)
                if result.error is not None:
                    # Not recorded as processed: the next run tries it again. The others go on.
                    summary.failed.append(SkippedDocument(document_id, result.error))
                    stored: Counter[str] = Counter()
                else:
                    try:
                        stored = self._store(
                            writer, document_id, text, result.guesses, pipeline, digest, result.uncertainty
                        )
                    except ProjectWriteError as exc:
                        summary.stopped = f"{exc.path}: {exc.short}"
                        break
                    by_label.update(stored)
                    summary.documents += 1
                    summary.scored += result.uncertainty is not None
                    summary.words += len(text.split())
                yield PreannotateProgress(
                    done=summary.documents + len(summary.failed), total=len(ids), document_id=document_id,
                    suggestions=sum(stored.values()), words=summary.words, error=result.error,
                )
        summary.seconds = time.perf_counter() - started
        summary.suggestions_by_label = dict(sorted(by_label.items()))
        handled = summary.documents + len(summary.failed)
        summary.cancelled = handled < len(ids) and not summary.stopped
        summary.not_processed = len(ids) - handled if summary.stopped else 0
        return summary

    @staticmethod
    def _store(
        writer: SuggestionWriter,
        document_id: DocumentId,
        text: str,
        guesses: list[EntityGuess],
        pipeline: NerPipeline,
        digest: str,
        uncertainty: float | None = None,
    ) -> Counter[str]:
        """Replace the document's pending suggestions in one transaction, with its run record
        (and how unsure the model was)."""

        def keep(
            guess: tuple[int, int, str, str], decided: list[tuple[int, int, int | None]], coders: int
        ) -> bool:
            start, end, covered, _label = guess
            return (
                0 <= start < end <= len(text)
                and text[start:end] == covered
                and undecided_by_all([(start, end)], decided, coders)[0]
            )

        stored = writer.replace(
            document_id, [(g.start, g.end, g.text, g.label) for g in guesses], keep,
            pipeline.model_name, pipeline.model_version, digest, uncertainty,
        )
        return Counter(label for *_rest, label in stored)


def run_to_end(
    generator: Generator[PreannotateProgress, None, PreannotateSummary],
) -> PreannotateSummary:
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
