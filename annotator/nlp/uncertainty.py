"""How unsure the entity recognizer is of a text (issue 15.4: active ordering).

spaCy's ``ner`` is a greedy transition-based tagger: for each token it scores every action
(begin, inside, last, unit of an entity of some label, or outside) and takes the best valid
one. Its C parse loop keeps the scores to itself, so a greedy recognizer is run here with
spaCy's own step model (``ner.model.predict(docs).predict(states)``, as ``beam_parse`` does)
and spaCy's own ``transition_states``; the entities are those of ``nlp.pipe``.

At each token the margin between the best valid action and the runner-up (Scheffer et al.
2001; Settles 2009, "margin sampling") gives a doubt ``2 / (1 + exp(margin))``: 1 for a tie,
0.5 at a margin of about 1.1, towards 0 as the choice gets clear. Only what the study codes
counts: given how the project maps spaCy's labels, every unmapped label is "no entity" as O
is, and labels mapped alike are one (GPE and LOC as LOCATION), so the runner-up is the best
valid action with another outcome for the study (DATE against O is no doubt in a study of
people and places; B-GPE against B-LOC neither). A document's uncertainty is
the mean doubt over its tokens (normalised by length, so that long articles do not come first
for being long: Shen et al. 2017). Deterministic for a model and a text.

Pipelines without one greedy ``ner`` (a beam recognizer, patterns only) give no score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

C = TypeVar("C")


@dataclass(frozen=True)
class Doubt:
    """Summed doubt over ``decisions`` token decisions (pieces of a text add up)."""

    total: float = 0.0
    decisions: int = 0

    def __add__(self, other: Doubt) -> Doubt:
        return Doubt(self.total + other.total, self.decisions + other.decisions)

    @property
    def score(self) -> float | None:
        """Mean doubt per token, in [0, 1]; None with no decision (an empty text)."""
        return self.total / self.decisions if self.decisions else None


def doubt_of_margin(margin: float) -> float:
    """1 when the two best actions tie, 0.5 at a margin of ~1.1, near 0 when clear."""
    return 2.0 / (1.0 + math.exp(min(margin, 50.0)))


def greedy_ner_name(nlp: Language) -> str | None:
    """The name of the pipeline's only greedy ``ner`` component, or None."""
    names = [
        name for name in nlp.pipe_names
        if nlp.get_pipe_meta(name).factory == "ner" and nlp.get_pipe(name).cfg.get("beam_width", 1) == 1
    ]
    return names[0] if len(names) == 1 else None


def pipe_with_doubt(
    nlp: Language, items: Iterable[tuple[str, C]], batch_size: int, labels: Mapping[str, str] | None = None
) -> Iterator[tuple[Doc, C, Doubt | None]]:
    """``nlp.pipe(items, as_tuples=True)`` with each doc's doubt (None: not measurable);
    ``labels``: spaCy label -> the study's label, for the labels the study uses (None: all)."""
    ner_name = greedy_ner_name(nlp)
    if ner_name is None:
        for doc, context in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
            yield doc, context, None
        return
    batch: list[tuple[str, C]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _batch_with_doubt(nlp, ner_name, batch, batch_size, labels)
            batch = []
    if batch:
        yield from _batch_with_doubt(nlp, ner_name, batch, batch_size, labels)


def _batch_with_doubt(
    nlp: Language,
    ner_name: str,
    batch: list[tuple[str, C]],
    batch_size: int,
    labels: Mapping[str, str] | None,
) -> Iterator[tuple[Doc, C, Doubt]]:
    docs = [nlp.make_doc(text) for text, _context in batch]
    doubts = [Doubt() for _ in docs]
    for name, component in nlp.pipeline:  # as Language.pipe runs them, in order
        if name == ner_name:
            doubts = _recognize(component, docs, labels)
        elif hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
    for doc, (_text, context), doubt in zip(docs, batch, doubts, strict=True):
        yield doc, context, doubt


def outcomes(names: list[str], labels: Mapping[str, str] | None) -> list[tuple[str, str] | None]:
    """Each action's outcome for the study: its move and study label (``("B", "LOCATION")``
    for B-GPE and B-LOC alike), or None ("no entity") for O and for labels the study does
    not use (``B-DATE``, ``U-CARDINAL``...)."""
    found: list[tuple[str, str] | None] = []
    for name in names:
        move, _sep, label = name.partition("-")
        mapped = label if labels is None else labels.get(label)
        found.append((move, mapped) if label and mapped else None)
    return found


def _recognize(ner: Any, docs: list[Doc], labels: Mapping[str, str] | None = None) -> list[Doubt]:
    """Set ``docs``' entities as ``ner`` does, measuring the doubt of each decision."""
    import numpy

    totals = [0.0] * len(docs)
    counts = [0] * len(docs)
    states = ner.moves.init_batch(docs)
    if any(len(doc) for doc in docs):
        moves = ner.moves
        names = [moves.get_class_name(i) for i in range(moves.n_moves)]
        outcome = outcomes(names, labels)
        step_model = ner.model.predict(docs)
        todo = [(i, s) for i, s in enumerate(states) if not s.is_final()]
        while todo:
            scores = step_model.predict([s for _i, s in todo])
            # Best first; among ties the lower class first, as spaCy's arg_max_if_valid.
            order = numpy.argsort(-scores, axis=1, kind="stable")
            for row, (i, state) in enumerate(todo):
                best: int | None = None
                runner_up: int | None = None
                for action in order[row]:
                    if (best is None or outcome[action] != outcome[best]) and moves.is_valid(
                        state, names[action]
                    ):
                        if best is None:
                            best = int(action)
                        else:
                            runner_up = int(action)
                            break
                counts[i] += 1
                if best is not None and runner_up is not None:  # else no choice: no doubt
                    totals[i] += doubt_of_margin(float(scores[row, best] - scores[row, runner_up]))
            ner.transition_states([s for _i, s in todo], numpy.ascontiguousarray(scores, dtype="f"))
            todo = [(i, s) for i, s in todo if not s.is_final()]
        step_model.clear_memory()
    ner.set_annotations(docs, states)
    return [Doubt(t, n) for t, n in zip(totals, counts, strict=True)]
