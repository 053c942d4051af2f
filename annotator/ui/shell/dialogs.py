"""Every question the app asks in a dialog, behind one object that tests replace.

Modal dialogs block a test (or a screenshot run) forever, so nothing else in the UI opens
one: the window asks its ``Prompts``, and tests pass a subclass whose answers are canned.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from annotator import __version__
from annotator.domain.location import ServerLocation
from annotator.services.export import ExportOptions
from annotator.ui.documents.details_dialog import DetailsEdit, DetailsRequest, DocumentDetailsDialog
from annotator.ui.export.export_dialog import ExportChoice, ExportDialog
from annotator.ui.interchange.import_dialog import AnnotatedImportChoice, AnnotatedImportDialog
from annotator.ui.shell.file_locations import FileLocations
from annotator.ui.shell.settings import AppSettings

PROJECT_FILTER = "Annotator projects (*.annotator)"
CODEBOOK_FILTER = "Codebooks (*.json);;All files (*)"
IMPORT_FILTER = (
    "Articles (*.txt *.md *.html *.htm *.docx *.rtf *.odt *.pdf *.csv *.xlsx *.jsonl *.rss *.xml);;"
    "All files (*)"
)


class DoneAnswer(StrEnum):
    """What to do with a document whose claims are unfinished, when asked to mark it done."""

    DONE = "done"  # mark it done anyway
    GO = "go"  # go to the first unfinished claim instead
    CANCEL = "cancel"  # leave it as it is


def default_coder_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


class Prompts:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        #: Where file dialogs start; the window hands in one backed by the user's settings.
        self.locations = FileLocations(AppSettings.in_memory())

    def coder_name(self, current: str | None) -> str | None:
        name, ok = QInputDialog.getText(
            self.parent,
            "Your name",
            "Annotator records who made each decision.\nYour name (or initials):",
            QLineEdit.EchoMode.Normal,
            current or default_coder_name(),
        )
        return name.strip() if ok and name.strip() else None

    def choose_coder(self, coders: list[str], suggested: str, name: str) -> str | None:
        """Several coders work in this project: which of them is at the keyboard (or a new one)."""
        chosen, ok = QInputDialog.getItem(
            self.parent, "Who is coding?",
            "This project has several coders, each coding in their own layer.\n"
            "Choose your name, or type a new one:",
            coders, coders.index(suggested) if suggested in coders else 0, True,
        )
        return chosen.strip() if ok and chosen.strip() else None

    def coder_to_view(self, coders: list[str], current: str) -> str | None:
        """Team -> View Coder's Work: whose layer to show (one's own name: back to editing)."""
        chosen, ok = QInputDialog.getItem(
            self.parent, "View Coder's Work",
            "Show this coder's work (read-only); your own name returns to your coding:",
            coders, coders.index(current) if current in coders else 0, False,
        )
        return chosen if ok and chosen else None

    def project_to_open(self) -> Path | None:
        start = str(self.locations.start("projects"))
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open Project", start, PROJECT_FILTER)
        return self._chosen("projects", path)

    def server_url(self, last: str = "") -> str | None:
        from annotator.ui.shell.server_open import ask_server_url

        return ask_server_url(self.parent, last)

    def server_password(self, location: ServerLocation, reason: str) -> str | None:
        from annotator.ui.shell.server_open import ask_password

        return ask_password(self.parent, location, reason)

    def project_to_create(self) -> Path | None:
        start = str(self.locations.start("projects") / "study.annotator")
        path, _ = QFileDialog.getSaveFileName(self.parent, "New Project", start, PROJECT_FILTER)
        chosen = self._chosen("projects", path)
        if chosen is None:
            return None
        return chosen if chosen.suffix == ".annotator" else chosen.with_name(chosen.name + ".annotator")

    def files_to_import(self) -> list[Path]:
        start = str(self.locations.start("import"))
        paths, _ = QFileDialog.getOpenFileNames(self.parent, "Import Files", start, IMPORT_FILTER)
        if paths:
            self._chosen("import", paths[0])
        return [Path(p) for p in paths]

    def folder_to_import(self) -> Path | None:
        start = str(self.locations.start("import"))
        path = QFileDialog.getExistingDirectory(self.parent, "Import Folder", start)
        if not path:
            return None
        self.locations.remember("import", Path(path).parent)  # next time: beside this folder
        return Path(path)

    def export_choice(self, project_path: Path, coders: Sequence[str] = ()) -> ExportChoice | None:
        dialog = ExportDialog(project_path, self.parent, self.locations.start("export"), coders)
        choice = dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        if choice is not None:
            self.locations.remember("export", choice.target.parent)
        return choice

    def document_details(self, request: DetailsRequest) -> DetailsEdit | None:
        dialog = DocumentDetailsDialog(request, self.parent)
        return dialog.edit() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def copy_target(self, project_path: Path) -> Path | None:
        """File -> Save a Copy: where to write it (the dialog itself asks before replacing)."""
        suggested = f"{project_path.stem} copy {date.today().isoformat()}.annotator"
        start = str(self.locations.start("projects") / suggested)
        path, _ = QFileDialog.getSaveFileName(self.parent, "Save a Copy", start, PROJECT_FILTER)
        chosen = self._chosen("projects", path)
        if chosen is None:
            return None
        return chosen if chosen.suffix == ".annotator" else chosen.with_name(chosen.name + ".annotator")

    def annotated_import_choice(self, formats: Sequence[str], coder: str) -> AnnotatedImportChoice | None:
        """File -> Import Annotations: files, format, and whose layer gets them."""
        dialog = AnnotatedImportDialog(formats, coder, self.locations.start("import"), self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        choice = dialog.choice()
        if choice.paths:
            self._chosen("import", str(choice.paths[0]))
        return choice

    def packages_to_merge(self) -> list[Path]:
        """File -> Merge Coder's Work: the coders' packages to bring back (several at once)."""
        start = str(self.locations.start("projects"))
        paths, _ = QFileDialog.getOpenFileNames(self.parent, "Merge Coder's Work", start, PROJECT_FILTER)
        if paths:
            self.locations.remember("projects", Path(paths[0]).parent)
        return [Path(p) for p in paths]

    def open_read_only(self, message: str) -> bool:
        """The project is open in another window: open it read-only here, or not at all."""
        box = read_only_question(message, self.parent)
        box.exec()
        return box.clickedButton() is box.defaultButton()

    def codebook_file_to_export(self, suggested: Path) -> Path | None:
        start = str(self.locations.start("codebook") / suggested.name)
        path, _ = QFileDialog.getSaveFileName(self.parent, "Export Codebook", start, CODEBOOK_FILTER)
        return self._chosen("codebook", path)

    def codebook_file_to_import(self) -> Path | None:
        start = str(self.locations.start("codebook"))
        path, _ = QFileDialog.getOpenFileName(self.parent, "Import Codebook", start, CODEBOOK_FILTER)
        return self._chosen("codebook", path)

    def _chosen(self, kind: str, path: str) -> Path | None:
        """The path a file dialog returned (None if cancelled); its folder is remembered."""
        if not path:
            return None
        self.locations.remember(kind, Path(path).parent)
        return Path(path)

    def confirm_codebook_change(self, summary: str, values_lost: int) -> bool:
        """Asked before a codebook change removes coded values; says how many will go."""
        noun = "coded value" if values_lost == 1 else "coded values"
        answer = QMessageBox.warning(
            self.parent,
            "Remove coded values?",
            f"This change removes {values_lost} {noun} from the claims. This cannot be undone.\n\n"
            f"{summary}\n\nSave the codebook anyway?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, title, message)

    def colour(self, current: str) -> str | None:
        """A label's colour, chosen freely (the codebook dialog also offers a palette)."""
        chosen = QColorDialog.getColor(QColor(current), self.parent, "Label colour")
        return chosen.name().upper() if chosen.isValid() else None

    def label_for_entities(self, label: str, entities: int, others: list[str]) -> str | None:
        """Asked before a label in use is removed: its entities move to the label chosen."""
        choice, ok = QInputDialog.getItem(
            self.parent,
            f"Remove {label}?",
            f"{entities:,} entit{'y has' if entities == 1 else 'ies have'} the label {label}. They are not "
            "deleted: they get the label you choose here when the codebook is saved.\n\n"
            f"Give the entities of {label} the label:",
            others, 0, False,
        )
        return choice if ok and choice else None

    def confirm_replace_codebook(self, message: str) -> bool:
        """Asked before a codebook file that shares nothing with the project replaces it all."""
        answer = QMessageBox.warning(
            self.parent, "Replace the whole codebook?",
            f"{message}.\n\nImport it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def confirm_create(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.parent,
            "Project not found",
            f"There is no project at\n{path}\n\nCreate a new, empty project there?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def error(self, title: str, message: str) -> None:
        QMessageBox.warning(self.parent, title, message)

    def confirm_done(self, summary: str) -> DoneAnswer:
        """Asked before a document with unfinished claims is marked done."""
        box = QMessageBox(QMessageBox.Icon.Question, "Mark done?", f"{summary}.\n\nMark done anyway?",
                          parent=self.parent)
        done = box.addButton("Mark Done Anyway", QMessageBox.ButtonRole.AcceptRole)
        go = box.addButton("Go to the First One", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.exec()
        clicked = box.clickedButton()
        return DoneAnswer.DONE if clicked is done else DoneAnswer.GO if clicked is go else DoneAnswer.CANCEL

    def about(self) -> None:
        QMessageBox.about(
            self.parent,
            "About Annotator",
            f"<h3>Annotator {__version__}</h3>"
            "<p>Read news articles, correct spaCy's named entities from the keyboard, "
            "tag claims and export the coding to Excel.</p>"
            "<p>Every change is saved as you make it. Entity colours follow Paul Tol's "
            "colour-blind-safe palette.</p>",
        )


def read_only_question(message: str, parent: QWidget | None = None) -> QMessageBox:
    """"NAME is open in another Annotator window (user@host, since …)": Open Read-Only / Cancel."""
    box = QMessageBox(QMessageBox.Icon.Information, "Project already open", message + ".", parent=parent)
    box.setInformativeText("You can open it read-only: read and export it here, but not change it.")
    read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    return box


class CannedPrompts(Prompts):
    """Answers without asking: for tests and screenshot mode (nothing may block there)."""

    def __init__(self, coder: str | None = "tester", **answers: object) -> None:
        super().__init__(None)
        self.coder = coder
        self.answers = answers
        self.errors: list[tuple[str, str]] = []
        self.asked: list[tuple[str, int]] = []  # codebook changes confirmed or declined
        self.informed: list[tuple[str, str]] = []
        self.offered_read_only: list[str] = []
        self.done_questions: list[str] = []  # "mark done anyway?" asked with these summaries
        self.details_asked: list[DetailsRequest] = []
        self.export_coders: list[str] = []  # the coders File -> Export offered last

    def coder_name(self, current: str | None) -> str | None:
        return self.coder

    def choose_coder(self, coders: list[str], suggested: str, name: str) -> str | None:
        self.asked.append((f"who is coding: {', '.join(coders)}", 0))
        return self.answers.get("choose_coder", suggested)  # type: ignore[return-value]

    def coder_to_view(self, coders: list[str], current: str) -> str | None:
        return self.answers.get("coder_to_view")  # type: ignore[return-value]

    def project_to_open(self) -> Path | None:
        return self.answers.get("project_to_open")  # type: ignore[return-value]

    def server_url(self, last: str = "") -> str | None:
        return self.answers.get("server_url")  # type: ignore[return-value]

    def server_password(self, location: ServerLocation, reason: str) -> str | None:
        self.asked.append((f"password: {reason}", 0))
        return self.answers.get("server_password")  # type: ignore[return-value]

    def project_to_create(self) -> Path | None:
        return self.answers.get("project_to_create")  # type: ignore[return-value]

    def files_to_import(self) -> list[Path]:
        return list(self.answers.get("files_to_import", []))  # type: ignore[call-overload]

    def folder_to_import(self) -> Path | None:
        return self.answers.get("folder_to_import")  # type: ignore[return-value]

    def annotated_import_choice(self, formats: Sequence[str], coder: str) -> AnnotatedImportChoice | None:
        return self.answers.get("annotated_import")  # type: ignore[return-value]

    def export_choice(self, project_path: Path, coders: Sequence[str] = ()) -> ExportChoice | None:
        """``export_choice``, or just an ``export_target`` exported with default options."""
        self.export_coders = list(coders)  # what the dialog would have offered
        choice = self.answers.get("export_choice")
        target = self.answers.get("export_target")
        if choice is None and target is not None:
            options = ExportOptions(format="csv" if Path(str(target)).suffix == "" else "xlsx")
            choice = ExportChoice(Path(str(target)), options)
        return choice  # type: ignore[return-value]

    def copy_target(self, project_path: Path) -> Path | None:
        return self.answers.get("copy_target")  # type: ignore[return-value]

    def packages_to_merge(self) -> list[Path]:
        return list(self.answers.get("packages_to_merge", []))  # type: ignore[call-overload]

    def open_read_only(self, message: str) -> bool:
        """Screenshots of a project open in the app show it read-only; tests may decline."""
        self.offered_read_only.append(message)
        return bool(self.answers.get("open_read_only", True))
    def document_details(self, request: DetailsRequest) -> DetailsEdit | None:
        """``document_details``: the edit to answer with (a dict), or None for Cancel."""
        self.details_asked.append(request)
        answer = self.answers.get("document_details")
        return dict(answer) if isinstance(answer, dict) else None

    def codebook_file_to_export(self, suggested: Path) -> Path | None:
        return self.answers.get("codebook_file_to_export")  # type: ignore[return-value]

    def codebook_file_to_import(self) -> Path | None:
        return self.answers.get("codebook_file_to_import")  # type: ignore[return-value]

    def confirm_codebook_change(self, summary: str, values_lost: int) -> bool:
        self.asked.append((summary, values_lost))
        return bool(self.answers.get("confirm_codebook_change", False))

    def inform(self, title: str, message: str) -> None:
        self.informed.append((title, message))

    def colour(self, current: str) -> str | None:
        return self.answers.get("colour")  # type: ignore[return-value]

    def label_for_entities(self, label: str, entities: int, others: list[str]) -> str | None:
        self.asked.append((f"remove label {label}", entities))
        return self.answers.get("label_for_entities")  # type: ignore[return-value]

    def confirm_replace_codebook(self, message: str) -> bool:
        self.asked.append((message, 0))
        return bool(self.answers.get("confirm_replace_codebook", False))

    def confirm_create(self, path: Path) -> bool:
        return bool(self.answers.get("confirm_create", False))

    def error(self, title: str, message: str) -> None:
        self.errors.append((title, message))

    def confirm_done(self, summary: str) -> DoneAnswer:
        self.done_questions.append(summary)
        return DoneAnswer(self.answers.get("confirm_done", DoneAnswer.CANCEL))

    def about(self) -> None:
        pass
