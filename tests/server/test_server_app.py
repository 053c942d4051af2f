"""The app on a server project: File -> Open Server Project, the password prompt, recent projects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.app import app_services, make_workspace
from annotator.domain.errors import ServerAuthenticationError
from annotator.domain.location import ServerLocation, parse_server_url
from annotator.services.project import Project
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.server_open import open_with_password
from annotator.ui.shell.settings import AppSettings
from tests.conftest import SMALL_CODEBOOK


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def file_window(qtbot, tmp_path: Path, settings: AppSettings) -> Iterator[tuple[MainWindow, CannedPrompts]]:  # type: ignore[no-untyped-def]
    project = Project(tmp_path / "local.annotator", create=True, codebook=SMALL_CODEBOOK)
    prompts = CannedPrompts()
    main = MainWindow(make_workspace(project, "tester"), settings, prompts, app_services())
    qtbot.addWidget(main)
    main.show()
    yield main, prompts
    main.close()


def test_a_refused_login_asks_for_the_password_and_tries_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[ServerLocation] = []

    def opener(location: ServerLocation) -> str:
        seen.append(location)
        if location.password != "right":
            raise ServerAuthenticationError(location, "password authentication failed")
        return "opened"

    asked: list[str] = []

    def password(location: ServerLocation, reason: str) -> str:
        asked.append(reason)
        return "wrong" if len(asked) == 1 else "right"

    assert open_with_password(opener, "postgresql://ayesha@db:5432/study", password) == "opened"
    assert [loc.password for loc in seen] == [None, "wrong", "right"]
    assert all("right" not in str(loc) for loc in seen)
    assert asked == ["password authentication failed"] * 2
    assert open_with_password(opener, "postgresql://ayesha@db:5432/study", lambda *_: None) is None


@pytest.mark.postgres
def test_open_server_project_switches_the_window_and_remembers_the_url_without_password(
    file_window, pg_url: str, settings: AppSettings  # type: ignore[no-untyped-def]
) -> None:
    Project(pg_url, create=True, codebook=SMALL_CODEBOOK).close()
    window, prompts = file_window
    with_password = parse_server_url(pg_url).with_password("s3cret").url(with_password=True)
    prompts.answers["server_url"] = with_password  # a password in the URL is used, never stored
    window.projects.choose_server_project()
    assert prompts.errors == []
    assert window.workspace.project.on_server
    assert parse_server_url(pg_url).database in window.windowTitle()
    recent = settings.recent_projects()
    assert recent[0] == parse_server_url(pg_url) and isinstance(recent[0], ServerLocation)
    stored = str(QSettings(settings._store.fileName(), QSettings.Format.IniFormat).value("projects/recent"))  # type: ignore[attr-defined]
    assert "s3cret" not in stored and "postgresql://" in stored


def test_a_server_that_is_not_there_is_one_clear_error(file_window) -> None:  # type: ignore[no-untyped-def]
    import socket

    window, prompts = file_window
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    prompts.answers["server_url"] = f"postgresql://someone@127.0.0.1:{port}/study"
    window.projects.choose_server_project()
    assert len(prompts.errors) == 1
    _title, message = prompts.errors[0]
    assert f"cannot reach the server at 127.0.0.1:{port}" in message and "\n" not in message
    assert not window.workspace.project.on_server


def test_a_last_server_project_that_is_down_at_start_is_not_forgotten(settings: AppSettings) -> None:
    import socket

    from annotator.ui.shell.launch import _open_last

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = ServerLocation("127.0.0.1", "study", "someone", port)
    settings.add_recent_project(down)  # type: ignore[arg-type]
    prompts = CannedPrompts()
    assert _open_last(app_services(), settings, prompts, interactive=True) is None
    assert "cannot reach the server" in prompts.errors[0][1]
    assert settings.recent_projects() == [down]
