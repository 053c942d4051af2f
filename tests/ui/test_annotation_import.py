"""File -> Import Annotations, and Import Files given another tool's annotated files: they
land in a coder's layer on the worker thread, and what was refused is shown."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.domain.model import SpanStatus
from annotator.storage.repositories import DocumentRepository, SpanRepository
from annotator.ui.interchange.import_dialog import DETECT, AnnotatedImportChoice, AnnotatedImportDialog

TEXT = "Ayesha Khan met 😀 officials in Lahore."


def brat_folder(root: Path) -> Path:
    folder = root / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    start = TEXT.index("Lahore")
    (folder / "a.ann").write_text(
        f"T1\tPERSON 0 11\tAyesha Khan\nT2\tLOCATION {start} {start + 6}\tLahore\n"
        "T3\tPARTY 12 15\tmet\n", encoding="utf-8")
    return folder


def layer_of(project, text: str) -> set[tuple[str, str, str | None, SpanStatus]]:  # type: ignore[no-untyped-def]
    with project.read_session() as session:
        documents = DocumentRepository(session)
        found = next(i for i in documents.ids() if documents.get(i).text == text)
        return {(s.text, s.label, s.annotator, s.status) for s in SpanRepository(session).for_document(found)}


def test_import_annotations_lands_in_the_chosen_layer_and_lists_what_was_refused(
    qtbot, window, tmp_path
) -> None:
    folder = brat_folder(tmp_path)
    window.prompts.answers["annotated_import"] = AnnotatedImportChoice((folder,), None, "ayesha", False)
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["import_annotations"].trigger()
    # PARTY is not a label of the codebook: the document is refused whole, and the label named
    assert any("PARTY" in text for _, text in window.prompts.informed)
    assert "refused 1" in window.statusBar().currentMessage()

    window.prompts.answers["annotated_import"] = AnnotatedImportChoice((folder,), "brat", "ayesha", True)
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["import_annotations"].trigger()
    assert "1 new document(s)" in window.statusBar().currentMessage()
    got = layer_of(window.workspace.project, TEXT)
    assert ("Lahore", "LOCATION", "ayesha", SpanStatus.ACCEPTED) in got
    assert ("Ayesha Khan", "PERSON", "ayesha", SpanStatus.ACCEPTED) in got
    assert ("met", "PARTY", "ayesha", SpanStatus.ACCEPTED) in got


def test_import_files_given_a_doccano_file_keeps_its_annotations(qtbot, window, tmp_path) -> None:
    path = tmp_path / "coded.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": [[0, 11, "PERSON"]]}) + "\n", encoding="utf-8")
    window.prompts.answers["files_to_import"] = [path]
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["import_files"].trigger()
    assert "Imported doccano into imported's layer: 1 new document(s)" in window.statusBar().currentMessage()
    assert layer_of(window.workspace.project, TEXT) == {
        ("Ayesha Khan", "PERSON", "imported", SpanStatus.ACCEPTED)}


def test_the_dialog_offers_every_format_and_needs_files(qtbot, tmp_path) -> None:
    dialog = AnnotatedImportDialog(["brat", "doccano"], "imported", tmp_path)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.set_paths([tmp_path / "a.ann"])
    assert ok.isEnabled()
    assert [dialog.format.itemText(i) for i in range(dialog.format.count())] == [DETECT, "brat", "doccano"]
    dialog.format.setCurrentText("doccano")
    dialog.coder.setText("  ")
    dialog.add_labels.setChecked(True)
    assert dialog.choice() == AnnotatedImportChoice((tmp_path / "a.ann",), "doccano", "imported", True)
