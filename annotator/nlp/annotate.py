"""Turn texts into entity suggestions with project labels: plain values, never spaCy objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from annotator.domain.spans import trim_to_name
from annotator.nlp.models import NerPipeline

K = TypeVar("K")


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


def annotate_texts(
    pipeline: NerPipeline,
    texts: Iterable[tuple[K, str]],
    label_map: Mapping[str, str],
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[K, list[EntityGuess]]]:
    """Suggest entities for ``(key, text)`` pairs, yielding ``(key, guesses)`` in input order.

    Lazy: texts are read and results yielded as spaCy goes. With ``n_process > 1`` spaCy
    runs worker processes (the ``multiprocessing`` start method in force: ``fork`` on
    Linux, ``spawn`` on macOS and Windows); keys must then be picklable.
    """
    docs = pipeline.nlp.pipe(
        ((text, key) for key, text in texts),
        as_tuples=True,
        batch_size=batch_size,
        n_process=n_process,
    )
    for doc, key in docs:
        ents = ((e.start_char, e.end_char, e.text, e.label_) for e in doc.ents)
        yield key, map_entities(ents, label_map, pipeline.ruler_labels)
