"""The codebook dialog's two pages share one shape: a list with Add/Remove/Up/Down, a form beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QSplitter, QVBoxLayout, QWidget


def list_and_form(
    caption: str,
    items: QListWidget,
    form: QWidget,
    buttons: Sequence[tuple[str, Callable[[], object]]],
    name_prefix: str,
) -> QSplitter:
    """``caption`` above ``items``, a row of ``buttons`` (text, slot) below, ``form`` to the right.

    Each button is named ``name_prefix + text`` (tests and style sheets find it by that name).
    """
    row = QHBoxLayout()
    for text, slot in buttons:
        button = QPushButton(text)
        button.setObjectName(f"{name_prefix}{text}")
        button.clicked.connect(slot)
        row.addWidget(button)
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(QLabel(caption))
    left_layout.addWidget(items, 1)
    left_layout.addLayout(row)
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(form)
    splitter.setSizes([240, 520])
    return splitter
