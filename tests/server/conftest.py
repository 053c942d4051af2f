"""Fixtures for the PostgreSQL half of the tests: a server, and a fresh database per test.

A server comes from ``ANNOTATOR_TEST_PG_URL`` or is started here (see ``pgserver``). Without
one, every test that needs it is skipped, saying why; ``ANNOTATOR_REQUIRE_PG=1`` (set by CI)
turns that skip into a failure. ``pytest -m "not postgres"`` runs the SQLite half alone.

``project_path`` and ``project`` are overridden here: the test functions of the core storage,
service and CLI modules, collected again in this folder (``test_core_on_postgres.py``), run
against a PostgreSQL database, their SQLite run being the one in their own folder.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from annotator.domain.location import ServerLocation, parse_server_url
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.server.pgserver import URL_VARIABLE, LocalServer, server_binaries

_numbers = itertools.count(1)


_NUL = ("its fixture stores a NUL character, which PostgreSQL text cannot hold (importers drop "
        "it; a direct write is refused clearly: test_server_project.py)")
#: Core tests whose subject differs on a server, each with the reason (they run on SQLite).
SQLITE_ONLY = {
    "test_pg_export.py": {
        name: _NUL for name in (
            "test_every_sheet_matches_the_project", "test_suggestions_and_status_filter",
            "test_csv_export_is_injection_safe_with_a_bom", "test_bad_targets_and_cancel_leave_nothing",
            "test_libreoffice_opens_the_export", "test_claim_counts_follow_the_domain_rule",
            "test_an_entity_a_claim_links_to_is_exported_even_as_a_suggestion",
            "test_short_code_columns_are_narrow",
        )
    },
    "test_pg_assignment_cli.py": {
        name: "it checks the project FILE's bytes or permissions" for name in (
            "test_the_same_seed_on_a_copy_draws_the_same",
            "test_assign_refuses_bad_input_in_one_line_and_changes_nothing",
            "test_coders_command_only_reads_without_changes",
        )
    },
    "test_pg_importing.py": {
        "test_the_document_filter_finds_words_of_the_text": (
            "PostgreSQL's 'simple' text search keeps accents: 'zurich' does not find 'Zürich' there"
        ),
    },
}


@pytest.hookimpl(tryfirst=True)  # before -m "not postgres" deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    marker = pytest.mark.postgres
    # a re-collected core test that never opens a project runs on SQLite only, in its own folder
    duplicates = [
        item for item in items
        if item.path.name.startswith("test_pg_") and "pg_admin_url" not in getattr(item, "fixturenames", ())
    ]
    if duplicates:
        config.hook.pytest_deselected(items=duplicates)
        items[:] = [item for item in items if item not in duplicates]
    for item in items:
        if "pg_admin_url" in getattr(item, "fixturenames", ()):
            item.add_marker(marker)
            reason = SQLITE_ONLY.get(item.path.name, {}).get(item.name.split("[")[0])
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def _unavailable(reason: str) -> None:
    if os.environ.get("ANNOTATOR_REQUIRE_PG"):
        pytest.fail(reason + " (ANNOTATOR_REQUIRE_PG is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def own_server() -> Iterator[LocalServer]:
    """A server of the test module's own, which its tests may stop and start again."""
    binaries = server_binaries()
    if binaries is None:
        _unavailable("no PostgreSQL server programs (Debian: apt-get install postgresql)")
    psycopg = pytest.importorskip("psycopg")
    local = LocalServer(binaries)
    local.start()
    local.psycopg = psycopg  # type: ignore[attr-defined]
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable('no PostgreSQL driver: pip install -e ".[test]" installs psycopg')
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    binaries = server_binaries()
    if binaries is None:
        _unavailable(f"no PostgreSQL server: set {URL_VARIABLE} or install the server "
                     "(Debian: apt-get install postgresql)")
    server = LocalServer(binaries)
    try:
        yield server.start()
    finally:
        server.stop()


def _admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    location = parse_server_url(url)
    return psycopg.connect(
        host=location.host, port=location.port, user=location.user, password=location.password,
        dbname=location.database, autocommit=True,
    )


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"annotator_test_{os.getpid()}_{next(_numbers)}"
    admin = parse_server_url(pg_admin_url)
    with _admin(pg_admin_url) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    location = ServerLocation(admin.host, name, admin.user, admin.port, admin.password, admin.query)
    try:
        yield location.url(with_password=True)
    finally:
        with _admin(pg_admin_url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_location(pg_url: str) -> ServerLocation:
    return parse_server_url(pg_url)


@pytest.fixture
def project_path(pg_location: ServerLocation) -> ServerLocation:
    return pg_location


@pytest.fixture
def project(project_path: ServerLocation) -> Iterator[Project]:
    with Project(project_path, create=True, codebook=SMALL_CODEBOOK) as opened:
        yield opened
