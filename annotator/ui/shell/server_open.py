"""File -> Open Server Project: a URL, a password when the server asks for one, off the GUI thread.

The connection is made on a helper thread while the window keeps painting (a server that does
not answer takes up to the connection timeout). The password typed here lives only in the open
project's location, in memory; settings remember the URL as it prints, without it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QWidget

from annotator.domain.errors import ServerAuthenticationError
from annotator.domain.location import LocationError, ServerLocation, parse_server_url

T = TypeVar("T")
PASSWORD_TRIES = 3
EXAMPLE_URL = "postgresql://user@host:5432/dbname"


def ask_server_url(parent: QWidget | None, last: str = "") -> str | None:
    text, ok = QInputDialog.getText(
        parent, "Open Server Project",
        "The project's PostgreSQL database, as a URL:\n"
        f"{EXAMPLE_URL}\n(the password is asked for when the server needs one)",
        QLineEdit.EchoMode.Normal, last or EXAMPLE_URL,
    )
    return text.strip() if ok and text.strip() else None


def ask_password(parent: QWidget | None, location: ServerLocation, reason: str) -> str | None:
    password, ok = QInputDialog.getText(
        parent, "Password",
        f"{reason}\n\nPassword of {location.user or 'your user'} at {location.address}:",
        QLineEdit.EchoMode.Password,
    )
    return password if ok else None


def off_gui_thread(work: Callable[[], T]) -> T:
    """Run ``work`` on a helper thread; the GUI thread keeps handling events until it ends."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="server-open") as pool:
        future: Future[T] = pool.submit(work)
        loop = QEventLoop()
        future.add_done_callback(lambda _f: loop.quit())  # quit() may be called from any thread
        if not future.done():
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            finally:
                QApplication.restoreOverrideCursor()
        return future.result()


def open_with_password(
    opener: Callable[[ServerLocation], T],
    text: str,
    password: Callable[[ServerLocation, str], str | None],
) -> T | None:
    """Open the URL ``text``; when the server refuses the login, ask ``password`` and retry.

    None: the reader cancelled the password prompt. Raises the domain's errors otherwise
    (LocationError for a malformed URL is turned into one by the caller).
    """
    location = parse_server_url(text)
    for attempt in range(PASSWORD_TRIES + 1):
        try:
            return off_gui_thread(lambda loc=location: opener(loc))  # type: ignore[misc]
        except ServerAuthenticationError as refused:
            if attempt == PASSWORD_TRIES:
                raise
            typed = password(location, refused.reason)
            if typed is None:
                return None
            location = location.with_password(typed)
    return None


__all__ = ["LocationError", "ask_password", "ask_server_url", "off_gui_thread", "open_with_password"]
