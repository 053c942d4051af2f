"""Does coding the most uncertain documents first teach the model faster? (issue 15.4)

The corpus is Wikigold, cut into documents as in ``bench_learning.py``. Every third document is
kept aside as the test set; the others are the study's pool. The base model pre-annotates the
pool (which scores each document's uncertainty, as the app does), and three coders' orders
are compared: the document list "In import order", "Most uncertain first", and a random order
(seeded). For each order and each number of finished documents N, a project whose first N
documents in that order are done (their gold entities accepted) is trained with ``annotator
train`` (the service) and the trained model is scored exact-span on the test set. Printed: a
table of test F1 per order and N, with the base model's; last line JSON with ``docs``,
``f1_base``, ``f1_imported``, ``f1_uncertain``, ``f1_random``, ``minutes``.

``--quick`` (CI): a small pool, N = 6, a training of at most 15 seconds; it checks the
machinery, not the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain.model import NewDocument
from annotator.domain.ordering import DocumentOrder
from annotator.nlp.models import find_default_model, load_ner_pipeline
from annotator.nlp.scoring import score_pipeline
from annotator.nlp.training import TrainingText
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.services.training import Trainer, TrainingOptions
from annotator.storage.repositories import DocumentRepository
from benchmarks.bench_learning import CODEBOOK, add_done, documents

ORDERS = ("imported", "uncertain", "random")


def uncertain_first(folder: Path, pool: list[TrainingText]) -> list[int]:
    """Pool indices, most uncertain first, as the document list sorts them after pre-annotation."""
    with Project(folder / "scoring.annotator", create=True, codebook=CODEBOOK) as project:
        with project.session() as session:
            ids = [DocumentRepository(session).add(NewDocument(text=t.text, title=f"Pool {i + 1}"))
                   for i, t in enumerate(pool)]
        summary = run_to_end(Preannotator(project).run(ids))
        print(f"Pre-annotated {len(ids)} pool documents with {summary.model_name}", flush=True)
        with project.read_session() as session:
            ordered = DocumentRepository(session, None, DocumentOrder.UNCERTAIN).ids()
    index = {document_id: i for i, document_id in enumerate(ids)}
    return [index[d] for d in ordered]


def trained_f1(folder: Path, done: list[TrainingText], test: list[TrainingText], minutes: float) -> float:
    """A project with ``done`` finished (gold accepted), trained; F1 of its model on ``test``."""
    with Project(folder / "study.annotator", create=True, codebook=CODEBOOK) as project:
        with project.session() as session:
            for i, text in enumerate(done):
                add_done(session, text, f"Done {i + 1}")
        trainer = Trainer(project)
        report = trainer.run(TrainingOptions(seed=0, max_minutes=minutes, keep=True))
        labels = {**trainer.data().own_labels(), **CODEBOOK.spacy_label_map()}
    return score_pipeline(load_ner_pipeline(report.path), test, labels).overall.f1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small pool, seconds of training (CI)")
    parser.add_argument("--docs", type=int, nargs="+", default=[24, 48, 96], help="numbers of done documents")
    parser.add_argument("--max-minutes", type=float, default=4.0, help="per training")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = documents()
    test = [d for i, d in enumerate(corpus) if i % 3 == 0]
    pool = [d for i, d in enumerate(corpus) if i % 3 != 0]
    sizes, minutes = args.docs, args.max_minutes
    if args.quick:
        test, pool, sizes, minutes = test[:8], pool[:16], [6], 0.25
    with tempfile.TemporaryDirectory() as tmp:
        orders = {
            "imported": list(range(len(pool))),
            "uncertain": uncertain_first(Path(tmp), pool),
            "random": random.Random(0).sample(range(len(pool)), len(pool)),
        }
        base = score_pipeline(load_ner_pipeline(find_default_model()), test, CODEBOOK.spacy_label_map())
        f1: dict[str, list[float]] = {name: [] for name in ORDERS}
        for n in sizes:
            for name in ORDERS:
                folder = Path(tmp) / f"{name}-{n}"
                folder.mkdir()
                f1[name].append(trained_f1(folder, [pool[i] for i in orders[name][:n]], test, minutes))
                print(f"{n:4d} done, {name:9s} order: test F1 {f1[name][-1]:.3f}", flush=True)
    elapsed = (time.perf_counter() - started) / 60
    print(f"\nTest F1 on {len(test)} documents (base model {base.overall.f1:.3f}):")
    print("done  " + "".join(f"{name:>11s}" for name in ORDERS))
    for i, n in enumerate(sizes):
        print(f"{n:4d}  " + "".join(f"{f1[name][i]:11.3f}" for name in ORDERS))
    print(json.dumps({"docs": sizes, "f1_base": round(base.overall.f1, 4),
                      **{f"f1_{name}": [round(v, 4) for v in f1[name]] for name in ORDERS},
                      "minutes": round(elapsed, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
