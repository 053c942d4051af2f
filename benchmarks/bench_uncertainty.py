"""What the uncertainty score (issue 15.4, active ordering) costs pre-annotation.

The same generated articles go through ``annotate_documents`` with and without ``doubt``
(same pipeline, same batch size), in alternating rounds so that a busy machine weighs on
both alike; the best round of each counts. Also checks that the entities are the same.
Last line: one JSON object, ``ratio`` = time with the score / time without (target: <= 1.1).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.nlp.annotate import annotate_documents
from annotator.nlp.models import find_default_model, load_ner_pipeline
from benchmarks.corpus import corpus

DOCS, WORDS, BATCH, ROUNDS = 100, 600, 64, 3


def main() -> None:
    docs, rounds = (8, 1) if "--quick" in sys.argv[1:] else (DOCS, ROUNDS)
    texts = list(enumerate(corpus(docs, WORDS)))
    words = sum(len(t.split()) for _i, t in texts)
    pipeline = load_ner_pipeline(find_default_model())
    label_map = {label: label for label in pipeline.spacy_labels}
    list(annotate_documents(pipeline, texts[:4], label_map, batch_size=BATCH, doubt=True))  # warm up
    best = {False: float("inf"), True: float("inf")}
    results = {}
    for _round in range(rounds):
        for doubt in (False, True):
            started = time.perf_counter()
            results[doubt] = list(
                annotate_documents(pipeline, texts, label_map, batch_size=BATCH, doubt=doubt)
            )
            best[doubt] = min(best[doubt], time.perf_counter() - started)
    same = [r.guesses for r in results[False]] == [r.guesses for r in results[True]]
    scores = sorted(r.uncertainty for r in results[True] if r.uncertainty is not None)
    figures = {
        "documents": docs, "words": words, "model": f"{pipeline.model_name} {pipeline.model_version}",
        "words_per_s_plain": round(words / best[False]), "words_per_s_scored": round(words / best[True]),
        "ratio": round(best[True] / best[False], 3), "same_entities": same,
        "scored": len(scores), "median_score": round(scores[len(scores) // 2], 4) if scores else None,
    }
    print(f"corpus: {docs} articles, {words:,} words; model {figures['model']}")
    print(f"without the score: {figures['words_per_s_plain']:>8,} words/s")
    print(f"with the score:    {figures['words_per_s_scored']:>8,} words/s  time ratio {figures['ratio']:.2f}"
          f" (target <= 1.1); same entities: {same}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
