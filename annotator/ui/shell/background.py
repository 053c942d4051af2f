"""The window's long jobs (pre-annotate, import, export), run by the one worker thread.

Results come back as plain values. Documents finished by the model are gathered and
announced in small batches, so a fast run of hundreds of documents refreshes the list a few
times a second instead of flooding the GUI thread with one refresh per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from threading import Event
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.domain.ids import DocumentId
from annotator.services.export import ExportOptions
from annotator.ui.common.worker import Task, TaskRunner
from annotator.ui.interchange.import_action import report_text
from annotator.ui.shell.workspace import Workspace

_BATCH_MS = 120
_COUNTED_SHEETS = ("Documents", "Entities", "Claims")


class BackgroundJobs(QObject):
    documents_processed = Signal(object)  # set of DocumentIds the model just finished
    documents_added = Signal(object)  # DocumentIds an import added
    message = Signal(str)
    report = Signal(str, str)  # title, text: worth more than a status message that fades

    def __init__(self, workspace: Workspace, runner: TaskRunner) -> None:
        super().__init__()
        self.workspace = workspace
        self.runner = runner
        self._processed: set[DocumentId] = set()
        self._flush_timer = QTimer(self, singleShot=True, interval=_BATCH_MS)
        self._flush_timer.timeout.connect(self._flush)

    # -- pre-annotation --------------------------------------------------------------------
    def preannotate(self, document_ids: Sequence[int] | None = None) -> Task:
        """Run the model on some documents, or (None) on every unprocessed one."""
        preannotator = self.workspace.preannotator
        ids = None if document_ids is None else list(document_ids)

        def job(cancel: Event):  # type: ignore[no-untyped-def]
            # Called on the worker thread: spaCy loads here, never on the GUI thread.
            return preannotator.run(document_ids=ids, cancel=cancel)

        name = "Pre-annotating this document" if ids is not None and len(ids) == 1 else "Pre-annotating"
        return self.runner.submit(
            Task(name, job, on_progress=self._on_processed, on_finished=self._on_preannotated,
                 on_failed=self._on_failed)
        )

    def _on_processed(self, step: object) -> None:
        self._processed.add(DocumentId(step.document_id))  # type: ignore[attr-defined]
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        if self._processed:
            done, self._processed = self._processed, set()
            self.documents_processed.emit(done)

    def _on_preannotated(self, summary: object) -> None:
        self._flush_timer.stop()
        self._flush()
        if summary is None:
            self.message.emit("Pre-annotation cancelled; finished documents keep their suggestions")
            return
        documents = summary.documents  # type: ignore[attr-defined]
        fallback = getattr(summary, "fallback", "")
        if fallback:  # the project's trained model is broken or gone: say so, not just fall back
            self.report.emit("Trained model not used", fallback)
        warnings = getattr(summary, "warnings", [])
        if warnings:
            self.report.emit("Patterns left out", "Pre-annotation ran without these codebook patterns:\n"
                             + "\n".join(warnings))
        stopped = getattr(summary, "stopped", "")
        if stopped:  # the disk is full: worth more than a status message that fades
            text = (
                f"{stopped}. Pre-annotation stopped after {documents:,} document(s), which keep "
                f"their suggestions; {summary.not_processed:,} were not processed. "  # type: ignore[attr-defined]
                "Free some space, then pre-annotate again to continue."
            )
            self.report.emit("Pre-annotation stopped", text)
            self.message.emit(text)
            return
        failed = getattr(summary, "failed", [])
        if failed:  # a document spaCy could not read: named, left for the next run
            lines = [f"document {skip.document_id}: {skip.reason}" for skip in failed]
            self.report.emit("Documents skipped", "Pre-annotation skipped these documents, which stay "
                             "unprocessed; the others were processed:\n\n" + "\n".join(lines[:20]))
        if documents == 0 and not failed:
            self.message.emit("Every document is already pre-annotated with the current model and patterns")
            return
        skipped = f"; {len(failed):,} skipped: spaCy could not read them" if failed else ""
        self.message.emit(
            f"Pre-annotated {documents:,} document{'s' if documents != 1 else ''} with "
            f"{summary.model_name}: {summary.suggestions:,} suggestions{skipped}"  # type: ignore[attr-defined]
        )

    # -- import ----------------------------------------------------------------------------
    def import_paths(self, paths: Sequence[Path]) -> Task | None:
        if not paths:
            return None
        importer = self.workspace.import_paths
        chosen = list(paths)
        return self.runner.submit(
            Task("Importing", lambda cancel: importer(chosen, cancel), on_finished=self._on_imported,
                 on_failed=self._on_failed)
        )

    def _on_imported(self, report: object) -> None:
        if report is None:
            self.message.emit("Import cancelled; the files imported so far are kept")
            self.documents_added.emit([])
            return
        r: Any = report
        if hasattr(r, "label_lines"):  # another tool's annotated files (File -> Import Files)
            self._on_annotated(r)
            return
        added, failed, skipped, warned = r.imported_documents, r.failed, r.skipped, r.warned
        text = f"Imported {added:,} document{'s' if added != 1 else ''}"
        if r.duplicate_documents:
            text += f", skipped {r.duplicate_documents:,} already in the project"
        if skipped:
            text += f", left out {len(skipped):,} link(s) to outside the folder"
        if warned:
            text += f"; {len(warned)} file(s) with warnings"
        if failed:
            text += f"; {len(failed)} file(s) failed: " + "; ".join(
                f"{Path(f.path).name}: {f.reason}" for f in failed[:3]
            )
        if r.stopped:  # the disk is full
            text = f"{r.stopped}: the import stopped. {text}"
            self.report.emit(
                "The import stopped",
                _import_report(text, [*failed, *skipped], warned)
                + f"\n\n{len(r.not_tried):,} more file(s) were not tried. Free some space, then "
                "import again: the files already imported are skipped.",
            )
        elif failed or skipped:
            listing = _import_report(text, [*failed, *skipped], warned)
            self.report.emit("Some files were not imported", listing)
        elif warned:
            self.report.emit("Some files needed repairs", _import_report(text, failed, warned))
        elif added:
            text += " · Annotate → Pre-annotate Unprocessed Documents adds suggestions"
        self.documents_added.emit(r.document_ids)
        self.message.emit(text)

    def _on_annotated(self, r: Any) -> None:
        self.documents_added.emit([])
        self.message.emit(r.summary())
        details = report_text(r)
        if details:
            self.report.emit("Annotations imported", details)

    # -- export ----------------------------------------------------------------------------
    def export(self, target: Path, options: ExportOptions) -> Task | None:
        """Export on the worker thread; the task bar shows "Exporting Entities: 20,000 rows"."""
        exporter = self.workspace.export
        if exporter is None:
            return None
        return self.runner.submit(
            Task("Exporting", lambda cancel: exporter(target, options, cancel),
                 on_finished=lambda summary: self._on_exported(target, summary),
                 on_failed=self._on_failed)
        )

    def _on_exported(self, target: Path, summary: object) -> None:
        if summary is None:  # stopped between two progress steps
            self.message.emit("Export cancelled; nothing was written")
            return
        files = getattr(summary, "files", {})
        if files:
            self.message.emit(f"Exported to {target}: {len(files)} CSV files")
            return
        rows = getattr(summary, "rows", {})
        detail = ", ".join(f"{name} {count:,}" for name, count in rows.items() if name in _COUNTED_SHEETS)
        self.message.emit(f"Exported to {target}" + (f" ({detail} rows)" if detail else ""))

    # -- save a copy -----------------------------------------------------------------------
    def save_copy(self, target: Path) -> Task | None:
        """File -> Save a Copy, on the worker thread: a big project takes a few seconds."""
        copier = self.workspace.save_copy
        if copier is None:
            return None
        return self.runner.submit(
            Task("Saving a copy", lambda cancel: copier(target, cancel),
                 on_finished=lambda summary: self._on_copied(target, summary),
                 on_failed=self._on_failed)
        )

    def _on_copied(self, target: Path, summary: object) -> None:
        if summary is None:
            self.message.emit("Save a Copy cancelled; nothing was written")
        else:
            self.message.emit(f"Saved a copy of the project as {target}")

    def _on_failed(self, message: str) -> None:
        self._flush()
        self.message.emit(message[:1].upper() + message[1:])


_LISTED_FAILURES = 40


def _import_report(summary: str, failed: Sequence[object], warned: Sequence[object]) -> str:
    """Every file that failed and why, then what was repaired in the files that were imported
    (the status bar has room for three, for five seconds)."""
    parts = [summary.split(";")[0] + "."]
    if failed:
        lines = [f"{r.path}: {r.reason}" for r in failed]  # type: ignore[attr-defined]
        parts.append("These files were not imported:\n\n" + _listed(lines))
    if warned:
        lines = [f"{r.path}: {w}" for r in warned for w in r.warnings]  # type: ignore[attr-defined]
        parts.append("These files were imported with repairs:\n\n" + _listed(lines))
    return "\n\n".join(parts)


def _listed(lines: list[str]) -> str:
    shown = lines[:_LISTED_FAILURES]
    if len(lines) > _LISTED_FAILURES:
        shown.append(f"… and {len(lines) - _LISTED_FAILURES:,} more")
    return "\n".join(shown)

