"""File -> Merge Coder's Work: bring coders' packages back into the open project.

The merge runs on the worker thread (hundreds of documents take a second or two); what it
did, or why it was refused (another study, a diverged codebook: nothing is merged then),
is shown in a message, and the document list and the open document are read again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.domain.packages import MergeReport
from annotator.ui.common.worker import Task

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


def merge_coders_work(window: MainWindow) -> Task | None:
    merger = window.workspace.merge_packages
    if merger is None:
        window.show_message("Merging coders' work is not available here")
        return None
    paths = window.prompts.packages_to_merge()
    if not paths:
        return None
    return window.runner.submit(Task(
        "Merging coders' work", lambda cancel: merger(paths, cancel),
        on_finished=lambda report: _merged(window, report),
        on_failed=lambda message: _refused(window, message),
    ))


def _merged(window: MainWindow, report: MergeReport | None) -> None:
    if report is None:
        window.show_message("Merge cancelled; nothing was merged")
        return
    # Entities and claims of the merged layers have new ids: older undo steps name the old ones.
    window.undo_stack.clear()
    window.document_model.reload()
    current = window.controller.document
    window.open_document(current.id if current is not None else window.workspace.browser.first_document())
    count = len(report.packages)
    window.prompts.inform("Coders' work merged", f"Merged {count} package{'s' if count != 1 else ''}:\n\n"
                          + report.describe())
    window.show_message(f"Merged {count} package{'s' if count != 1 else ''}")


def _refused(window: MainWindow, message: str) -> None:
    window.prompts.error("Nothing was merged", readable(message))
    window.show_message("Nothing was merged")


def readable(message: str) -> str:
    """The refusal's one line, laid out for a dialog: each package and each codebook
    difference on a line of its own."""
    text = message[:1].upper() + message[1:]
    text = text.replace(" | ", "\n\n").replace("nothing was merged: ", "nothing was merged:\n• ")
    text = text.replace("; ", "\n• ")
    return text.replace(
        " (give both the same codebook with `annotator codebook export` and `import`,",
        "\n\n(Give both the same codebook with File → Export Codebook… and Import Codebook…,",
    )
