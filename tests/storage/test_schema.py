"""The project file: creation by migrations, pragmas, refusal of foreign or newer files, upgrades."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.domain.errors import NewerSchemaError, NotAProjectError, ProjectError
from annotator.domain.model import NewDocument
from annotator.services.project import Project
from annotator.storage.db import make_engine
from annotator.storage.repositories import DocumentRepository
from annotator.storage.schema import APPLICATION, current_revision, head_revision, upgrade


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_project_is_plain_sqlite_at_the_head_revision(project: Project) -> None:
    assert current_revision(project.engine) == head_revision()
    connection = sqlite3.connect(project.path)
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "entity_spans", "labels", "claims", "claim_values", "coders"} <= tables
    assert connection.execute("SELECT value FROM project_info WHERE key='application'").fetchone() == (
        APPLICATION,
    )
    labels = [r[0] for r in connection.execute("SELECT name FROM labels ORDER BY position")]
    assert labels == ["PERSON", "ORG", "LOCATION"]
    connection.close()


def test_every_connection_has_foreign_keys_wal_and_busy_timeout(project: Project) -> None:
    with project.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_schema_from_migrations_matches_the_orm_models(project: Project) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from annotator.storage.orm import Base

    def ours(name: str | None, type_: str, _parent: object) -> bool:
        # the full-text index is SQLite's own virtual table, made by raw SQL in migration 0004
        return not (type_ == "table" and name is not None and name.startswith("documents_fts"))

    with project.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"Dear diary, this is not a database.", "not an SQLite database"),
        (b"PK\x03\x04" + b"\x00" * 100, "not an SQLite database"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_and_untouched(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "notes.annotator"
    path.write_bytes(content)
    with pytest.raises(NotAProjectError, match=reason) as info:
        Project.open(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.annotator"]


def test_another_programs_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(NotAProjectError, match="no Annotator tables"):
        Project.open(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_a_missing_file_or_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "missing.annotator")
    with pytest.raises(NotAProjectError, match="folder"):
        Project.open(tmp_path)


def test_a_newer_schema_is_refused_and_untouched(project_path: Path) -> None:
    Project(project_path, create=True).close()
    connection = sqlite3.connect(project_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = digest(project_path)
    with pytest.raises(NewerSchemaError, match="newer version of Annotator"):
        Project.open(project_path)
    assert digest(project_path) == before


def test_an_older_schema_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    path.touch()  # make_engine opens existing files only
    engine = make_engine(path)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO project_info VALUES ('application', 'annotator')"))
        connection.execute(  # an old project always had its codebook
            text("INSERT INTO labels (name, color, shortcut, description, spacy_labels, position)"
                 " VALUES ('PERSON', '#0072B2', NULL, '', '[]', 0)")
        )
        connection.execute(
            text(
                "INSERT INTO documents (title, text, sha256, status, imported_at, word_count, metadata_json)"
                " VALUES ('Old', 'Old text', 'abc', 'new', '2024-01-01 00:00:00', 2, '{}')"
            )
        )
    engine.dispose()

    with Project.open(path) as project:
        assert current_revision(project.engine) == head_revision()
        assert project.backup is not None and project.backup.exists()
        with project.session() as session:
            ids = DocumentRepository(session).ids()
            assert DocumentRepository(session).get(ids[0]).title == "Old"
    backup = sqlite3.connect(project.backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT title FROM documents").fetchone() == ("Old",)
    backup.close()


def test_changes_are_committed_per_unit_of_work_and_rolled_back_on_error(project: Project) -> None:
    with pytest.raises(RuntimeError), project.session() as session:
        DocumentRepository(session).add(NewDocument(text="half done"))
        raise RuntimeError("boom")
    with project.session() as session:
        assert DocumentRepository(session).count() == 0


def test_the_search_index_follows_imports_edits_and_deletes(project: Project) -> None:
    from sqlalchemy import delete, update

    from annotator.storage.orm import DocumentRow

    with project.session() as session:
        docs = DocumentRepository(session)
        first = docs.add(NewDocument(text="Floods reached Sindh.", title="Floods"))
        assert docs.ids("sindh") == [first]  # indexed on demand, before the search
        second = docs.add(NewDocument(text="Budget talks in Lahore.", title="Budget"))
        assert docs.ids("lahore") == [second]
        session.execute(update(DocumentRow).where(DocumentRow.id == first).values(title="Rain"))
        session.execute(delete(DocumentRow).where(DocumentRow.id == second))
        assert docs.ids("rain") == [first] and docs.ids("lahore") == []
        # the index itself agrees with the table (FTS5's own consistency check)
        session.execute(text("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')"))
