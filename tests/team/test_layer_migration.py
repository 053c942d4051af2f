"""Migration 0007: a project coded before coders had layers keeps every decision, now in layers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.domain.model import DocumentStatus, SpanStatus
from annotator.services.browse import Browser
from annotator.services.project import Project
from annotator.storage.db import make_engine
from annotator.storage.repositories import CoderRepository
from annotator.storage.schema import upgrade

TEXT = "Prime Minister Shehbaz Sharif met Asim Munir in Islamabad."
NOW = "2026-11-30 10:00:00.000000"


def old_project(path: Path, coders: list[str]) -> None:
    """A file as the release before coder layers wrote it (schema 0006)."""
    path.touch()
    engine = make_engine(path)
    upgrade(engine, "0006")
    engine.dispose()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO project_info VALUES ('application', 'annotator')")
    db.execute("INSERT INTO labels (id, name, color, description, spacy_labels, position) "
               "VALUES (1, 'PERSON', '#000', '', '[]', 0)")
    for n, name in enumerate(coders, 1):
        db.execute("INSERT INTO coders (id, name, created_at) VALUES (?, ?, ?)", (n, name, NOW))
    for doc, status in ((1, "done"), (2, "in_progress"), (3, "new")):
        db.execute(
            "INSERT INTO documents (id, title, text, sha256, status, imported_at, word_count, metadata_json)"
            " VALUES (?, ?, ?, ?, ?, ?, 9, '{}')", (doc, f"d{doc}", TEXT + str(doc), f"h{doc}", status, NOW))
    spans = [  # (document, start, end, status, origin, coder id)
        (1, 15, 29, "accepted", "model", 1 if coders else None),
        (1, 34, 44, "rejected", "model", None),  # decided, but nobody was recorded
        (1, 48, 57, "suggested", "model", None),
        (2, 15, 29, "accepted", "manual", 2 if len(coders) > 1 else None),
    ]
    for doc, start, end, status, origin, coder in spans:
        db.execute(
            'INSERT INTO entity_spans (document_id, start, "end", text, label_id, origin, status, coder_id,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
            (doc, start, end, TEXT[start:end], origin, status, coder, NOW, NOW))
    db.execute('INSERT INTO claims (document_id, start, "end", text, coder_id, needs_review, review_note,'
               " created_at, updated_at) VALUES (1, 0, 10, ?, NULL, 0, '', ?, ?)", (TEXT[:10], NOW, NOW))
    db.commit()
    db.close()


def test_decisions_go_to_their_coder_and_unrecorded_ones_to_the_first(tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    old_project(path, ["ayesha", "bilal"])
    with Project.open(path) as project:
        assert project.backup is not None  # the file as it was is kept
        ayesha = {s.text: (s.status, s.annotator) for s in Browser(project, "ayesha").spans(1)}
        assert ayesha == {
            "Shehbaz Sharif": (SpanStatus.ACCEPTED, "ayesha"),
            "Asim Munir": (SpanStatus.REJECTED, "ayesha"),  # no coder recorded: the first coder's
            "Islamabad": (SpanStatus.SUGGESTED, None),  # still a shared suggestion
        }
        bilal = {s.text: (s.status, s.annotator) for s in Browser(project, "bilal").spans(2)}
        assert bilal == {"Shehbaz Sharif": (SpanStatus.ACCEPTED, "bilal")}
        statuses = [Browser(project, "ayesha").bundle(d).document.status for d in (1, 2, 3)]
        assert statuses == [DocumentStatus.DONE, DocumentStatus.IN_PROGRESS, DocumentStatus.NEW]
        # bilal worked in document 2: he carries its status too
        assert Browser(project, "bilal").bundle(2).document.status is DocumentStatus.IN_PROGRESS
        assert [c.annotator for c in Browser(project, "ayesha").bundle(1).claims] == ["ayesha"]
        assert project.setting("study_id")


def test_a_project_nobody_named_gets_one_coder_and_behaves_as_before(tmp_path: Path) -> None:
    path = tmp_path / "anonymous.annotator"
    old_project(path, [])
    with Project.open(path) as project:
        with project.read_session() as session:
            assert [c.name for c in CoderRepository(session).all()] == ["coder"]
        spans = Browser(project).spans(1)
        assert {s.annotator for s in spans if s.status is not SpanStatus.SUGGESTED} == {"coder"}
        (summary, *_rest) = Browser(project).page()
        assert summary.status is DocumentStatus.DONE
