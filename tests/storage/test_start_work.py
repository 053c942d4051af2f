"""A coder's first decision on a document moves it from new to in progress, in one statement."""

from __future__ import annotations

from sqlalchemy import event

from annotator.domain.model import DocumentStatus, NewDocument
from annotator.storage.repositories import CoderDocumentRepository, CoderRepository, DocumentRepository


def _setup(project):  # type: ignore[no-untyped-def]
    with project.session() as session:
        coder = CoderRepository(session).id_for("ann")
        other = CoderRepository(session).id_for("ben")
        document = DocumentRepository(session).add(NewDocument(text="Angela Merkel 😀 spoke."))
    return coder, other, document


def _status(project, document, coder) -> DocumentStatus:  # type: ignore[no-untyped-def]
    with project.read_session() as session:
        return CoderDocumentRepository(session).status(document, coder)


def test_the_first_decision_starts_the_document_and_later_ones_do_not(project) -> None:
    coder, other, document = _setup(project)
    statements: list[str] = []
    event.listen(project.engine, "before_cursor_execute",
                 lambda _c, _cu, statement, *_a: statements.append(statement))
    with project.session() as session:
        assert CoderDocumentRepository(session).start_work(document, coder) is True
    assert len(statements) == 1
    with project.session() as session:
        assert CoderDocumentRepository(session).start_work(document, coder) is False
    assert _status(project, document, coder) is DocumentStatus.IN_PROGRESS
    assert _status(project, document, other) is DocumentStatus.NEW  # each coder's own


def test_an_assigned_document_starts_and_its_assignment_stays(project) -> None:
    coder, _other, document = _setup(project)
    with project.session() as session:
        CoderDocumentRepository(session).assign([(document, coder)])
    with project.session() as session:
        assert CoderDocumentRepository(session).start_work(document, coder) is True
    with project.read_session() as session:
        repo = CoderDocumentRepository(session)
        assert repo.status(document, coder) is DocumentStatus.IN_PROGRESS
        assert repo.assigned_coders(document) == ["ann"]


def test_a_done_document_is_not_moved_back(project) -> None:
    coder, _other, document = _setup(project)
    with project.session() as session:
        CoderDocumentRepository(session).set_status(document, coder, DocumentStatus.DONE)
    with project.session() as session:
        assert CoderDocumentRepository(session).start_work(document, coder) is False
    assert _status(project, document, coder) is DocumentStatus.DONE
