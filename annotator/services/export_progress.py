"""The export as a generator of progress steps, for the app's one worker thread.

``export_project`` reports progress through a callback, while the app's worker drives jobs
that *yield* their progress. A callback cannot yield on behalf of its caller, so the export
runs in a short-lived helper thread and hands each ``(sheet, rows)`` report over a queue;
the generator yields them on the worker thread and returns the summary (or re-raises the
export's error) once the helper is done.

Each report is a handoff: the helper waits until the generator has been resumed past it
before writing more rows. So when the worker stops a cancelled job at a step (closing the
generator), the export has not run ahead: the helper sees the cancel event, raises
``ExportCancelled`` and nothing is written.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from annotator.services.export import ExportCancelled, ExportOptions, ExportSummary, export_project
from annotator.services.project import Project

#: How long to wait for a report before checking whether the helper has finished.
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class ExportProgress:
    """One report: ``rows`` rows of ``sheet`` written so far."""

    sheet: str
    rows: int

    @property
    def text(self) -> str:
        return f"Exporting {self.sheet}: {self.rows:,} row{'' if self.rows == 1 else 's'}"


def export_steps(
    project: Project, out: Path, options: ExportOptions | None = None, cancel: Event | None = None
) -> Generator[ExportProgress, None, ExportSummary]:
    """Run ``export_project``, yielding its progress reports; return its summary."""
    cancel = cancel or Event()
    reports: queue.Queue[ExportProgress] = queue.Queue()
    passed_on = threading.Semaphore(0)
    outcome: dict[str, object] = {}

    def report(sheet: str, rows: int) -> None:  # on the helper thread
        reports.put(ExportProgress(sheet, rows))
        while not passed_on.acquire(timeout=_POLL_SECONDS):
            if cancel.is_set():
                raise ExportCancelled()
        if cancel.is_set():
            raise ExportCancelled()

    def run() -> None:
        try:
            outcome["summary"] = export_project(project, out, options, progress=report, cancel=cancel)
        except BaseException as exc:  # handed to the generator, which re-raises it where it runs
            outcome["error"] = exc

    helper = threading.Thread(target=run, name="annotator-export", daemon=True)
    helper.start()
    try:
        while helper.is_alive() or not reports.empty():
            try:
                step = reports.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
            yield step
            passed_on.release()
    finally:
        # Closed at a step (the worker stops a cancelled job there): stop the helper too and
        # wait for it, so that the export's temporary file is gone when we return.
        if helper.is_alive():
            cancel.set()
            helper.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["summary"]  # type: ignore[return-value]
