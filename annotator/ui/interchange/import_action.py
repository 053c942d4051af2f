"""File -> Import Annotations: runs on the worker thread; what landed, and every refused
file or line with its reason, is shown in one report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.services.interchange_import import NAMES
from annotator.ui.common.worker import Task

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow

_LISTED = 40


def import_annotations(window: MainWindow) -> Task | None:
    importer = window.workspace.import_annotated
    if importer is None:
        window.show_message("Importing annotations is not available here")
        return None
    choice = window.prompts.annotated_import_choice(NAMES, "imported")
    if choice is None or not choice.paths:
        return None
    return window.runner.submit(Task(
        "Importing annotations",
        lambda cancel: importer(list(choice.paths), choice.format, choice.coder, choice.add_labels, cancel),
        on_finished=lambda report: imported(window, report),
        on_failed=lambda message: window.prompts.error("Nothing was imported", message),
    ))


def imported(window: MainWindow, report: Any) -> None:
    """Show what an annotated import did, and the documents it added."""
    window.document_model.reload()
    current = window.controller.document
    window.open_document(current.id if current is not None else window.workspace.browser.first_document())
    window.show_message(report.summary())
    details = report_text(report)
    if details:
        window.prompts.inform("Annotations imported", details)


def report_text(report: Any) -> str | None:
    """The summary and every label, refused and skipped line (None: nothing to list)."""
    lines = [*report.label_lines(), *(f"refused {r}" for r in report.refused),
             *(f"skipped {s}" for s in report.skipped)]
    if not lines:
        return None
    shown = lines[:_LISTED]
    if len(lines) > _LISTED:
        shown.append(f"… and {len(lines) - _LISTED} more")
    return report.summary() + "\n\n" + "\n".join(shown)
