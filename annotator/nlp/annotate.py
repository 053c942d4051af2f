"""Turn texts into entity suggestions with project labels: plain values, never spaCy objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from annotator.domain.errors import ModelError
from annotator.domain.spans import trim_to_name
from annotator.nlp.models import NerPipeline, describe_error
from annotator.nlp.pieces import PIECE_CHARS, pieces
from annotator.nlp.uncertainty import Doubt, pipe_with_doubt
from annotator.nlp.workers import run_in_workers

K = TypeVar("K")

#: In one process, documents are read in groups of this many spaCy batches (a failure in a
#: group is then narrowed down document by document).
GROUP_BATCHES = 4


@dataclass(frozen=True)
class EntityGuess:
    """An entity the pipeline suggests. ``start``/``end`` are code-point offsets into the
    text (``text[start:end] == self.text``); ``label`` is a project label."""

    start: int
    end: int
    text: str
    label: str


def map_entities(
    ents: Iterable[tuple[int, int, str, str]],
    label_map: Mapping[str, str],
    ruler_labels: set[str] | frozenset[str],
) -> list[EntityGuess]:
    """``(start, end, text, spacy_or_ruler_label)`` -> suggestions with project labels.

    A label the codebook's patterns produce is a project label already and is kept as it
    is; any other label is mapped with ``label_map`` (spaCy label -> project label, see
    ``Codebook.spacy_label_map``) and dropped if it has no mapping. The edges follow the
    rule manual entities follow (``trim_to_name``: no possessive, white space or stray
    punctuation; offsets follow); entities left empty are dropped.
    """
    guesses: list[EntityGuess] = []
    for start, _end, text, label in ents:
        project_label = label if label in ruler_labels else label_map.get(label)
        if project_label is None:
            continue
        bounds = trim_to_name(text, 0, len(text))
        if bounds is None:
            continue
        lead, trail = bounds
        guesses.append(EntityGuess(start + lead, start + trail, text[lead:trail], project_label))
    return guesses


@dataclass(frozen=True)
class Annotated(Generic[K]):
    """The outcome for one document: its suggestions, or why spaCy could not read it
    (``error`` is then a short reason and ``guesses`` is empty)."""

    key: K
    guesses: list[EntityGuess]
    error: str | None = None
    #: How unsure the recognizer was, in [0, 1] (``annotator.nlp.uncertainty``), when asked
    #: for with ``doubt=True`` and measurable.
    uncertainty: float | None = None


def annotate_documents(
    pipeline: NerPipeline,
    texts: Iterable[tuple[K, str]],
    label_map: Mapping[str, str],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    doubt: bool = False,
) -> Iterator[Annotated[K]]:
    """Suggest entities for ``(key, text)`` documents, yielding one :class:`Annotated` per
    document in input order, with offsets into the whole text.

    Each text is read in pieces (:func:`annotator.nlp.pieces.pieces`), so a text of any
    length works. A document spaCy fails on is yielded with its ``error``; the others are
    processed all the same. Lazy: texts are read and results yielded as spaCy goes.

    With ``n_process > 1`` documents are shared out among worker processes, each with the
    pipeline (inherited with ``fork``, pickled with ``spawn``), which die with this process
    (see :mod:`annotator.nlp.workers`); keys must then be picklable.

    With ``doubt`` each result also says how unsure the recognizer was (same entities).
    """
    reader = Reader(pipeline, dict(label_map), batch_size, doubt)
    if n_process <= 1:
        # Groups of several batches: spaCy's last, partial batch of each group costs little.
        for group in _groups(texts, batch_size * GROUP_BATCHES):
            yield from reader(group)
    else:
        yield from run_in_workers(reader, _groups(texts, batch_size), n_process, _lost)


def annotate_texts(
    pipeline: NerPipeline,
    texts: Iterable[tuple[K, str]],
    label_map: Mapping[str, str],
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[K, list[EntityGuess]]]:
    """:func:`annotate_documents` as ``(key, guesses)`` pairs; a document spaCy fails on
    raises :class:`~annotator.domain.errors.ModelError` (callers that must go on use
    :func:`annotate_documents`)."""
    for result in annotate_documents(pipeline, texts, label_map, batch_size=batch_size, n_process=n_process):
        if result.error is not None:
            raise ModelError(f"spaCy could not process document {result.key!r}: {result.error}")
        yield result.key, result.guesses


def _groups(texts: Iterable[tuple[K, str]], batch_size: int) -> Iterator[list[tuple[K, str]]]:
    """Documents gathered until they make about ``batch_size`` paragraphs (one spaCy batch)."""
    group: list[tuple[K, str]] = []
    weight = 0
    for key, text in texts:
        group.append((key, text))
        weight += text.count("\n\n") + 1
        if weight >= batch_size:
            yield group
            group, weight = [], 0
    if group:
        yield group


def _lost(item: tuple[K, str], reason: str) -> Annotated[K]:
    return Annotated(item[0], [], reason)


class Reader(Generic[K]):
    """Reads a group of documents with one pipeline: ``reader(group)`` -> one
    :class:`Annotated` per document. Picklable (it is sent to ``spawn`` workers)."""

    def __init__(
        self, pipeline: NerPipeline, label_map: dict[str, str], batch_size: int, doubt: bool = False
    ) -> None:
        self.pipeline = pipeline
        self.label_map = label_map
        self.batch_size = batch_size
        self.doubt = doubt

    def __call__(self, group: list[tuple[K, str]]) -> list[Annotated[K]]:
        try:
            return self._read(group)
        except Exception as exc:  # anything spaCy raises: find the document that caused it
            if len(group) == 1:
                return [Annotated(group[0][0], [], describe_error(exc))]
        results: list[Annotated[K]] = []
        for document in group:
            try:
                results += self._read([document])
            except Exception as exc:  # this document alone: report it, read the others
                results.append(Annotated(document[0], [], describe_error(exc)))
        return results

    def _read(self, group: list[tuple[K, str]]) -> list[Annotated[K]]:
        nlp = self.pipeline.nlp
        limit = min(PIECE_CHARS, nlp.max_length)
        found: list[list[EntityGuess]] = [[] for _ in group]
        doubts: list[Doubt | None] = [Doubt() for _ in group]
        parts = (
            (piece, (index, offset))
            for index, (_key, text) in enumerate(group)
            for offset, piece in pieces(text, limit)
        )
        ruler_labels = self.pipeline.ruler_labels
        if self.doubt:
            docs = pipe_with_doubt(nlp, parts, self.batch_size, self.label_map)
        else:
            docs = ((doc, context, None) for doc, context in nlp.pipe(parts, as_tuples=True,
                                                                       batch_size=self.batch_size))
        for doc, (index, offset), doubt in docs:
            ents = ((e.start_char + offset, e.end_char + offset, e.text, e.label_) for e in doc.ents)
            found[index] += map_entities(ents, self.label_map, ruler_labels)
            so_far = doubts[index]
            doubts[index] = None if doubt is None or so_far is None else so_far + doubt
        return [
            Annotated(key, guesses, uncertainty=None if doubt is None else doubt.score)
            for (key, _text), guesses, doubt in zip(group, found, doubts, strict=True)
        ]
