"""A project on PostgreSQL: URLs, creation, refusals as for files, upgrades, errors in words."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

import pytest
from sqlalchemy import text

from annotator.cli.main import run
from annotator.domain.errors import (
    BackupError,
    NewerSchemaError,
    NotAProjectError,
    PackageError,
    ProjectError,
    ProjectWriteError,
    ReadOnlyProjectError,
    ServerAuthenticationError,
    ServerUnreachableError,
)
from annotator.domain.location import (
    LocationError,
    ServerLocation,
    display_location,
    parse_location,
    parse_server_url,
)
from annotator.domain.model import Label, NewDocument
from annotator.services.backup import backup_project
from annotator.services.browse import Browser
from annotator.services.codebook import CodebookService
from annotator.services.packages import make_package
from annotator.services.project import Project, discard_new_empty_project
from annotator.storage.repositories import DocumentRepository
from annotator.storage.schema import head_revision, upgrade_connection
from annotator.storage.server import make_server_engine
from tests.conftest import SMALL_CODEBOOK

psycopg = pytest.importorskip("psycopg")  # installed by the tests extra


def sql(url: str, statement: str) -> list[tuple]:
    location = parse_server_url(url)
    with psycopg.connect(host=location.host, port=location.port, user=location.user,
                         dbname=location.database, autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def tables(url: str) -> set[str]:
    return {r[0] for r in sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


# -- locations (no server needed) ----------------------------------------------------------

def test_a_url_becomes_a_server_location_and_prints_without_its_password() -> None:
    location = parse_location("postgresql://ayesha:s3cr%40t@db.example.org:6543/study_2026?sslmode=require")
    assert isinstance(location, ServerLocation)
    assert (location.host, location.port, location.user, location.database) == (
        "db.example.org", 6543, "ayesha", "study_2026")
    assert location.password == "s3cr@t" and location.query == "sslmode=require"
    assert str(location) == "postgresql://ayesha@db.example.org:6543/study_2026?sslmode=require"
    assert "s3cr" not in repr(location) and "s3cr" not in display_location(
        "postgresql+psycopg://ayesha:s3cr%40t@db/study")
    assert location.url(with_password=True).startswith("postgresql://ayesha:s3cr%40t@")
    assert parse_location("postgresql+psycopg://u@h/d") == ServerLocation("h", "d", "u", 5432)


def test_paths_stay_paths_and_a_url_without_database_is_refused() -> None:
    from pathlib import Path

    assert parse_location("study.annotator") == Path("study.annotator")
    assert parse_location("postgres-notes/x.annotator") == Path("postgres-notes/x.annotator")
    with pytest.raises(LocationError, match="names no database"):
        parse_location("postgresql://u:pw@host:5432/")
    with pytest.raises(LocationError) as refused:
        parse_location("postgresql://u:pw@host:port/db")
    assert "pw" not in str(refused.value)


# -- opening -------------------------------------------------------------------------------

@pytest.mark.postgres
def test_a_new_server_project_is_at_the_head_revision_with_its_codebook(pg_url: str) -> None:
    with Project(pg_url, create=True, codebook=SMALL_CODEBOOK) as project:
        assert project.created and project.on_server and project.backup is None
        assert [label.name for label in project.codebook().labels] == ["PERSON", "ORG", "LOCATION"]
    assert sql(pg_url, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert sql(pg_url, "SELECT value FROM project_info WHERE key = 'application'") == [("annotator",)]
    with Project(pg_url) as again:
        assert not again.created and again.document_count() == 0


@pytest.mark.postgres
def test_the_schema_the_migrations_make_on_postgresql_matches_the_orm(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from annotator.storage.orm import Base

    def ours(name: str | None, type_: str, _parent: object) -> bool:
        return not (type_ == "index" and name == "ix_documents_search")  # migration 0004's GIN

    with Project(pg_url, create=True, codebook=SMALL_CODEBOOK) as project, \
            project.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.postgres
def test_an_empty_database_becomes_a_project_only_when_asked(pg_url: str) -> None:
    with pytest.raises(NotAProjectError, match="the database is empty"):
        Project(pg_url)
    with pytest.raises(ReadOnlyProjectError):
        Project(pg_url, create=True, read_only=True)
    assert tables(pg_url) == set()


@pytest.mark.postgres
def test_a_database_of_another_program_is_refused_unchanged(pg_url: str) -> None:
    sql(pg_url, "CREATE TABLE survey (id int primary key, answer text)")
    sql(pg_url, "INSERT INTO survey VALUES (1, 'yes')")
    for create in (False, True):
        with pytest.raises(NotAProjectError, match="other tables and no Annotator project"):
            Project(pg_url, create=create)
    assert tables(pg_url) == {"survey"}
    assert sql(pg_url, "SELECT * FROM survey") == [(1, "yes")]


@pytest.mark.postgres
def test_a_project_from_a_newer_annotator_is_refused_unchanged(pg_url: str) -> None:
    Project(pg_url, create=True, codebook=SMALL_CODEBOOK).close()
    sql(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerSchemaError, match="schema 9999"):
        Project(pg_url)
    assert sql(pg_url, "SELECT version_num FROM alembic_version") == [("9999",)]


@pytest.mark.postgres
def test_tables_not_marked_by_annotator_are_refused(pg_url: str) -> None:
    Project(pg_url, create=True, codebook=SMALL_CODEBOOK).close()
    sql(pg_url, "UPDATE project_info SET value = 'other' WHERE key = 'application'")
    with pytest.raises(NotAProjectError, match="not made by Annotator"):
        Project(pg_url)


@pytest.mark.postgres
def test_an_older_server_project_is_upgraded_in_place(pg_url: str) -> None:
    engine = make_server_engine(parse_server_url(pg_url))
    with engine.begin() as connection:
        upgrade_connection(connection, "0003")
        connection.execute(text("INSERT INTO project_info (key, value) VALUES ('application', 'annotator')"))
        connection.execute(text(
            "INSERT INTO labels (name, color, shortcut, description, spacy_labels, position)"
            " VALUES ('PERSON', '#000000', '1', '', '[]', 0)"))
    engine.dispose()
    with Project(pg_url) as project:
        assert project.backup is None
        assert [label.name for label in project.codebook().labels] == ["PERSON"]
    assert sql(pg_url, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert sql(pg_url, "SELECT count(*) FROM project_info WHERE key = 'study_id'") == [(1,)]


@pytest.mark.postgres
def test_two_programs_creating_the_same_project_build_it_once(pg_url: str) -> None:
    outcomes: list[object] = []

    def create() -> None:
        try:
            with Project(pg_url, create=True, codebook=SMALL_CODEBOOK) as project:
                outcomes.append(project.created)
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=create) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=repr) == [False, False, True]
    assert sql(pg_url, "SELECT count(*) FROM labels") == [(3,)]


@pytest.mark.postgres
def test_read_only_is_enforced_by_the_server(pg_url: str) -> None:
    Project(pg_url, create=True, codebook=SMALL_CODEBOOK).close()
    with Project(pg_url, read_only=True) as project:
        assert project.setting("application") == "annotator"
        with pytest.raises(ReadOnlyProjectError, match="read-only"):
            project.set_setting("x", "y")


@pytest.mark.postgres
def test_a_text_postgresql_cannot_hold_is_refused_in_words(project: Project) -> None:
    with pytest.raises(ProjectWriteError, match="NUL character"), project.session() as session:
        DocumentRepository(session).add(NewDocument(text="a\x00b", title="nul"))
    assert project.document_count() == 0


@pytest.mark.postgres
def test_a_project_created_and_left_empty_is_removed_again(pg_url: str) -> None:
    project = Project(pg_url, create=True, codebook=SMALL_CODEBOOK)
    assert discard_new_empty_project(project)
    assert tables(pg_url) == set()


@pytest.mark.postgres
def test_an_unreachable_server_and_a_wrong_role_are_named(pg_url: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = replace(parse_server_url(pg_url), port=port)
    with pytest.raises(ServerUnreachableError, match=f"cannot reach the server at 127.0.0.1:{port}"):
        Project(nowhere)
    stranger = replace(parse_server_url(pg_url), user="nobody_here")
    with pytest.raises(ServerAuthenticationError, match="refused the login"):
        Project(stranger)
    missing = replace(parse_server_url(pg_url), database="no_such_db")
    with pytest.raises(ProjectError, match="has no database 'no_such_db'"):
        Project(missing)


@pytest.mark.postgres
def test_the_document_filter_uses_the_servers_text_search(project: Project) -> None:
    with project.session() as session:
        documents = DocumentRepository(session)
        documents.add(NewDocument(text="The finance minister met bankers.", title="Budget talks"))
        documents.add(NewDocument(text="Rescue teams reached Sindh on Monday.", title="Floods"))
    browser = Browser(project)
    assert [s.title for s in browser.page("bankers minist")] == ["Budget talks"]  # any order, prefix
    assert [s.title for s in browser.page("SINDH")] == ["Floods"]
    for hostile in ('"quoted', "a & | !b", "it's", "\\", "(sindh"):
        browser.page(hostile)  # never a syntax error from the server
    assert browser.count("monday") == 1 and browser.page("budget sindh") == []
    with project.engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # two rows: make the planner show it
        plan = "\n".join(r[0] for r in connection.execute(text(
            "EXPLAIN SELECT id FROM documents WHERE to_tsvector('simple', coalesce(documents.title, '')"
            " || ' ' || documents.text) @@ to_tsquery('simple', 'x')")))
    assert "ix_documents_search" in plan  # the filter's expression is the GIN index's


@pytest.mark.postgres
def test_codebook_edits_work_on_the_server(project: Project) -> None:
    service = CodebookService(project)
    current = service.current()
    service.save(replace(current, labels=(*current.labels, Label("EVENT", "#123456", "4", position=3))))
    assert [label.name for label in project.codebook().labels][-1] == "EVENT"


@pytest.mark.postgres
def test_file_only_commands_refuse_a_server_project_clearly(project: Project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BackupError, match="pg_dump"):
        backup_project(str(project.path), tmp_path / "copy.annotator")
    with pytest.raises(PackageError, match="annotator copy"):
        make_package(str(project.path), "alice", tmp_path / "alice.annotator")


@pytest.mark.postgres
def test_commands_take_a_url(pg_url: str, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("Budget talks\n\nThe minister met bankers.", encoding="utf-8")
    assert run(["import", pg_url, str(tmp_path / "a.txt")], lambda request: 0) == 0
    capsys.readouterr()
    assert run(["stats", pg_url, "--json"], lambda request: 0) == 0
    assert '"documents": 1' in capsys.readouterr().out
