"""The codebook dialog's level of measurement for number and scale variables: it shows the
kind's default, a choice is saved with the codebook and comes back in the dialog and its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain.model import MeasurementLevel
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.reliability.view_window import open_window

SAVE = QDialogButtonBox.StandardButton.Save


@pytest.fixture
def project(tmp_path: Path):
    with Project(tmp_path / "study.annotator", create=True, codebook=SMALL_CODEBOOK) as opened:
        yield opened


def open_dialog(window):  # type: ignore[no-untyped-def]
    window.actions["codebook"].trigger()
    return window.codebooks.dialog


def choose(dialog, name: str) -> None:  # type: ignore[no-untyped-def]
    dialog.variables.setCurrentRow(next(i for i, f in enumerate(dialog.draft) if f.name == name))


def levels(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    return [dialog.form.level.itemText(i) for i in range(dialog.form.level.count())]


def level_shown(dialog) -> bool:  # type: ignore[no-untyped-def]
    return dialog.form.form.isRowVisible(dialog.form.level_row)


def test_a_chosen_level_round_trips_through_the_dialog(qtbot, project, tmp_path) -> None:
    window = open_window(qtbot, project, tmp_path / "settings.ini")
    dialog = open_dialog(window)
    choose(dialog, "position")  # a scale
    assert level_shown(dialog)
    assert levels(dialog) == ["ordinal (the scale default)", "interval", "ratio"]
    assert dialog.form.level.currentText() == "ordinal (the scale default)"
    choose(dialog, "amount")  # a number
    assert dialog.form.level.currentText() == "ratio (the number default)"
    choose(dialog, "form")
    assert not level_shown(dialog)  # categories are nominal: nothing to choose

    choose(dialog, "position")
    dialog.form.level.setCurrentIndex(dialog.form.level.findData("interval"))
    dialog.buttons.button(SAVE).click()
    assert not dialog.isVisible()
    with Project.open(project.path) as reopened:
        fields = {f.name: f for f in reopened.codebook().fields}
    assert fields["position"].level is MeasurementLevel.INTERVAL
    assert fields["position"].measurement_level is MeasurementLevel.INTERVAL
    assert fields["amount"].level is None  # the default is not written down

    dialog = open_dialog(window)
    choose(dialog, "position")
    assert dialog.form.level.currentText() == "interval"
    dialog.reject()
    out = tmp_path / "codebook.json"
    window.workspace.codebooks.export_json(out)
    exported = {v["name"]: v for v in json.loads(out.read_text(encoding="utf-8"))["claim_variables"]}
    assert exported["position"]["level"] == "interval" and "level" not in exported["amount"]


def test_the_default_follows_the_kind_and_a_chosen_level_stays(qtbot, project, tmp_path) -> None:
    window = open_window(qtbot, project, tmp_path / "settings.ini")
    dialog = open_dialog(window)
    dialog.add_variable()
    form = dialog.form
    form.name.setText("age")
    assert not level_shown(dialog)
    form.kind.setCurrentIndex(form.kind.findData("number"))
    assert level_shown(dialog) and form.level.currentText() == "ratio (the number default)"
    form.kind.setCurrentIndex(form.kind.findData("scale"))
    assert form.level.currentText() == "ordinal (the scale default)"
    form.level.setCurrentIndex(form.level.findData("interval"))
    form.kind.setCurrentIndex(form.kind.findData("number"))
    assert form.level.currentText() == "interval"  # chosen, not a default: it stays
    assert form.field().level is MeasurementLevel.INTERVAL
    form.kind.setCurrentIndex(form.kind.findData("text"))
    assert not level_shown(dialog) and form.field().level is None
    dialog.reject()
