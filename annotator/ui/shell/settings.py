"""What the app remembers between runs: coder name, recent projects, last document, layout.

Backed by ``QSettings`` (the platform's usual place), or by a plain dict when nothing may be
written: screenshot mode, and tests that do not hand in their own settings file. Values are
stored as strings or JSON, because list and bool types do not round-trip through every
``QSettings`` backend.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from annotator.domain.location import ServerLocation, is_server_url, parse_server_url

MAX_RECENT = 8


class AppSettings:
    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store
        self._memory: dict[str, object] = {}

    @classmethod
    def for_user(cls) -> AppSettings:
        return cls(QSettings("Annotator", "Annotator"))

    @classmethod
    def in_memory(cls) -> AppSettings:
        return cls(None)

    # -- raw access ------------------------------------------------------------------------
    def _get(self, key: str) -> object:
        if self._store is None:
            return self._memory.get(key)
        return self._store.value(key)

    def _set(self, key: str, value: object) -> None:
        if self._store is None:
            self._memory[key] = value
            return
        self._store.setValue(key, value)
        self._store.sync()  # a killed process must not forget what was on screen

    def _get_str(self, key: str) -> str | None:
        value = self._get(key)
        return value if isinstance(value, str) and value else None

    # -- coder -----------------------------------------------------------------------------
    def coder_name(self) -> str | None:
        return self._get_str("coder/name")

    def set_coder_name(self, name: str) -> None:
        self._set("coder/name", name)

    def project_coder(self, project: Path) -> str | None:
        """Who codes in this project on this computer (asked once when it has several)."""
        return self._get_str(f"coder/projects/{self._project_key(project)}")

    def set_project_coder(self, project: Path, name: str) -> None:
        self._set(f"coder/projects/{self._project_key(project)}", name)

    # -- projects --------------------------------------------------------------------------
    def recent_projects(self) -> list[Path]:
        raw = self._get_str("projects/recent")
        try:
            paths = json.loads(raw) if raw else []
        except ValueError:
            paths = []
        return [_remembered(p) for p in paths if isinstance(p, str)]  # type: ignore[misc]

    def add_recent_project(self, path: Path) -> None:
        path = _absolute(path)  # type: ignore[assignment]
        recent = [p for p in self.recent_projects() if p != path]
        # a server URL is stored as it prints: never with its password
        self._set("projects/recent", json.dumps([str(p) for p in [path, *recent][:MAX_RECENT]]))

    def forget_project(self, path: Path) -> None:
        path = _absolute(path)  # type: ignore[assignment]
        self._set("projects/recent", json.dumps([str(p) for p in self.recent_projects() if p != path]))

    def last_project(self) -> Path | None:
        recent = self.recent_projects()
        return recent[0] if recent else None

    @staticmethod
    def _project_key(path: Path) -> str:
        return hashlib.sha1(str(_absolute(path)).encode()).hexdigest()[:16]

    def last_document(self, project: Path) -> int | None:
        value = self._get_str(f"documents/{self._project_key(project)}")
        return int(value) if value and value.isdigit() else None

    def set_last_document(self, project: Path, document_id: int) -> None:
        self._set(f"documents/{self._project_key(project)}", str(document_id))

    # -- file dialogs ----------------------------------------------------------------------
    def last_folder(self, kind: str) -> Path | None:
        value = self._get_str(f"folders/{kind}")
        return Path(value) if value else None

    def set_last_folder(self, kind: str, folder: Path) -> None:
        self._set(f"folders/{kind}", str(folder))

    # -- window ----------------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self._get("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._get("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self._set("window/geometry", geometry)
        self._set("window/state", state)
        self._set("window/splitter", splitter)

    def splitter_state(self) -> QByteArray | None:
        value = self._get("window/splitter")
        return value if isinstance(value, QByteArray) else None

    def restore_window(self, window: QMainWindow, splitter: QSplitter) -> None:
        """Size, toolbars and panel widths as the reader left them (the first time 1400x900,
        or less: as much of the screen as the window may have, status bar included)."""
        geometry, state, panels = self.window_geometry(), self.window_state(), self.splitter_state()
        if geometry is not None:
            window.restoreGeometry(geometry)
        else:
            screen = window.screen() or QGuiApplication.primaryScreen()
            window.resize(first_size(screen.availableGeometry() if screen else None))
        if state is not None:
            window.restoreState(state)
        if panels is not None:
            splitter.restoreState(panels)

    def show_rejected(self) -> bool:
        return self._get_str("view/show_rejected") == "1"

    def set_show_rejected(self, show: bool) -> None:
        self._set("view/show_rejected", "1" if show else "0")

    def key_hints(self) -> bool:
        """Whether the key hints are shown (they are, until the reader hides them)."""
        return self._get_str("view/key_hints") != "0"

    def set_key_hints(self, shown: bool) -> None:
        self._set("view/key_hints", "1" if shown else "0")


#: The first window size, on a screen that has room for it.
FIRST_SIZE = QSize(1400, 900)
#: What a window manager adds around the window (title bar, borders), at most.
FRAME_ALLOWANCE = QSize(16, 40)


def first_size(available: QRect | None) -> QSize:
    """1400x900, shrunk to fit ``available`` (the screen less its task bars) with the frame:
    on a 1366x768 laptop the whole window shows, status bar included."""
    if available is None or available.isEmpty():
        return FIRST_SIZE
    room = available.size() - FRAME_ALLOWANCE
    return FIRST_SIZE.boundedTo(room)



def _absolute(location: Path | ServerLocation | str) -> Path | ServerLocation:
    """A file by its absolute path; a server project by its URL (without any password)."""
    if isinstance(location, ServerLocation):
        return location.with_password(None)
    if isinstance(location, str) and is_server_url(location):
        return parse_server_url(location)
    return Path(location).resolve()


def _remembered(text: str) -> Path | ServerLocation:
    if is_server_url(text):
        try:
            return parse_server_url(text).with_password(None)
        except ValueError:
            pass
    return Path(text)
