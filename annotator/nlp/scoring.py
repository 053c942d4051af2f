"""Exact-span precision, recall and F1 of a pipeline's suggestions, scored by spaCy's ``Scorer``.

The suggestions scored are the ones pre-annotation would store: the pipeline's entities with
the project's labels (mapped, trimmed; :func:`annotator.nlp.annotate.annotate_texts`). Both
sides become ``Doc``s with project labels and ``spacy.scorer.Scorer.score_spans`` counts them:
an entity counts only with the very same start, end and label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from annotator.domain.training import Figures, Score
from annotator.nlp.annotate import annotate_texts
from annotator.nlp.models import NerPipeline
from annotator.nlp.training import TrainingText, entity_doc


def score_pipeline(
    pipeline: NerPipeline, texts: Sequence[TrainingText], label_map: Mapping[str, str]
) -> Figures:
    guesses = dict(annotate_texts(pipeline, enumerate(t.text for t in texts), label_map))
    predicted = [[(g.start, g.end, g.label) for g in guesses.get(i, [])] for i in range(len(texts))]
    return score_spans(texts, predicted)


def score_spans(gold: Sequence[TrainingText], predicted: Sequence[Sequence[tuple[int, int, str]]]) -> Figures:
    """Figures of ``predicted`` entities (one list per text) against the texts' own."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.training import Example

    nlp = spacy.blank("en")
    examples = []
    counts: Counter[str] = Counter()
    for item, found in zip(gold, predicted, strict=True):
        reference = entity_doc(nlp, item.text, item.entities)
        counts.update(e.label_ for e in reference.ents)
        examples.append(Example(entity_doc(nlp, item.text, found), reference))
    scores = Scorer.score_spans(examples, "ents")
    per_type = scores.get("ents_per_type") or {}
    labels = {
        label: Score(float(v["p"]), float(v["r"]), float(v["f"]), counts.get(label, 0))
        for label, v in sorted(per_type.items())
    }
    overall = Score(float(scores.get("ents_p") or 0.0), float(scores.get("ents_r") or 0.0),
                    float(scores.get("ents_f") or 0.0), sum(counts.values()))
    return Figures(overall, labels)
