"""Every question the app asks in a dialog, behind one object that tests replace.

Modal dialogs block a test (or a screenshot run) forever, so nothing else in the UI opens
one: the window asks its ``Prompts``, and tests pass a subclass whose answers are canned.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from annotator import __version__
from annotator.services.export import ExportOptions
from annotator.ui.documents.details_dialog import DetailsEdit, DetailsRequest, DocumentDetailsDialog
from annotator.ui.export.export_dialog import ExportChoice, ExportDialog
from annotator.ui.shell.file_locations import FileLocations
from annotator.ui.shell.settings import AppSettings

PROJECT_FILTER = "Annotator projects (*.annotator)"
CODEBOOK_FILTER = "Codebooks (*.json);;All files (*)"
IMPORT_FILTER = (
    "Articles (*.txt *.md *.html *.htm *.docx *.pdf *.csv *.xlsx *.jsonl);;All files (*)"
)


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

    def project_to_open(self) -> Path | None:
        start = str(self.locations.start("projects"))
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open Project", start, PROJECT_FILTER)
        return self._chosen("projects", path)

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

    def export_choice(self, project_path: Path) -> ExportChoice | None:
        dialog = ExportDialog(project_path, self.parent, self.locations.start("export"))
        choice = dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        if choice is not None:
            self.locations.remember("export", choice.target.parent)
        return choice

    def document_details(self, request: DetailsRequest) -> DetailsEdit | None:
        dialog = DocumentDetailsDialog(request, self.parent)
        return dialog.edit() if dialog.exec() == QDialog.DialogCode.Accepted else None

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


class CannedPrompts(Prompts):
    """Answers without asking: for tests and screenshot mode (nothing may block there)."""

    def __init__(self, coder: str | None = "tester", **answers: object) -> None:
        super().__init__(None)
        self.coder = coder
        self.answers = answers
        self.errors: list[tuple[str, str]] = []
        self.asked: list[tuple[str, int]] = []  # codebook changes confirmed or declined
        self.informed: list[tuple[str, str]] = []
        self.details_asked: list[DetailsRequest] = []

    def coder_name(self, current: str | None) -> str | None:
        return self.coder

    def project_to_open(self) -> Path | None:
        return self.answers.get("project_to_open")  # type: ignore[return-value]

    def project_to_create(self) -> Path | None:
        return self.answers.get("project_to_create")  # type: ignore[return-value]

    def files_to_import(self) -> list[Path]:
        return list(self.answers.get("files_to_import", []))  # type: ignore[call-overload]

    def folder_to_import(self) -> Path | None:
        return self.answers.get("folder_to_import")  # type: ignore[return-value]

    def export_choice(self, project_path: Path) -> ExportChoice | None:
        """``export_choice``, or just an ``export_target`` exported with default options."""
        choice = self.answers.get("export_choice")
        target = self.answers.get("export_target")
        if choice is None and target is not None:
            options = ExportOptions(format="csv" if Path(str(target)).suffix == "" else "xlsx")
            choice = ExportChoice(Path(str(target)), options)
        return choice  # type: ignore[return-value]

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

    def confirm_create(self, path: Path) -> bool:
        return bool(self.answers.get("confirm_create", False))

    def error(self, title: str, message: str) -> None:
        self.errors.append((title, message))

    def about(self) -> None:
        pass
