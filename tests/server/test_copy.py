"""`annotator copy`: a whole study between a file and a PostgreSQL server, verified, all or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.errors import CopyError
from annotator.domain.location import parse_server_url
from annotator.domain.model import Label, NewDocument
from annotator.services.codebook import CodebookService
from annotator.services.copy import copy_project, project_checksums
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from tests.team.packages_helpers import layer, make_study, table_rows

pytestmark = pytest.mark.postgres
psycopg = pytest.importorskip("psycopg")  # installed by the tests extra


def server_tables(url: str) -> set[str]:
    location = parse_server_url(url)
    with psycopg.connect(host=location.host, port=location.port, user=location.user,
                         dbname=location.database) as connection:
        return {r[0] for r in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def rich_study(path: Path) -> Path:
    """Three documents, three coders with entities, claims, statuses, a codebook change."""
    make_study(path)
    with Project(path) as project:
        service = CodebookService(project, coder="paula")
        current = service.current()
        service.save(replace(current, labels=(*current.labels, Label("EVENT", "#123456", "4", position=3))))
    return path


def plain(value: object) -> object:
    """Raw-SQL values as SQLite spells them (the layer helper reads timestamps with raw SQL)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple) or hasattr(value, "_mapping"):  # a SQLAlchemy Row too
        return tuple(plain(v) for v in value)  # type: ignore[union-attr]
    return value


def app_view(location: object) -> dict[str, object]:
    """What a researcher sees of a study: documents, every layer, codebook, history."""
    with Project(location, read_only=True) as project:
        with project.read_session() as session:
            documents = [(d.title, d.text, d.word_count) for d in
                         (DocumentRepository(session).get(i) for i in DocumentRepository(session).ids())]
        codebook = project.codebook()
        history = CodebookService(project).current()
    return {
        "documents": documents, "codebook": codebook, "history": history,
        "alice": plain(layer(location, "alice")), "bob": plain(layer(location, "bob")),  # type: ignore[arg-type]
    }


def test_file_to_server_to_file_keeps_every_row_and_what_the_app_shows(tmp_path: Path, pg_url: str) -> None:
    source = rich_study(tmp_path / "study.annotator")
    steps: list[tuple[int, int, str]] = []
    there = copy_project(source, pg_url, lambda *step: steps.append(step))
    assert there.rows > 20 and steps[-1][0] == steps[-1][1] == there.rows
    back = copy_project(pg_url, tmp_path / "back.annotator")
    assert project_checksums(source) == there.tables == back.tables == project_checksums(pg_url)
    assert project_checksums(tmp_path / "back.annotator") == project_checksums(source)
    assert app_view(source) == app_view(pg_url) == app_view(tmp_path / "back.annotator")
    assert table_rows(source) == table_rows(tmp_path / "back.annotator")  # ids included
    assert there.tables["codebook_changes"][0] >= 1 and there.tables["claim_values"][0] >= 2


def test_the_server_copy_hands_out_new_ids_after_the_copied_ones(tmp_path: Path, pg_url: str) -> None:
    source = rich_study(tmp_path / "study.annotator")
    copy_project(source, pg_url)
    with Project(pg_url) as project, project.session() as session:
        new_id = DocumentRepository(session).add(NewDocument(text="A fourth article.", title="Four"))
    assert new_id == 4


def test_a_copy_into_something_not_new_is_refused_and_changes_nothing(tmp_path: Path, pg_url: str) -> None:
    source = rich_study(tmp_path / "study.annotator")
    taken = tmp_path / "taken.annotator"
    taken.write_bytes(b"mine")
    with pytest.raises(CopyError, match="exists already"):
        copy_project(source, taken)
    assert taken.read_bytes() == b"mine"
    copy_project(source, pg_url)
    before = project_checksums(pg_url)
    with pytest.raises(CopyError, match="not empty"):
        copy_project(source, pg_url)
    assert project_checksums(pg_url) == before
    with pytest.raises(CopyError, match="the source itself"):
        copy_project(source, source)


def test_a_copy_that_fails_midway_leaves_no_half_filled_target(tmp_path: Path, pg_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    source = rich_study(tmp_path / "study.annotator")
    monkeypatch.setattr("annotator.storage.copy.CHUNK_ROWS", 1)

    def fail_halfway(done: int, total: int, table: str) -> None:
        if done > total // 2:
            raise OSError("the network dropped")

    with pytest.raises(OSError, match="network dropped"):
        copy_project(source, pg_url, fail_halfway)
    assert server_tables(pg_url) == set()
    with pytest.raises(OSError, match="network dropped"):
        copy_project(source, tmp_path / "new.annotator", fail_halfway)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.annotator"]
    copy_project(source, pg_url)  # the target is still usable: nothing was left in it
    assert project_checksums(pg_url) == project_checksums(source)


def test_a_copy_whose_checksums_differ_is_rolled_back(tmp_path: Path, pg_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import annotator.storage.copy as copy_module

    source = rich_study(tmp_path / "study.annotator")
    real = copy_module.check_project
    calls: list[int] = []

    def corrupt_second(connection):  # type: ignore[no-untyped-def]
        checks = real(connection)
        calls.append(1)
        if len(calls) == 2:  # the target's side
            checks["claims"] = replace(checks["claims"], checksum=hashlib.sha256(b"x").hexdigest())
        return checks

    monkeypatch.setattr(copy_module, "check_project", corrupt_second)
    with pytest.raises(CopyError, match=r"differs from .* in claims, so nothing was kept"):
        copy_project(source, pg_url)
    assert server_tables(pg_url) == set()


def test_the_copy_command_reports_and_refuses_in_one_line(tmp_path: Path, pg_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    source = rich_study(tmp_path / "study.annotator")
    assert run(["copy", str(source), pg_url], lambda request: 0) == 0
    out = capsys.readouterr().out
    assert "counts and checksums match" in out and "postgresql://" in out
    assert run(["copy", str(source), pg_url], lambda request: 0) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not empty" in err
