"""Training from corrections (issue 15.5), measured on public gold data.

The corpus is Wikigold (all 145 articles) in ``benchmarks/fixtures/wikigold`` (CC BY 4.0, see its
README): Wikipedia articles with gold PER/ORG/LOC/MISC entities, cut into documents of up to
six sentences. Every third document (in corpus order, so coders' documents and the rest share
articles, as in a study where the same names recur) is imported as *done* by a coder who
accepted exactly the gold entities; the rest are pre-annotated by the base model, then
`annotator train` (the service) fine-tunes it on the done documents and the rest are
pre-annotated again by the trained model. Printed: the exact-span scores of both models' stored
suggestions on the rest, per label and overall. Last line: JSON with ``train_docs``,
``f1_base``, ``f1_trained``, ``minutes``. Goal (issue 15): f1_trained >= 1.5 x f1_base in
under 10 minutes on the 2-core machine.

``--quick`` (CI): 15 documents and a training of at most 20 seconds; it checks the machinery,
not the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain.model import (
    Codebook,
    DocumentStatus,
    EntitySpan,
    Label,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.domain.training import comparison_table
from annotator.nlp.scoring import score_spans
from annotator.nlp.training import TrainingText
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.services.training import Trainer, TrainingOptions
from annotator.storage.repositories import (
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)

FIXTURE = Path(__file__).parent / "fixtures" / "wikigold" / "wikigold.txt"
SENTENCES_PER_DOCUMENT = 6
LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOCATION", "MISC": "MISC"}
CODEBOOK = Codebook(labels=(
    Label("PERSON", "#0072B2", "1", spacy_labels=("PERSON",), position=0),
    Label("ORG", "#E69F00", "2", spacy_labels=("ORG",), position=1),
    Label("LOCATION", "#009E73", "3", spacy_labels=("GPE", "LOC", "FAC"), position=2),
    Label("MISC", "#CC79A7", "4", spacy_labels=("NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"),
          position=3),
))
_ENTITY = re.compile(r"\{(PER|ORG|LOC|MISC) ([^{}]+)\}")


def sentence(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """One fixture line -> its text (tokens joined by spaces) and entities."""
    text, ents, last = "", [], 0
    for match in _ENTITY.finditer(line):
        text += line[last : match.start()]
        start = len(text)
        text += match.group(2)
        ents.append((start, len(text), LABELS[match.group(1)]))
        last = match.end()
    return text + line[last:], ents


def documents(path: Path = FIXTURE) -> list[TrainingText]:
    """The corpus as documents of up to six sentences (one per line), article by article."""
    articles: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            articles.append([])
        elif line.strip():
            articles[-1].append(line.strip())
    result = []
    for lines in articles:
        for first in range(0, len(lines), SENTENCES_PER_DOCUMENT):
            text, ents = "", []
            for line in lines[first : first + SENTENCES_PER_DOCUMENT]:
                piece, found = sentence(line)
                offset = len(text) + (1 if text else 0)
                text = f"{text}\n{piece}" if text else piece
                ents += [(s + offset, e + offset, label) for s, e, label in found]
            result.append(TrainingText(text, tuple(ents)))
    return result


def build(folder: Path, docs: list[TrainingText]) -> tuple[Project, list[int], list[int]]:
    project = Project(folder / "wikigold.annotator", create=True, codebook=CODEBOOK)
    done, rest = [], []
    with project.session() as session:
        for i, doc in enumerate(docs):
            title = f"Wikigold {i + 1}"
            if i % 3 == 0:
                done.append(add_done(session, doc, title))
            else:
                rest.append(DocumentRepository(session).add(NewDocument(text=doc.text, title=title)))
    return project, done, rest


def add_done(session: Any, doc: TrainingText, title: str, coder: str = "coder") -> int:
    """A document finished by ``coder``, who accepted exactly its gold entities."""
    coder_id = CoderRepository(session).id_for(coder)
    assert coder_id is not None
    document_id = DocumentRepository(session).add(NewDocument(text=doc.text, title=title))
    for start, end, label in doc.entities:
        SpanRepository(session).add(EntitySpan(
            document_id, start, end, doc.text[start:end], label, origin=SpanOrigin.MANUAL,
            status=SpanStatus.ACCEPTED, annotator=coder))
    CoderDocumentRepository(session).set_status(document_id, coder_id, DocumentStatus.DONE)
    return int(document_id)


def suggestions(project: Project, ids: list[int]) -> list[list[tuple[int, int, str]]]:
    with project.read_session() as session:
        spans = SpanRepository(session)
        return [[(s.start, s.end, s.label) for s in spans.for_document(i) if s.annotator is None]  # type: ignore[arg-type]
                for i in ids]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few documents, seconds of training (CI)")
    parser.add_argument("--max-minutes", type=float, default=8.0)
    args = parser.parse_args()
    started = time.perf_counter()
    docs = documents()
    if args.quick:
        docs, minutes = docs[:15], 0.33
    else:
        minutes = args.max_minutes
    with tempfile.TemporaryDirectory() as tmp:
        project, done, rest = build(Path(tmp), docs)
        gold = [docs[i] for i in range(len(docs)) if i % 3 != 0]
        with project:
            base = run_to_end(Preannotator(project).run(rest))
            f_base = score_spans(gold, suggestions(project, rest))
            print(f"{len(docs)} documents: {len(done)} done, {len(rest)} to pre-annotate; "
                  f"base model {base.model_name} {base.model_version}", flush=True)
            report = Trainer(project).run(
                TrainingOptions(seed=0, max_minutes=minutes, keep=True),
                on_step=lambda step: print(step.line(), flush=True),
            )
            trained = run_to_end(Preannotator(project).run(rest))
            assert trained.model_name.startswith("en_trained_"), trained.model_name
            f_trained = score_spans(gold, suggestions(project, rest))
    elapsed = (time.perf_counter() - started) / 60
    held_out = report.trained.overall.f1 if report.trained else 0.0
    print(f"\nTrained on {report.train_docs} documents (held out {report.eval_docs}); "
          f"{'better' if report.better else 'NOT better'} on its held-out share "
          f"(F1 {held_out:.3f} against {report.base.overall.f1:.3f})")
    print(f"Exact-span scores of the stored suggestions on the {len(rest)} other documents:")
    for line in comparison_table(f_base, f_trained, "base model", "trained model"):
        print(line)
    ratio = f_trained.overall.f1 / f_base.overall.f1 if f_base.overall.f1 else float("inf")
    print(f"Trained / base F1: {ratio:.2f} (goal 1.5); {elapsed:.1f} min (goal under 10)")
    print(json.dumps({"train_docs": len(done), "f1_base": round(f_base.overall.f1, 4),
                      "f1_trained": round(f_trained.overall.f1, 4), "minutes": round(elapsed, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
