"""First steps: key hints for the task at hand, file dialogs that start somewhere sensible, and
an undo that says what it covers when there is nothing to undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QToolButton

from annotator.app import make_workspace
from annotator.domain.model import Codebook, DocumentStatus, Label
from annotator.services.browse import Browser
from annotator.services.claims import ClaimCoding
from annotator.services.demo import create_demo_project
from annotator.services.project import Project
from annotator.ui.shell.dialogs import CannedPrompts, Prompts
from annotator.ui.shell.file_locations import FileLocations, documents_folder
from annotator.ui.shell.hint_strip import label_keys
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from annotator.ui.shell.undo_actions import NOTHING_TO_UNDO
from tests.ui.conftest import add_document
from tests.ui.helpers import key

CTRL = Qt.KeyboardModifier.ControlModifier


def hints(window: MainWindow) -> str:
    return window.hints.label.text()


# -- key hints -------------------------------------------------------------------------------


def test_the_hints_follow_the_task_at_hand(qtbot, window, project, article) -> None:
    assert window.hints.isVisible()
    text = hints(window)
    assert "<b>N</b>" in text and "next suggestion" in text and "<b>1–3</b>" in text  # PERSON, ORG, LOCATION
    assert "<b>Ctrl+Enter</b>" in text and "<b>C</b>" in text and "<b>S</b>" in text

    key(qtbot, window.article, Qt.Key.Key_N)  # an entity is selected: its keys
    text = hints(window)
    assert "<b>Enter</b>" in text and "accept" in text and "<b>X</b>" in text and "relabel" in text
    assert "next suggestion" not in text

    key(qtbot, window.article, Qt.Key.Key_Escape)
    window.side_tabs.setCurrentWidget(window.claims_tab)  # the claims tab: claim keys
    text = hints(window)
    assert "make it a claim" in text and "select the sentence" in text

    ClaimCoding(project, coder="tester").create(article, 0, 18)
    window.open_document(article)
    window.claim_controller.select(window.claim_controller.ordered()[0].id)
    window.side_tabs.setCurrentWidget(window.claims_tab)
    assert "code the claim" in hints(window)
    window.claims_tab.start_coding()  # the keyboard in the editor: the editor's keys
    qtbot.waitUntil(lambda: "next variable" in hints(window), timeout=2000)


def test_with_no_document_the_hints_say_how_to_import(qtbot, window) -> None:
    window.open_document(None)
    assert "<b>Ctrl+I</b>" in hints(window) and "drop files" in hints(window)


def test_a_message_covers_the_hints_for_a_while_then_they_return(qtbot, window) -> None:
    window.show_message("Accepted 'Shehbaz Sharif'")
    assert not window.hints.isVisible()
    window.statusBar().clearMessage()
    assert window.hints.isVisible()


def test_hidden_hints_stay_hidden_at_the_next_start(qtbot, window, project, settings) -> None:
    window.hints.findChild(QToolButton, "hideHints").click()
    assert not window.hints.isVisible() and not window.actions["key_hints"].isChecked()
    assert settings.key_hints() is False
    window.close()
    again = MainWindow(make_workspace(project, "tester"), settings, CannedPrompts())
    qtbot.addWidget(again)
    again.show()
    assert not again.hints.isVisible()
    again.actions["key_hints"].trigger()  # View → Key Hints
    assert again.hints.isVisible() and settings.key_hints() is True
    again.close()


def test_label_keys_are_shown_as_a_range_when_they_run_on() -> None:
    nine = Codebook(labels=tuple(Label(f"L{i}", "#000000", shortcut=str(i)) for i in range(1, 10)))
    assert label_keys(nine) == "1–9"
    odd = Codebook(labels=(Label("A", "#000000", shortcut="1"), Label("B", "#000000", shortcut="5")))
    assert label_keys(odd) == "1, 5"
    assert label_keys(Codebook()) == ""


# -- file dialogs ----------------------------------------------------------------------------


def test_file_dialogs_start_in_documents_then_in_the_last_folder_of_their_kind(tmp_path: Path) -> None:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    locations = FileLocations(settings)
    assert locations.start("import") == documents_folder()
    articles = tmp_path / "articles"
    articles.mkdir()
    locations.remember("import", articles / "one.docx")
    assert locations.start("import") == articles
    assert locations.start("export") == documents_folder()  # each kind its own folder
    again = FileLocations(AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    assert again.start("import") == articles  # remembered across starts
    articles.rmdir()
    assert again.start("import") == documents_folder()  # a folder gone: back to Documents


def test_the_prompts_open_dialogs_in_the_remembered_folder(monkeypatch, tmp_path: Path) -> None:
    prompts = Prompts()
    seen: list[str] = []

    def open_names(_parent, _title, start, _filter):  # type: ignore[no-untyped-def]
        seen.append(start)
        return [str(tmp_path / "batch" / "a.txt")], ""

    def open_name(_parent, _title, start, _filter):  # type: ignore[no-untyped-def]
        seen.append(start)
        return "", ""

    (tmp_path / "batch").mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_names)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    assert prompts.files_to_import() == [tmp_path / "batch" / "a.txt"]
    prompts.files_to_import()
    assert seen == [str(documents_folder()), str(tmp_path / "batch")]
    assert prompts.codebook_file_to_import() is None  # cancelled: nothing remembered
    assert seen[-1] == str(documents_folder())


# -- undo when there is nothing to undo ------------------------------------------------------


def test_after_opening_undo_says_what_it_covers(qtbot, window, project, article) -> None:
    assert window.actions.undo.text() == "Nothing to &Undo"
    assert not window.actions.undo.isEnabled()
    assert "since this project was opened" in window.actions.undo.statusTip()
    key(qtbot, window.article, Qt.Key.Key_Z, CTRL)
    assert window.statusBar().currentMessage() == NOTHING_TO_UNDO

    key(qtbot, window.article, Qt.Key.Key_N)
    key(qtbot, window.article, Qt.Key.Key_X)  # reject: now there is something to undo
    assert window.actions.undo.text().startswith("&Undo Reject")
    window.statusBar().clearMessage()
    key(qtbot, window.article, Qt.Key.Key_Z, CTRL)  # Ctrl+Z undoes, it does not explain
    assert window.statusBar().currentMessage() != NOTHING_TO_UNDO
    assert window.actions.undo.text() == "Nothing to &Undo"
    assert window.actions.redo.text().startswith("&Redo Reject")


# -- the demo, and variables named as the form names them -------------------------------------


def test_the_demo_project_holds_the_four_articles_and_no_readme(tmp_path: Path) -> None:
    with create_demo_project(tmp_path / "Demo.annotator") as demo:
        titles = [s.title for s in Browser(demo).page()]
    assert len(titles) == 4
    assert not any("demo" in t.lower() or "readme" in t.lower() or "resources" in t.lower() for t in titles)


def test_missing_variables_are_named_as_the_form_names_them(qtbot, tmp_path: Path) -> None:
    with Project(tmp_path / "default.annotator", create=True) as default:  # the default codebook
        document = add_document(default, "The minister said taxes would fall.", "Taxes")
        ClaimCoding(default, coder="t").create(document, 0, 10)
        workspace = make_workspace(default, "t")
        window = MainWindow(workspace, AppSettings.in_memory(), CannedPrompts(), document=document)
        qtbot.addWidget(window)
        claim = window.claim_controller.ordered()[0]
        missing = window.claim_controller.missing(claim)
        assert "claimant type" in missing and "claimant_type" not in missing
        window.close()


def test_a_document_marked_done_in_an_earlier_session_can_be_reopened(qtbot, window, project, settings, article) -> None:
    window.mark_done_and_next()
    window.close()
    again = MainWindow(make_workspace(project, "tester"), settings, CannedPrompts(), document=article)
    qtbot.addWidget(again)
    assert again.controller.document.status is DocumentStatus.DONE
    assert not again.actions.undo.isEnabled()  # the mark is from an earlier session
    again.actions["reopen_document"].trigger()
    assert Browser(project).bundle(article).document.status is DocumentStatus.IN_PROGRESS
    assert "In progress" in again.header.meta.text()
    assert again.undo_stack.undoText() == "Reopen 'Talks in Islamabad'"
    again.undo_stack.undo()
    assert Browser(project).bundle(article).document.status is DocumentStatus.DONE
    again.close()
