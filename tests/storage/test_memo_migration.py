"""Migration 0005 (memo variables) adds a column and keeps every category and coded value."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.domain.model import FieldKind
from annotator.services.claims import ClaimCoding
from annotator.services.project import Project
from annotator.storage.db import make_engine
from annotator.storage.schema import upgrade
from tests.conftest import SMALL_CODEBOOK


def test_upgrading_a_coded_project_keeps_values_and_makes_note_a_memo(tmp_path: Path) -> None:
    path = tmp_path / "coded.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        from annotator.domain.model import NewDocument
        from annotator.storage.repositories import DocumentRepository

        with project.session() as session:
            document = DocumentRepository(session).add(NewDocument(text="Sharif said so today.", title="t"))
        coding = ClaimCoding(project, coder="ayesha")
        claim = coding.create(document, 0, 21).after
        coding.set_value(claim.id, "form", "statement")
        coding.set_value(claim.id, "note", "first line")
    # Back to the schema before 0005, as a file made by the previous release would be.
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE model_runs DROP COLUMN uncertainty")  # 0010
    connection.execute("DROP TABLE codings")  # 0009
    connection.execute("DROP TABLE codes")
    connection.execute("ALTER TABLE claim_fields DROP COLUMN level")  # 0008
    connection.execute("ALTER TABLE claim_fields DROP COLUMN multiline")
    connection.execute("ALTER TABLE documents DROP COLUMN section")  # 0006
    connection.execute("DROP TABLE coder_documents")  # 0007
    connection.execute("ALTER TABLE documents DROP COLUMN in_sample")
    connection.execute("ALTER TABLE coders DROP COLUMN role")
    connection.execute("UPDATE alembic_version SET version_num = '0004'")
    connection.commit()
    connection.close()

    with Project.open(path) as project:
        codebook = project.codebook()
        assert [v.code for v in codebook.field("form").values] == ["statement", "demand"]
        note = codebook.field("note")
        assert note.kind is FieldKind.TEXT and note.multiline
        assert not codebook.field("form").multiline
        (stored,) = ClaimCoding(project).claims(document)
        assert stored.values == {"form": "statement", "note": "first line"}


def test_the_migration_runs_on_a_fresh_engine(tmp_path: Path) -> None:
    path = tmp_path / "fresh.annotator"
    path.touch()  # make_engine opens existing files only
    engine = make_engine(path)
    upgrade(engine, "head")
    with engine.connect() as connection:
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(claim_fields)")]
    engine.dispose()
    assert "multiline" in columns
