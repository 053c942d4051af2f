"""A coder's id is looked up once per transaction, and never outlives a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from annotator.domain.errors import CodebookError
from annotator.domain.model import EntitySpan, NewDocument, SpanOrigin, SpanStatus
from annotator.storage.orm import CoderRow, EntitySpanRow
from annotator.storage.repositories import CoderRepository, DocumentRepository, SpanRepository


def _coders(session) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count(CoderRow.id))))


def test_a_coder_created_in_a_rolled_back_savepoint_is_created_again(project) -> None:
    with project.session() as session:
        repo = CoderRepository(session)
        before = _coders(session)
        savepoint = session.begin_nested()
        lost = repo.id_for("dana")
        savepoint.rollback()
        assert repo.find("dana") is None  # not the id of the row the savepoint took with it
        kept = repo.id_for("dana")
        assert _coders(session) == before + 1
        assert session.get(CoderRow, kept).name == "dana"
    assert lost is not None


def test_the_id_is_read_once_per_transaction(project) -> None:
    statements: list[str] = []
    from sqlalchemy import event

    event.listen(project.engine, "before_cursor_execute",
                 lambda _c, _cu, statement, *_a: statements.append(statement))
    with project.session() as session:
        CoderRepository(session).id_for("erin")
    with project.session() as session:
        repo = CoderRepository(session)
        statements.clear()
        first = repo.find("erin")
        assert repo.find("erin") == repo.id_for("erin") == first
    assert sum("FROM coders" in s for s in statements) == 1


def test_an_entity_with_an_unknown_label_is_refused_and_nothing_is_written(project) -> None:
    with project.session() as session:
        document_id = DocumentRepository(session).add(NewDocument(text="Angela Merkel spoke."))
    with pytest.raises(CodebookError, match="no label 'NOPE'"), project.session() as session:
        SpanRepository(session).add(EntitySpan(
            document_id=document_id, start=0, end=13, text="Angela Merkel", label="NOPE",
            origin=SpanOrigin.MANUAL, status=SpanStatus.ACCEPTED, annotator="coder",
        ))
    with project.read_session() as session:
        assert session.scalar(select(func.count(EntitySpanRow.id))) == 0


def test_an_added_entity_is_what_reading_it_back_gives(project) -> None:
    label = project.codebook().labels[0].name
    with project.session() as session:
        document_id = DocumentRepository(session).add(NewDocument(text="Angela Merkel 😀 spoke."))
        added = SpanRepository(session).add(EntitySpan(
            document_id=document_id, start=0, end=13, text="Angela Merkel", label=label,
            origin=SpanOrigin.MANUAL, status=SpanStatus.ACCEPTED, annotator="coder",
        ))
    with project.read_session() as session:
        assert SpanRepository(session).get(added.id) == added  # type: ignore[arg-type]
