"""Pre-annotation rules: mapping, patterns, re-run safety, resumption, cancellation."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from threading import Event

import pytest

from annotator.domain.ids import DocumentId
from annotator.domain.model import EntitySpan, NewDocument, Pattern, SpanOrigin, SpanStatus
from annotator.nlp.pieces import paragraphs
from annotator.services.corrections import Corrections
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.storage.repositories import CodebookRepository, DocumentRepository, SpanRepository
from tests.services.fake_pipeline import fake_loader

TEXT = (
    "Talks in Islamabad\n\n"
    "Shehbaz Sharif met Asim Munir in Islamabad. Troops went to Gilgit Baltistan for three days."
)


def add_docs(project: Project, n: int) -> list[DocumentId]:
    with project.session() as session:
        docs = DocumentRepository(session)
        return [docs.add(NewDocument(text=f"{TEXT}\n\nItem {i}.", title=f"Doc {i}")) for i in range(n)]


def state(project: Project, doc: DocumentId) -> set[tuple[str, str, str, str]]:
    with project.session() as session:
        return {
            (s.text, s.label, s.origin.value, s.status.value)
            for s in SpanRepository(session).for_document(doc)
        }


def test_paragraphs_keep_offsets() -> None:
    parts = list(paragraphs("Head\n\nBody one.\n \nBody two."))
    assert [p for _, p in parts] == ["Head", "Body one.", "Body two."]
    assert all("Head\n\nBody one.\n \nBody two."[o : o + len(p)] == p for o, p in parts)


def test_mapping_stores_project_labels_and_drops_unmapped(project: Project) -> None:
    (doc,) = add_docs(project, 1)
    summary = run_to_end(Preannotator(project, loader=fake_loader).run())
    assert state(project, doc) == {
        ("Shehbaz Sharif", "PERSON", "model", "suggested"),
        ("Asim Munir", "PERSON", "model", "suggested"),
        ("Islamabad", "LOCATION", "model", "suggested"),
        ("Gilgit Baltistan", "ORG", "model", "suggested"),
        ("Army", "ORG", "model", "suggested"),
    } - {("Army", "ORG", "model", "suggested")}  # "Army" is not in the text
    assert summary.suggestions_by_label == {"LOCATION": 2, "ORG": 1, "PERSON": 2}
    assert summary.documents == 1 and summary.model_name == "fake_model"
    with project.session() as session:
        span = SpanRepository(session).for_document(doc)[0]
    assert (span.model_name, span.model_version) == ("fake_model", "1.0")


def test_project_patterns_win_over_the_model(project: Project) -> None:
    with project.session() as session:
        CodebookRepository(session).add_pattern(Pattern("LOCATION", "Gilgit Baltistan"))
    (doc,) = add_docs(project, 1)
    run_to_end(Preannotator(project, loader=fake_loader).run())
    assert ("Gilgit Baltistan", "LOCATION", "model", "suggested") in state(project, doc)


def test_changing_the_mapping_makes_documents_pending_and_remaps(project: Project) -> None:
    (doc,) = add_docs(project, 1)
    annotator = Preannotator(project, loader=fake_loader)
    run_to_end(annotator.run())
    assert annotator.pending() == []
    with project.session() as session:
        repo = CodebookRepository(session)
        labels = tuple(
            replace(lb, spacy_labels=(*lb.spacy_labels, "CARDINAL")) if lb.name == "ORG" else lb
            for lb in repo.labels()
        )
        repo.save_labels(labels)
    assert annotator.pending() == [doc]
    run_to_end(annotator.run())
    assert ("three", "ORG", "model", "suggested") in state(project, doc)


def test_reruns_never_touch_decisions(project: Project) -> None:
    (doc,) = add_docs(project, 1)
    annotator = Preannotator(project, loader=fake_loader)
    run_to_end(annotator.run())
    first = state(project, doc)
    run_to_end(annotator.run(all_documents=True))
    assert state(project, doc) == first  # twice in a row: the same spans

    corrections = Corrections(project, coder="coder")
    with project.session() as session:
        by_text = {s.text: s for s in SpanRepository(session).for_document(doc)}
        SpanRepository(session).add(
            EntitySpan(document_id=doc, start=TEXT.index("Troops"), end=TEXT.index("Troops") + 6,
                       text="Troops", label="ORG", origin=SpanOrigin.IMPORTED, status=SpanStatus.ACCEPTED)
        )
    corrections.accept(by_text["Shehbaz Sharif"].id)  # type: ignore[arg-type]
    corrections.reject(by_text["Asim Munir"].id)  # type: ignore[arg-type]
    corrections.relabel(by_text["Gilgit Baltistan"].id, "LOCATION")  # type: ignore[arg-type]
    second_islamabad = TEXT.index("Islamabad", TEXT.index("Munir"))
    corrections.create(doc, second_islamabad - 3, second_islamabad + 9, "ORG")  # "in Islamabad"
    decided = {s for s in state(project, doc) if s[3] != "suggested"}

    run_to_end(annotator.run(all_documents=True))
    after = state(project, doc)
    assert decided <= after  # accepted, rejected, manual and imported spans unchanged
    texts = [s[0] for s in after]
    assert texts.count("Asim Munir") == 1  # the rejected one is not proposed again
    # the body's "Islamabad" gave way to the manual "in Islamabad" and stays rejected;
    # only the headline's is proposed again
    assert texts.count("Islamabad") == 2
    assert ("Islamabad", "LOCATION", "model", "suggested") in after
    assert ("Islamabad", "LOCATION", "model", "rejected") in after


def test_an_interrupted_run_resumes_with_the_rest(project: Project) -> None:
    docs = add_docs(project, 6)
    annotator = Preannotator(project, loader=fake_loader)
    run = annotator.run(batch_size=1)
    for _ in range(2):
        next(run)
    run.close()  # the run stops here, like a crash between documents
    assert len(annotator.pending()) == 4
    summary = run_to_end(annotator.run())
    assert summary.documents == 4
    assert all(len(state(project, d)) == 4 for d in docs)


def test_cancel_stops_between_documents(project: Project) -> None:
    add_docs(project, 100)
    cancel = Event()
    run = Preannotator(project, loader=fake_loader).run(batch_size=4, cancel=cancel)
    next(run)
    cancel.set()
    while True:
        try:
            next(run)
        except StopIteration as stop:
            summary = stop.value
            break
    assert summary.cancelled
    assert 1 <= summary.documents < 100


KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from annotator.services.preannotate import Preannotator
    from annotator.services.project import Project
    from tests.services.fake_pipeline import fake_loader
    project = Project.open(sys.argv[1])
    for step in Preannotator(project, loader=fake_loader).run(batch_size=1):
        if step.done == 3:
            os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_run_killed_with_sigkill_leaves_finished_documents_complete(
    project: Project, project_path: Path
) -> None:
    docs = add_docs(project, 8)
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(project_path)],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, timeout=120,
    )
    assert result.returncode == -9, result.stderr.decode()
    annotator = Preannotator(project, loader=fake_loader)
    pending = annotator.pending()
    finished = [d for d in docs if d not in pending]
    assert len(finished) >= 3
    assert all(len(state(project, d)) == 4 for d in finished)
    assert all(state(project, d) == set() for d in pending)
    run_to_end(annotator.run())
    assert annotator.pending() == []
