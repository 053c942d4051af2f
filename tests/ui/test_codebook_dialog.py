"""The codebook dialog and codebook files, from the window (no modal box: canned prompts)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain.model import FieldKind
from annotator.services.project import Project
from tests.ui.conftest import ARTICLE
from tests.ui.test_claims import stored_claims

SAVE = QDialogButtonBox.StandardButton.Save


def code_claims(window, forms: list[str]) -> None:
    """One claim per sentence start, each with a form (and the first with a note)."""
    controller = window.claim_controller
    for n, form in enumerate(forms):
        start = ARTICLE.index(("Prime", "Sharif said", "Later")[n])
        controller.create((start, start + 5))
        claim = controller.selected_claim()
        assert controller.set_value(claim.id, "form", form) is None
        if n == 0:
            controller.set_value(claim.id, "note", "kept")


def open_dialog(window):  # type: ignore[no-untyped-def]
    window.actions["codebook"].trigger()
    dialog = window.codebooks.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose(dialog, name: str) -> None:
    row = next(i for i, f in enumerate(dialog.draft) if f.name == name)
    dialog.variables.setCurrentRow(row)


def test_removing_a_coded_value_asks_first_with_the_count_and_only_then_removes(
    qtbot, window, article, project_path
) -> None:
    code_claims(window, ["demand", "demand", "statement"])
    dialog = open_dialog(window)
    choose(dialog, "form")
    assert dialog.variables.currentItem().text() == "form  · 3 coded"
    values = dialog.form.values
    values.setCurrentCell(1, 0)  # demand
    dialog.form.remove_value()
    dialog.buttons.button(SAVE).click()

    summary, lost = window.prompts.asked[-1]
    assert lost == 2
    assert "Value 'demand' removed from form: 2 coded values go." in summary
    assert dialog.isVisible()  # declined: nothing changed, the draft stays open
    assert "Not saved" in dialog.error.text()
    assert [c.values["form"] for c in stored_claims(project_path, article)] == ["demand", "demand", "statement"]

    window.prompts.answers["confirm_codebook_change"] = True
    dialog.buttons.button(SAVE).click()
    assert not dialog.isVisible()
    assert [c.values.get("form") for c in stored_claims(project_path, article)] == [None, None, "statement"]
    form_input = window.claims_tab.editor.inputs["form"]
    assert [form_input.itemText(i) for i in range(form_input.count())] == ["—", "[s] Statement"]
    assert window.undo_stack.count() == 0  # older edits named a value that is gone
    assert "2 coded values removed" in window.statusBar().currentMessage()
    assert window.document_model.summary_at(0).incomplete_claims == 3


def test_variables_are_added_renamed_reordered_and_removed(qtbot, window, article, project_path) -> None:
    code_claims(window, ["statement"])
    dialog = open_dialog(window)
    choose(dialog, "note")
    dialog.form.name.clear()
    qtbot.keyClicks(dialog.form.name, "memo")  # a rename keeps the coded notes
    for _ in range(3):
        dialog.move_variable(-1)  # memo goes first
    choose(dialog, "amount")
    dialog.remove_variable()  # nothing coded: no question
    dialog.add_variable()
    dialog.form.name.setText("")
    qtbot.keyClicks(dialog.form.name, "intensity")
    dialog.form.kind.setCurrentIndex(dialog.form.kind.findData("scale"))
    qtbot.keyClicks(dialog.form.minimum, "0")
    qtbot.keyClicks(dialog.form.maximum, "5")
    dialog.form.required.setChecked(True)
    assert dialog.variables.currentItem().text() == "intensity"
    dialog.buttons.button(SAVE).click()
    assert window.prompts.asked == []
    assert not dialog.isVisible()

    with Project.open(project_path) as reopened:
        fields = sorted(reopened.codebook().fields, key=lambda f: f.position)
    names = [f.name for f in fields]
    assert names[0] == "memo" and "note" not in names and "amount" not in names
    assert names[-1] == "intensity"
    intensity = fields[-1]
    assert (intensity.kind, intensity.minimum, intensity.maximum, intensity.required) == (
        FieldKind.SCALE, 0, 5, True
    )
    assert stored_claims(project_path, article)[0].values["memo"] == "kept"
    editor = window.claims_tab.editor
    assert list(editor.inputs) == names  # the editor follows, in the new order
    assert editor.inputs["intensity"].maximum() == 5
    assert "intensity" in window.claim_controller.missing(window.claim_controller.selected_claim())


def test_a_bad_bound_is_refused_in_the_dialog(qtbot, window) -> None:
    dialog = open_dialog(window)
    choose(dialog, "position")
    dialog.form.maximum.setText("")
    qtbot.keyClicks(dialog.form.maximum, "lots")
    dialog.buttons.button(SAVE).click()
    assert dialog.isVisible()
    assert "the maximum 'lots' is not a number" in dialog.error.text()
    dialog.reject()


def test_codebooks_are_exported_and_imported_as_json_from_the_file_menu(
    qtbot, window, article, tmp_path: Path
) -> None:
    code_claims(window, ["demand"])
    exported = tmp_path / "shared.json"
    window.prompts.answers["codebook_file_to_export"] = exported
    window.actions["export_codebook"].trigger()
    assert f"Codebook exported to {exported}" == window.statusBar().currentMessage()

    data = json.loads(exported.read_text(encoding="utf-8"))
    data["claim_variables"] = [v for v in data["claim_variables"] if v["name"] != "form"]  # in use: kept
    data["claim_variables"].append({"name": "tone", "kind": "single", "values": [
        {"code": "calm", "shortcut": "c"}, {"code": "angry", "shortcut": "a"}]})
    exported.write_text(json.dumps(data), encoding="utf-8")
    window.prompts.answers["codebook_file_to_import"] = exported
    window.actions["import_codebook"].trigger()

    title, what_changed = window.prompts.informed[-1]
    assert title == "Codebook imported from shared.json"
    assert "New variable tone (single)." in what_changed
    assert "tone" in window.claims_tab.editor.inputs
    assert "form" in window.claims_tab.editor.inputs  # coded values are never lost by an import
    assert window.claim_controller.selected_claim().values["form"] == "demand"
    assert window.claims_tab.editor.inputs["tone"].findText("[c] calm") == 1
    window.claims_tab.editor.inputs["tone"].setFocus()
    qtbot.keyClick(window.claims_tab.editor.inputs["tone"], Qt.Key.Key_A)
    assert window.claim_controller.selected_claim().values["tone"] == "angry"


def test_a_text_variable_is_made_a_memo_in_the_dialog(qtbot, window, project_path) -> None:
    dialog = open_dialog(window)
    choose(dialog, "note")
    assert dialog.form.multiline.isVisibleTo(dialog.form)
    dialog.form.multiline.setChecked(False)
    dialog.buttons.button(SAVE).click()
    with Project.open(project_path) as reopened:
        assert not reopened.codebook().field("note").multiline
    dialog = open_dialog(window)
    choose(dialog, "note")
    assert not dialog.form.multiline.isChecked()
    dialog.form.multiline.setChecked(True)
    choose(dialog, "form")  # a category variable has no memo box to offer
    assert not dialog.form.multiline.isVisibleTo(dialog.form)
    dialog.buttons.button(SAVE).click()
    with Project.open(project_path) as reopened:
        codebook = reopened.codebook()
        assert codebook.field("note").multiline and not codebook.field("form").multiline
