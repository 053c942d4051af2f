"""Migration 0009 (the code layer) adds the codes and codings tables to a 0008 project and
keeps everything in it; codings cascade with their document."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.domain.codings import Code, Coding
from annotator.domain.model import NewDocument
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from annotator.storage.repositories.codings import CodingRepository
from tests.conftest import SMALL_CODEBOOK


def _as_0008(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE model_runs DROP COLUMN uncertainty")  # 0010
    connection.execute("DROP TABLE codings")
    connection.execute("DROP TABLE codes")
    connection.execute("UPDATE alembic_version SET version_num = '0008'")
    connection.commit()
    connection.close()


def test_a_0008_project_gets_the_code_layer_and_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project, project.session() as session:
        DocumentRepository(session).add(NewDocument("Imran Khan spoke.", title="t"))
    _as_0008(path)
    with Project.open(path) as project:
        with project.session() as session:
            document_id = DocumentRepository(session).ids()[0]
            rows = CodingRepository(session)
            rows.ensure_codes([Code("themes"), Code("economy", "#112233", "themes")])
            added = rows.add([Coding(document_id, 0, 10, "Imran Khan", "economy", "ayesha", "memo"),
                              Coding(document_id, 0, 10, "Imran Khan", "blame", "bilal")])
        assert added == 2
        with project.read_session() as session:
            rows = CodingRepository(session)
            assert [(c.code, c.coder, c.memo) for c in rows.for_document(document_id)] == [
                ("blame", "bilal", ""), ("economy", "ayesha", "memo")]
            assert Code("economy", "#112233", "themes", 2) in rows.codes()
            assert DocumentRepository(session).get(document_id).text == "Imran Khan spoke."


def test_codings_go_with_their_document(tmp_path: Path) -> None:
    with Project(tmp_path / "p.annotator", create=True, codebook=SMALL_CODEBOOK) as project:
        with project.session() as session:
            document_id = DocumentRepository(session).add(NewDocument("Nawaz Sharif.", title="t"))
            CodingRepository(session).add([Coding(document_id, 0, 5, "Nawaz", "people", "c")])
        with project.session() as session:
            session.connection().exec_driver_sql("PRAGMA foreign_keys=ON")
            session.connection().exec_driver_sql(f"DELETE FROM documents WHERE id = {document_id}")
        with project.read_session() as session:
            assert CodingRepository(session).count() == 0
