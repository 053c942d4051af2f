"""Issue 10.1 in the window: a mouse selection and a number key make a clean name, and the
edge keys step off a possessive, on the sample article's own phrases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.app import make_workspace
from annotator.domain.model import SpanOrigin
from annotator.services.project import Project
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from tests.ui.conftest import add_document
from tests.ui.helpers import drag_select, key, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = (
    "Operation Azm-e-Istehkam\n\n"
    "Read more: Shehbaz Sharif Visits Fazl’s House, Suggests Committee For Political Dialogue\n\n"
    "Prime Minister Shehbaz Sharif on Saturday authorized Operation “Azm-e-Istehkam,” a "
    "revitalized initiative, the Prime Minister’s Office (PMO) said in the U.S. capital."
)


@pytest.fixture
def sample_window(qtbot, project: Project, settings):
    from annotator.app import app_services

    document = add_document(project, TEXT, "Operation Azm-e-Istehkam")
    main = MainWindow(make_workspace(project, "tester"), settings, CannedPrompts(), app_services(),
                      document=document)
    qtbot.addWidget(main)
    main.resize(1200, 800)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=3000)
    yield main, document
    main.close()


def test_a_sloppy_mouse_selection_and_a_label_key_make_a_clean_name(
    qtbot, sample_window, project_path
) -> None:
    window, document = sample_window
    view, controller = window.article, window.controller
    start = TEXT.index(": Shehbaz")
    drag_select(qtbot, view, start, TEXT.index("Visits") + 1)  # ": Shehbaz Sharif V"
    key(qtbot, view, Qt.Key.Key_1)
    assert controller.selected_span().text == "Shehbaz Sharif"

    fazl = TEXT.index("Fazl")
    drag_select(qtbot, view, fazl, fazl + len("Fazl’s "))
    key(qtbot, view, Qt.Key.Key_1)
    assert controller.selected_span().text == "Fazl"

    quoted = TEXT.index("“Azm")
    drag_select(qtbot, view, quoted, quoted + len("“Azm-e-Istehkam,”"))
    key(qtbot, view, Qt.Key.Key_2)
    assert controller.selected_span().text == "Azm-e-Istehkam"

    us = TEXT.index("U.S.")
    drag_select(qtbot, view, us - 1, us + len("U.S. "))
    key(qtbot, view, Qt.Key.Key_3)
    assert controller.selected_span().text == "U.S."

    saved = {s.text for s in stored_spans(project_path, document) if s.origin is SpanOrigin.MANUAL}
    assert saved == {"Shehbaz Sharif", "Fazl", "Azm-e-Istehkam", "U.S."}


def test_the_edge_keys_step_over_a_possessive_both_ways(qtbot, sample_window) -> None:
    window, _document = sample_window
    view, controller = window.article, window.controller
    fazl = TEXT.index("Fazl")
    drag_select(qtbot, view, fazl, fazl + 4)
    key(qtbot, view, Qt.Key.Key_1)
    key(qtbot, view, Qt.Key.Key_Right, CTRL | SHIFT)  # grow at the end: over "’s"
    assert controller.selected_span().text == "Fazl’s House"
    key(qtbot, view, Qt.Key.Key_Left, CTRL | SHIFT)  # shrink at the end: off "’s" too
    assert controller.selected_span().text == "Fazl"

    office = TEXT.index("Prime Minister’s")
    drag_select(qtbot, view, office, office + len("Prime Minister"))
    key(qtbot, view, Qt.Key.Key_2)
    assert controller.selected_span().text == "Prime Minister"
    key(qtbot, view, Qt.Key.Key_Right, CTRL | SHIFT)
    assert controller.selected_span().text == "Prime Minister’s Office"
    key(qtbot, view, Qt.Key.Key_Right, CTRL | SHIFT)  # the bracket pair comes whole
    assert controller.selected_span().text == "Prime Minister’s Office (PMO)"
    key(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert controller.selected_span().text == "Prime Minister’s Office"
