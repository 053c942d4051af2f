"""Team -> Adjudicate: the PI's keyboard panel over the disagreements, and the main window
showing the final layer meanwhile."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.adjudication import FINAL_LAYER, Resolution
from annotator.domain.model import CoderRole
from annotator.services.adjudication import Adjudication
from annotator.services.project import Project
from annotator.storage.repositories import ClaimRepository, CoderRepository, SpanRepository
from annotator.ui.adjudication.panel import AdjudicationPanel
from tests.reliability.adjudication_study import two_coder_document
from tests.ui.conftest import article, settings, window  # noqa: F401 (the main window's fixtures)


def final_forms(project: Project, doc) -> list[object]:  # type: ignore[no-untyped-def]
    with project.read_session() as session:
        return [c.values.get("form") for c in ClaimRepository(session).for_document(doc, FINAL_LAYER)
                if c.start == 0]


def test_opening_fills_the_agreed_units_and_keys_take_drop_undo(qtbot, project: Project) -> None:
    doc = two_coder_document(project, title="sample")
    panel = AdjudicationPanel(Adjudication(project))
    qtbot.addWidget(panel)
    panel.show()
    assert panel.list.count() == 3  # the first claim's form, Khan's label, Karachi
    with project.read_session() as session:  # agreed units landed without a keystroke
        final = [s for s in SpanRepository(session).for_document(doc) if s.annotator == FINAL_LAYER]
    assert {(s.start, s.label) for s in final} >= {(0, "PERSON"), (32, "LOCATION")}
    assert panel.current == 0 and "statement" in panel.views[0].toPlainText()
    assert "demand" in panel.views[1].toPlainText()

    qtbot.keyClick(panel, Qt.Key.Key_2)  # bob's version of the claim
    assert final_forms(project, doc) == ["demand"]
    assert panel.current == 2  # on to the next open one (Khan was settled by the claim's link)
    qtbot.keyClick(panel, Qt.Key.Key_P)
    qtbot.keyClick(panel, Qt.Key.Key_P)
    qtbot.keyClick(panel, Qt.Key.Key_A)  # alice's, by letter
    assert final_forms(project, doc) == ["statement"]
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert final_forms(project, doc) == ["demand"]
    qtbot.keyClick(panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert final_forms(project, doc) == ["statement"]

    qtbot.keyClick(panel, Qt.Key.Key_Down)
    qtbot.keyClick(panel, Qt.Key.Key_N)
    assert panel.current == 2
    qtbot.keyClick(panel, Qt.Key.Key_D)  # Karachi: nothing in the final layer
    assert panel.state is not None
    assert [d.resolution for d in panel.state.disagreements] == [Resolution.TAKEN] * 2 + [Resolution.DROPPED]
    assert "0 open" in panel.header.text()


def test_documents_by_page_keys(qtbot, project: Project) -> None:
    first = two_coder_document(project, title="one")
    second = two_coder_document(project, title="two")
    panel = AdjudicationPanel(Adjudication(project))
    qtbot.addWidget(panel)
    assert panel.document_id == first
    qtbot.keyClick(panel, Qt.Key.Key_PageDown)
    assert panel.document_id == second and "Document 2 of 2" in panel.header.text()
    qtbot.keyClick(panel, Qt.Key.Key_PageDown)  # stays on the last
    qtbot.keyClick(panel, Qt.Key.Key_PageUp)
    assert panel.document_id == first


def test_team_menu_opens_the_panel_and_the_window_shows_the_final_layer(
    qtbot, window, project: Project  # noqa: F811
) -> None:
    doc = two_coder_document(project, title="sample")
    with project.session() as session:
        CoderRepository(session).id_for("tester", CoderRole.PI)
    window.actions["adjudicate"].trigger()
    panel = window.adjudication_panel
    assert panel.document_id == doc
    assert window.workspace.viewing == FINAL_LAYER
    assert {s.text for s in window.controller.spans.values()} >= {"Sharif", "Lahore"}
    qtbot.keyClick(panel, Qt.Key.Key_E)  # edit the final layer in the window
    assert window.workspace.coder == FINAL_LAYER and window.workspace.viewing is None
    panel.close()
    qtbot.waitUntil(lambda: window.workspace.coder == "tester")
    assert window.workspace.viewing is None


def test_a_coder_cannot_adjudicate_under_blind_coding(qtbot, window, project: Project) -> None:  # noqa: F811
    two_coder_document(project, title="sample")  # alice, bob and tester: blind by default
    window.actions["adjudicate"].trigger()
    assert not hasattr(window, "adjudication_panel")
    assert "only the PI can adjudicate" in window.statusBar().currentMessage()
