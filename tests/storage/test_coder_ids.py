"""A coder's id is read once per connection once committed, and never outlives a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

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


def _coder_reads(project) -> list[str]:  # type: ignore[no-untyped-def]
    statements: list[str] = []
    event.listen(project.engine, "before_cursor_execute",
                 lambda _c, _cu, statement, *_a: statements.append(statement))
    return statements


def _reads_of_coders(statements: list[str]) -> int:
    return sum("FROM coders" in s for s in statements)


def test_a_committed_id_is_not_read_again_on_the_same_connection(project) -> None:
    with project.session() as session:
        CoderRepository(session).id_for("erin")  # created and committed
    with project.session() as session:
        CoderRepository(session).id_for("fred")
    statements = _coder_reads(project)
    for _ in range(3):
        with project.session() as session:
            repo = CoderRepository(session)
            assert repo.find("erin") == repo.id_for("erin") is not None
            assert repo.find("fred") is not None
    assert _reads_of_coders(statements) == 0


def test_an_id_seen_in_a_rolled_back_transaction_is_read_again(project) -> None:
    with project.session() as session:
        CoderRepository(session).id_for("gus")
    with pytest.raises(RuntimeError), project.session() as session:
        created = CoderRepository(session).id_for("hana")
        raise RuntimeError("the action failed")
    statements = _coder_reads(project)
    with project.session() as session:
        repo = CoderRepository(session)
        assert repo.find("gus") is not None
        assert _reads_of_coders(statements) == 0  # committed before: remembered
        assert repo.find("hana") is None  # the row went with the rollback; its id is not reused
        assert _reads_of_coders(statements) == 1
        again = repo.id_for("hana")
    assert created is not None and again is not None


def test_a_new_connection_starts_with_no_remembered_ids(project) -> None:
    with project.session() as session:
        CoderRepository(session).id_for("ivy")
    project.engine.dispose()  # every pooled connection closed, as after a server restart
    statements = _coder_reads(project)
    with project.session() as session:
        assert CoderRepository(session).find("ivy") is not None
    assert _reads_of_coders(statements) == 1


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
