"""Entity labels in the codebook dialog: add, rename, recolour, key, spaCy labels, order, remove."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain.model import Pattern
from annotator.services.project import Project
from annotator.storage.repositories import CodebookRepository
from tests.ui.helpers import stored_spans
from tests.ui.test_codebook_dialog import open_dialog

SAVE = QDialogButtonBox.StandardButton.Save


def choose_label(dialog, name: str) -> None:
    page = dialog.labels
    page.list.setCurrentRow(next(i for i, lb in enumerate(page.draft) if lb.name == name))


def stored_codebook(project_path: Path):
    with Project.open(project_path) as project:
        return project.codebook()


def test_labels_are_added_renamed_recoloured_rekeyed_remapped_and_reordered(
    qtbot, window, project, project_path, article
) -> None:
    with project.session() as session:
        CodebookRepository(session).add_pattern(Pattern("ORG", "Finance Ministry"))
    dialog = open_dialog(window)
    assert dialog.tabs.tabText(0) == "Entity labels"
    assert [dialog.labels.list.item(i).text() for i in range(3)] == [
        "[1] PERSON  · 2 entities", "[2] ORG", "[3] LOCATION  · 2 entities",
    ]
    choose_label(dialog, "ORG")
    form = dialog.labels.form
    form.name.clear()
    qtbot.keyClicks(form.name, "ORGANISATION")  # the claimant variable's link and the pattern follow
    form.palette_buttons[7].click()  # pink
    form.key.clear()
    qtbot.keyClicks(form.key, "o")
    form.spacy_boxes["NORP"].setChecked(True)
    dialog.labels.move_label(-1)  # ORGANISATION first
    dialog.labels.add_label()
    qtbot.keyClicks(form.name, "EVENT")
    form.spacy_boxes["EVENT"].setChecked(True)
    assert dialog.error.text() == ""
    dialog.tabs.setCurrentIndex(1)
    assert [dialog.form.entity_labels.item(i).text() for i in range(4)] == [
        "ORGANISATION", "PERSON", "LOCATION", "EVENT",
    ]
    dialog.buttons.button(SAVE).click()
    assert not dialog.isVisible()

    codebook = stored_codebook(project_path)
    assert [(lb.name, lb.color, lb.shortcut, lb.spacy_labels) for lb in codebook.labels] == [
        ("ORGANISATION", "#FFAABB", "o", ("ORG", "NORP")),
        ("PERSON", "#0072B2", "1", ("PERSON",)),
        ("LOCATION", "#009E73", "3", ("GPE", "LOC", "FAC")),
        ("EVENT", "#77AADD", "2", ("EVENT",)),  # the first palette colour no label has
    ]
    assert codebook.field("claimant").entity_labels == ("ORGANISATION", "PERSON")  # in label order
    assert [p.label for p in codebook.patterns] == ["ORGANISATION"]
    assert set(window.actions.label_actions) == {"ORGANISATION", "PERSON", "LOCATION", "EVENT"}
    assert window.actions.label_actions["ORGANISATION"].shortcut().toString() == "O"


def test_broken_rules_show_at_once_and_block_saving(qtbot, window, project_path) -> None:
    dialog = open_dialog(window)
    form = dialog.labels.form
    choose_label(dialog, "ORG")
    form.key.clear()
    qtbot.keyClicks(form.key, "1")
    assert dialog.error.text() == "The key '1' is given to PERSON and ORG"
    form.key.clear()
    qtbot.keyClicks(form.key, "n")
    assert dialog.error.text() == "Label ORG: the key n is taken by Next Suggestion"
    form.key.clear()
    form.spacy_boxes["PERSON"].setChecked(True)
    assert dialog.error.text() == "The spaCy label 'PERSON' is given to PERSON and ORG"
    form.spacy_boxes["PERSON"].setChecked(False)
    form.name.clear()
    qtbot.keyClicks(form.name, "PERSON")
    assert "appears twice" in dialog.error.text()
    dialog.buttons.button(SAVE).click()
    assert dialog.isVisible()
    assert [lb.name for lb in stored_codebook(project_path).labels] == ["PERSON", "ORG", "LOCATION"]
    dialog.reject()


def test_a_label_in_use_is_removed_only_by_moving_its_entities(qtbot, window, project_path, article) -> None:
    dialog = open_dialog(window)
    choose_label(dialog, "LOCATION")
    assert dialog.labels.remove_label() == "LOCATION is kept: 2 entities use it."  # declined
    assert window.prompts.asked[-1] == ("remove label LOCATION", 2)
    assert "LOCATION" in dialog.labels.names()

    window.prompts.answers["label_for_entities"] = "ORG"
    assert dialog.labels.remove_label() is None
    assert dialog.labels.names() == ["PERSON", "ORG"]
    assert dialog.labels.list.item(1).text() == "[2] ORG  · 2 entities"
    dialog.buttons.button(SAVE).click()
    assert not dialog.isVisible()
    assert [lb.name for lb in stored_codebook(project_path).labels] == ["PERSON", "ORG"]
    labels = {s.text: s.label for s in stored_spans(project_path, article)}
    assert labels == {"Shehbaz Sharif": "PERSON", "Asim Munir": "PERSON", "Islamabad": "ORG", "Lahore": "ORG"}


def test_an_unused_label_is_removed_at_once(qtbot, window, project_path) -> None:
    dialog = open_dialog(window)
    choose_label(dialog, "ORG")
    assert dialog.labels.remove_label() is None
    assert window.prompts.asked == []
    dialog.buttons.button(SAVE).click()
    assert [lb.name for lb in stored_codebook(project_path).labels] == ["PERSON", "LOCATION"]
    assert stored_codebook(project_path).field("claimant").entity_labels == ("PERSON",)


def test_a_codebook_file_that_would_replace_everything_is_imported_only_when_confirmed(
    qtbot, window, project_path, tmp_path: Path
) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"labels": [{"name": "ACTOR", "shortcut": "1"}]}), encoding="utf-8")
    window.prompts.answers["codebook_file_to_import"] = path
    window.actions["import_codebook"].trigger()
    message, _ = window.prompts.asked[-1]
    assert "has none of the project's 3 labels and none of its 8 claim variables" in message
    assert window.statusBar().currentMessage() == "Codebook not imported: the project's codebook is unchanged"
    assert len(stored_codebook(project_path).labels) == 3

    window.prompts.answers["confirm_replace_codebook"] = True
    window.actions["import_codebook"].trigger()
    # labels with entities are kept: only ORG goes
    assert [lb.name for lb in stored_codebook(project_path).labels] == ["ACTOR", "PERSON", "LOCATION"]


def test_a_hostile_codebook_file_is_one_line_in_the_status_bar(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"labels": [{"name": "PERSON", "spacy_labels": "PERSON"}]}), encoding="utf-8")
    window.prompts.answers["codebook_file_to_import"] = path
    window.actions["import_codebook"].trigger()
    assert window.statusBar().currentMessage() == (
        f"{path}: labels[0].spacy_labels must be a list of spaCy labels, such as [\"PERSON\"], got 'PERSON'"
    )
