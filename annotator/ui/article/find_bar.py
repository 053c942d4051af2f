"""Find in the open article: a bar above the text that marks every match and walks them.

Typing marks every match (case-insensitive) and selects the first one from where the reader
was, as a text selection; the bar says "3 of 12". F3 / Shift+F3 select the next / previous
match, from anywhere in the window. Enter goes to the match (first the one typing found, then
the next ones; Shift+Enter goes back) and hands the keyboard to the article, so a label key
right after it labels the found text: the quick way to add what the model missed. While the
bar is open, Enter in the article keeps walking the matches unless an entity is selected
(then it accepts it, as always). Esc closes the bar and returns to the article.

Matches are marked with the article's extra selections: a drawing layer, not a change to the
document, so the undo history and the text stay untouched. They are searched in the stored
text (code points) and converted to Qt positions by ``offsets``.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from annotator.ui.article.article_view import ArticleView
from annotator.ui.common.field_keys import FieldKeys

#: Qt paints every extra selection for every visible paragraph, so only the matches around
#: the visible part are marked (re-marked as the article scrolls); the count and the walk
#: still cover every match.
MAX_MARKED = 400
_MARKED_ABOVE = 80
MATCH_COLOR = QColor(255, 176, 0, 140)  # a highlighter pen, unlike any label's wash
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FindBar(QWidget):
    def __init__(self, article: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.article = article
        self.matches: list[tuple[int, int]] = []  # code-point ranges, in text order
        self.current: int | None = None
        self._fresh = False  # the current match was chosen by typing, not visited yet
        self._anchor = 0  # where the search starts: the caret when the bar opened
        self._searched = ""  # the text the matches were found in

        self.field = QLineEdit(placeholderText="Find in the article")
        self.field.setObjectName("findField")
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(
            "Enter: go to the match, then the next (Shift+Enter: back) · F3 / Shift+F3: next / previous"
            " · Esc: close"
        )
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("9,999 of 9,999") + 8)
        previous, following, close = QToolButton(), QToolButton(), QToolButton()
        previous.setArrowType(Qt.ArrowType.UpArrow)
        previous.setToolTip("Previous match (Shift+F3)")
        following.setArrowType(Qt.ArrowType.DownArrow)
        following.setToolTip("Next match (F3)")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Esc)")
        for button in (previous, following, close):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        previous.clicked.connect(lambda: self.step(False))
        following.clicked.connect(lambda: self.step(True))
        close.clicked.connect(self.close_bar)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)

        keys = FieldKeys(self.field)
        keys.entered.connect(self._on_enter)
        keys.escaped.connect(self.close_bar)
        self.field.textEdited.connect(lambda _text: self.search(select=True))
        article.textChanged.connect(self._on_document_changed)
        self._remark = QTimer(self, singleShot=True, interval=80)
        self._remark.timeout.connect(self._mark)
        article.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        article.installEventFilter(self)
        self.hide()

    # -- opening and closing -------------------------------------------------------------
    def open_bar(self, focus: bool = True) -> None:
        """Show the bar (with the keyboard in it); words selected in the article are the query."""
        cursor = self.article.textCursor()
        selected = cursor.selectedText() if cursor.hasSelection() else ""
        if selected and "\u2029" not in selected and len(selected) <= 100:
            self.field.setText(selected)
        self._anchor = self.article.offsets.to_code_point(cursor.selectionStart())
        self.show()
        if focus:
            self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.field.selectAll()
        self.search(select=False)
        if selected:  # the selected words are the current match: Enter goes on to the next
            index = bisect_left(self.matches, (self._anchor, -1))
            if index < len(self.matches) and self.matches[index][0] == self._anchor:
                self.current = index
                self._show_count()

    def close_bar(self) -> None:
        """Hide the marks and the bar; what was found stays selected in the article."""
        self.hide()
        self.article.setExtraSelections([])
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- searching -----------------------------------------------------------------------
    def search(self, select: bool) -> None:
        """Find every match of the query; with ``select``, select the first one from the
        anchor on (as typing does)."""
        query = self.field.text()
        self._searched = self.article.text
        if query.strip():
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            self.matches = [(m.start(), m.end()) for m in pattern.finditer(self.article.text)]
        else:
            self.matches = []
        self.current, self._fresh = None, False
        if self.matches and select:
            index = bisect_left(self.matches, (self._anchor, -1))
            self.current, self._fresh = index % len(self.matches), True
            self.article.select_text(*self.matches[self.current])
            self.article.ensureCursorVisible()
        elif select:  # nothing found: no half-typed match may stay selected for a label key
            self.article.select_text(self._anchor, self._anchor)
        self._mark()

    def step(self, forward: bool = True, stay: bool = False) -> None:
        """Go to the next (or previous) match, wrapping around; opens a closed bar. With
        ``stay`` (Enter), the match that typing chose is visited before moving on."""
        if self.isHidden():  # F3 after Esc: the keys stay in the article, unless there is no query
            self.open_bar(focus=not self.field.text().strip())
        if not self.matches:
            return
        if self.current is None:
            caret = self.article.offsets.to_code_point(self.article.textCursor().selectionStart())
            index = bisect_left(self.matches, (caret, -1))
            self.current = (index if forward else index - 1) % len(self.matches)
        elif not (stay and forward and self._fresh):
            self.current = (self.current + (1 if forward else -1)) % len(self.matches)
        self._fresh = False
        self.article.select_text(*self.matches[self.current])
        self.article.ensureCursorVisible()
        self._mark()

    def _on_enter(self, forward: bool) -> None:
        """Enter in the field: go to the match, then let the article take the keys."""
        self.step(forward, stay=True)
        if self.matches:
            self.article.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_document_changed(self) -> None:
        """Another article: mark its matches, select nothing yet. (Qt also says the text
        changed when only the highlighting did, after an entity edit: nothing to do then.)"""
        if self.article.text is self._searched:
            return
        self._anchor = 0
        if self.isVisible():
            self.search(select=False)

    def _on_scrolled(self) -> None:
        if self.isVisible() and len(self.matches) > MAX_MARKED:
            self._remark.start()

    def _mark(self) -> None:
        offsets, document = self.article.offsets, self.article.document()
        top = offsets.to_code_point(self.article.cursorForPosition(QPoint(0, 0)).position())
        first = max(0, bisect_left(self.matches, (top, -1)) - _MARKED_ABOVE)
        marked = []
        fmt = QTextCharFormat()
        fmt.setBackground(MATCH_COLOR)
        for start, end in self.matches[first:first + MAX_MARKED]:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(document)
            qt_start, qt_end = offsets.range_to_qt(start, end)
            cursor.setPosition(qt_start)
            cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor, selection.format = cursor, fmt  # type: ignore[attr-defined]
            marked.append(selection)
        self.article.setExtraSelections(marked)
        self._show_count()

    def _show_count(self) -> None:
        n = len(self.matches)
        if not self.field.text().strip():
            text = ""
        elif not n:
            text = "No match"
        elif self.current is None:
            text = f"{n:,} match{'es' if n != 1 else ''}"
        else:
            text = f"{self.current + 1:,} of {n:,}"
        self.count.setText(text)
        self.field.setStyleSheet("" if n or not self.field.text().strip() else "color: #CC3311;")

    # -- Enter in the article --------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While the bar is open, Enter in the article walks the matches. (With an entity
        selected, Enter is the window's Accept and never reaches the article.)"""
        if event.type() == QEvent.Type.KeyPress and self.isVisible() and self.matches:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            shift = key_event.modifiers() == Qt.KeyboardModifier.ShiftModifier
            if key_event.key() in _ENTER and (shift or not key_event.modifiers()):
                self.step(not shift)
                return True
        return False
