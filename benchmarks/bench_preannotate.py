"""Pre-annotation speed: the full service against a bare ``nlp.pipe`` in the same run.

200 generated articles of ~600 words. The bare loop uses the same loaded components and batch
size and does nothing with the entities; the service maps labels, checks decisions, writes to
the project file and commits per document. Last line: one JSON object with the figures.
Targets (issue #3): ratio_1proc >= 0.85, speedup_2proc >= 1.3.

Then a team project (issue #11): the model runs again over a project where one coder has
decided three suggestions of every article (today's case), and again once four more coders
have done the same in their own layers; the second re-run's speed is printed as a ratio to
the first (target: about 1, "as fast as today").
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain.layers import is_shared
from annotator.domain.model import NewDocument, SpanStatus
from annotator.nlp.pieces import paragraphs
from annotator.services.corrections import Corrections
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from benchmarks.corpus import corpus

DOCS, WORDS, BATCH = 200, 600, 64


def make_project(folder: Path, texts: list[str], name: str) -> Project:
    project = Project.open_or_create(folder / f"{name}.annotator")
    with project.session() as session:
        docs = DocumentRepository(session)
        for i, text in enumerate(texts):
            docs.add(NewDocument(text=text, title=f"Article {i}"))
    return project


def decide_as_team(project: Project, coders: range, each: int) -> None:
    """Every coder accepts (or, one in three, rejects) ``each`` suggestions of every document."""
    from annotator.services.browse import Browser

    for k in coders:
        corrections = Corrections(project, f"coder{k + 1}")
        browser = Browser(project, f"coder{k + 1}")
        for summary in browser.page(limit=DOCS):
            shared = [s for s in browser.spans(summary.id) if is_shared(s)][:each]
            for i, span in enumerate(shared):
                assert span.id is not None and span.status is SpanStatus.SUGGESTED
                (corrections.reject if i % 3 == 2 else corrections.accept)(span.id)


def bare_pipe(annotator: Preannotator, texts: list[str], n_process: int) -> float:
    """The same pieces through nlp.pipe, reading each entity once: the floor for the service."""
    nlp = annotator.pipeline().nlp
    pieces = [part for text in texts for _, part in paragraphs(text)]
    started = time.perf_counter()
    found = 0
    for doc in nlp.pipe(pieces, batch_size=BATCH, n_process=n_process):
        found += sum(1 for ent in doc.ents if ent.end_char > ent.start_char and ent.label_)
    return time.perf_counter() - started


def main() -> None:
    global DOCS
    if "--quick" in sys.argv[1:]:  # a small run: CI checks that the script still works
        DOCS = 16
    texts = corpus(DOCS, WORDS)
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = make_project(folder, texts, "one")
        annotator = Preannotator(one)
        annotator.pipeline()  # load outside the timings
        bare_pipe(annotator, texts[:10], 1)  # warm up
        bare_1 = bare_pipe(annotator, texts, 1)
        summary_1 = run_to_end(annotator.run(batch_size=BATCH))
        two = make_project(folder, texts, "two")
        annotator_2 = Preannotator(two)
        annotator_2.pipeline()
        summary_2 = run_to_end(annotator_2.run(batch_size=BATCH, n_process=2))
        decide_as_team(two, coders=range(1), each=3)
        summary_solo = run_to_end(annotator_2.run(batch_size=BATCH, all_documents=True))
        decide_as_team(two, coders=range(1, 5), each=3)
        summary_team = run_to_end(annotator_2.run(batch_size=BATCH, all_documents=True))
        one.close()
        two.close()
    figures = {
        "documents": DOCS,
        "words": words,
        "model": f"{summary_1.model_name} {summary_1.model_version}",
        "suggestions": summary_1.suggestions,
        "bare_pipe_words_per_s": round(words / bare_1),
        "service_1proc_words_per_s": round(summary_1.words_per_second),
        "service_2proc_words_per_s": round(summary_2.words_per_second),
        "ratio_1proc": round(summary_1.words_per_second / (words / bare_1), 3),
        "speedup_2proc": round(summary_2.words_per_second / summary_1.words_per_second, 3),
        "rerun_1coder_words_per_s": round(summary_solo.words_per_second),
        "rerun_5coders_words_per_s": round(summary_team.words_per_second),
        "team5_ratio": round(summary_team.words_per_second / summary_solo.words_per_second, 3),
    }
    print(f"corpus: {DOCS} articles, {words:,} words; model {figures['model']}")
    print(f"bare nlp.pipe (1 process):   {figures['bare_pipe_words_per_s']:>8,} words/s")
    print(f"service (1 process):         {figures['service_1proc_words_per_s']:>8,} words/s"
          f"  ratio {figures['ratio_1proc']:.2f} (target >= 0.85)")
    print(f"service (2 processes):       {figures['service_2proc_words_per_s']:>8,} words/s"
          f"  speed-up {figures['speedup_2proc']:.2f}x (target >= 1.3)")
    print(f"re-run, 1 coder's decisions:  {figures['rerun_1coder_words_per_s']:>8,} words/s")
    print(f"re-run, 5 coders' layers:     {figures['rerun_5coders_words_per_s']:>8,} words/s"
          f"  ratio {figures['team5_ratio']:.2f} (target about 1)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
