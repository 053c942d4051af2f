"""Team -> Reliability: figures computed on the worker thread, marked against Krippendorff's
thresholds, and each disagreement opening its document at its place."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.domain.model import CoderRole
from annotator.services.agreement import compute_agreement
from annotator.services.project import Project
from annotator.storage.repositories import CoderRepository
from annotator.ui.reliability.figure_table import cell_text
from annotator.ui.reliability.figures import VARIABLE_COLUMNS, Verdict, verdict
from tests.conftest import SMALL_CODEBOOK
from tests.reliability.view_window import FIRST, SECOND, build_study, open_window, sentences

ALPHA, VERDICT, KAPPA = (VARIABLE_COLUMNS.index(c) for c in ("Alpha", "Verdict", "Kappa"))


@pytest.fixture
def project(tmp_path: Path):
    with Project(tmp_path / "study.annotator", create=True, codebook=SMALL_CODEBOOK) as opened:
        yield opened


def open_view(qtbot, window):  # type: ignore[no-untyped-def]
    """Team -> Reliability, recording the thread the agreement job runs on."""
    ran_on: list[threading.Thread] = []
    job = window.workspace.agreement

    def recorded(coders, unfinished, cancel):  # type: ignore[no-untyped-def]
        ran_on.append(threading.current_thread())
        return job(coders, unfinished, cancel)

    window.workspace.agreement = recorded
    window.actions["reliability"].trigger()
    dialog = window.reliability
    assert dialog.computing and "Computing…" in dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.computing, timeout=60_000)
    return dialog, ran_on


def test_the_view_computes_off_the_gui_thread_and_shows_the_services_figures(qtbot, project, tmp_path) -> None:
    build_study(project)
    window = open_window(qtbot, project, tmp_path / "settings.ini")
    dialog, ran_on = open_view(qtbot, window)

    assert ran_on and ran_on[0] is not threading.main_thread()
    assert [n for n, box in dialog.coder_boxes.items() if box.isChecked()] == ["alice", "bob"]  # not the PI
    assert "2 documents marked done by at least two of alice, bob" in dialog.status.text()
    report = compute_agreement(project, ["alice", "bob"])
    form = next(v for v in report.variables if v.name == "form")
    table = dialog.variables
    row = table.row_named("form")
    assert cell_text(table, row, ALPHA) == f"{form.alpha.alpha:.3f}"
    assert cell_text(table, row, KAPPA) == f"{form.kappa:.3f} (cohen)"
    assert cell_text(table, row, VERDICT) == verdict(form.alpha.alpha).text
    assert cell_text(table, table.row_named("claims (units)"), VARIABLE_COLUMNS.index("Units")) == "4"
    # a figure that cannot be computed shows why (nobody coded "amount")
    amount = next(v for v in report.variables if v.name == "amount")
    assert amount.alpha.alpha is None
    assert cell_text(table, table.row_named("amount"), VERDICT) == amount.alpha.note
    # the chart draws every variable of the table, and entity labels on the other tab
    assert [r.name for r in dialog.chart.rows] == [v.name for v in report.variables]
    dialog.tabs.setCurrentWidget(dialog.entities)
    assert [r.name for r in dialog.chart.rows] == ["all labels", "PERSON", "ORG", "LOCATION"]
    assert dialog.entities.rows[0].cells[1] == f"{report.entities.f1_exact:.3f}"


def test_thresholds_are_marked_with_shape_and_words_not_colour_alone() -> None:
    assert verdict(0.80) is Verdict.RELIABLE and verdict(0.7999) is Verdict.TENTATIVE
    assert verdict(0.667) is Verdict.TENTATIVE and verdict(0.6669) is Verdict.UNRELIABLE
    assert verdict(None) is Verdict.UNDEFINED
    marks = [(v.mark, v.words) for v in (Verdict.RELIABLE, Verdict.TENTATIVE, Verdict.UNRELIABLE)]
    assert len({m for m, _ in marks}) == 3
    assert [w for _, w in marks] == ["reliable ≥ .800", "tentative ≥ .667", "unreliable < .667"]


def test_a_disagreement_opens_its_document_at_its_place(qtbot, project, tmp_path) -> None:
    first, second = build_study(project)
    window = open_window(qtbot, project, tmp_path / "settings.ini")
    dialog, _ = open_view(qtbot, window)
    dialog.variables.setCurrentCell(dialog.variables.row_named("form"), 0)
    places = dialog.places
    start, end = sentences(SECOND)[1]
    assert places.rowCount() == 1 and "1 disagreement behind form" in dialog.places_caption.text()
    assert [places.item(0, c).text() for c in range(places.columnCount())] == [
        "Floods", SECOND[start:end], "demand", "statement",
    ]
    places.setCurrentCell(0, 0)
    qtbot.keyClick(places, Qt.Key.Key_Return)
    assert window.controller.document.id == second
    assert window.article.selected_range() == (start, end)
    assert "Coded here: alice demand · bob statement" in window.statusBar().currentMessage()

    # an entity label's disagreement: alice's LOCATION, bob's ORG on "Lahore"
    dialog.tabs.setCurrentWidget(dialog.entities)
    dialog.entities.setCurrentCell(dialog.entities.row_named("all labels"), 0)
    lahore = FIRST.index("Lahore")
    row = next(r for r in range(places.rowCount()) if places.item(r, 1).text() == "Lahore")
    assert [places.item(row, c).text() for c in (2, 3)] == ["LOCATION “Lahore”", "ORG “Lahore”"]
    places.open_row(row)
    assert window.controller.document.id == first
    assert window.article.selected_range() == (lahore, lahore + 6)


def test_options_recompute_and_unfinished_documents(qtbot, project, tmp_path) -> None:
    build_study(project)
    window = open_window(qtbot, project, tmp_path / "settings.ini")
    dialog, ran_on = open_view(qtbot, window)
    dialog.coder_boxes["bob"].setChecked(False)
    assert "Recompute to apply" in dialog.status.text()
    dialog.recompute.click()
    assert "at least two coders" in dialog.status.text() and not dialog.computing
    dialog.coder_boxes["bob"].setChecked(True)
    dialog.unfinished.setChecked(True)
    dialog.recompute.click()
    assert dialog.computing and not dialog.recompute.isEnabled()
    qtbot.waitUntil(lambda: not dialog.computing, timeout=60_000)
    assert len(ran_on) == 2 and dialog.result.report.include_unfinished
    assert "started or done" in dialog.status.text()


def test_under_blind_coding_only_the_pi_sees_the_figures(qtbot, project, tmp_path) -> None:
    build_study(project)
    with project.session() as session:
        CoderRepository(session).set_role("tester", CoderRole.CODER)
    window = open_window(qtbot, project, tmp_path / "settings.ini")
    window.actions["reliability"].trigger()
    assert getattr(window, "reliability", None) is None
    assert "only the PI can see how the coders agree" in window.statusBar().currentMessage()
