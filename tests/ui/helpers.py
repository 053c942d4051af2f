"""Driving the real widgets as a reader would: clicks at the characters, keys to the view."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.domain.model import EntitySpan
from annotator.services.browse import Browser
from annotator.services.project import Project
from annotator.ui.article.article_view import ArticleView


def point_of(view: ArticleView, code_point: int, inside: bool = True) -> QPoint:
    """Viewport point over the character at ``code_point`` (its middle), or at the caret gap
    just before it (``inside=False``)."""
    qt = view.offsets.to_qt(code_point)
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt)
    left = view.cursorRect(cursor)
    if not inside:
        return left.center()
    cursor.setPosition(view.offsets.to_qt(code_point + 1))
    right = view.cursorRect(cursor)
    return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())


def click_text(qtbot, view: ArticleView, code_point: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, point_of(view, code_point))


def drag_select(qtbot, view: ArticleView, start: int, end: int) -> None:
    """Select [start, end) the way a reader does: click just before the first character,
    then Shift+click just after the last one."""
    viewport = view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point_of(view, start, inside=False))
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     point_of(view, end, inside=False))


def key(qtbot, view: ArticleView, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(view, key, modifier)


def stored_spans(project_path, document_id) -> list[EntitySpan]:
    """What is in the file, read through a separate connection (as after a restart)."""
    with Project.open(project_path) as other:
        return Browser(other, coder="tester").spans(document_id)
