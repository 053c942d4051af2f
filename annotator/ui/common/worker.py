"""Long work off the GUI thread: one long-lived worker object on one ``QThread``.

Services do long work as generators that yield progress and return a result. The worker
drives such a generator on its own thread and re-emits each step as a signal; Qt queues the
signals to the GUI thread. What crosses is plain values: the service's progress records and
results (frozen dataclasses of ids, counts and strings), or an error message.

Everything the job touches heavy, such as the spaCy pipeline inside ``Preannotator``, is
created when the job first runs, so on the worker thread, and stays there.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from threading import Event
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from annotator.domain.errors import AnnotatorError

log = logging.getLogger(__name__)

Job = Callable[[Event], Generator[Any, None, Any]]


class GeneratorWorker(QObject):
    """Runs jobs one after another, on whatever thread it was moved to."""

    progress = Signal(int, object)  # task number, one yielded value
    finished = Signal(int, object)  # task number, the generator's return value (None if cancelled)
    failed = Signal(int, str)  # task number, a message for the reader

    @Slot(int, object, object)
    def run(self, number: int, job: Job, cancel: Event) -> None:
        if cancel.is_set():
            self.finished.emit(number, None)
            return
        try:
            generator = job(cancel)
            while True:
                try:
                    step = next(generator)
                except StopIteration as stop:
                    self.finished.emit(number, stop.value)
                    return
                self.progress.emit(number, step)
                if cancel.is_set():
                    generator.close()
                    self.finished.emit(number, None)
                    return
        except AnnotatorError as exc:
            self.failed.emit(number, str(exc))
        except Exception as exc:  # a bug must not kill the thread that all tasks share
            log.error("background task failed:\n%s", traceback.format_exc())
            self.failed.emit(number, f"unexpected error: {exc!r}")


@dataclass
class Task:
    name: str
    job: Job
    on_progress: Callable[[Any], None] = lambda _step: None
    on_finished: Callable[[Any], None] = lambda _result: None
    on_failed: Callable[[str], None] = lambda _message: None
    cancel: Event = field(default_factory=Event)
    number: int = 0


class TaskRunner(QObject):
    """Owns the worker thread; queues tasks; cancels and stops cleanly."""

    started = Signal(str)  # task name
    progressed = Signal(object)  # the running task's latest step
    idle = Signal()  # nothing left to run
    _submit = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("annotator-worker")
        self._worker = GeneratorWorker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._queue: deque[Task] = deque()
        self._numbers = 0
        self._thread.start()

    @property
    def current(self) -> Task | None:
        return self._queue[0] if self._queue else None

    def is_busy(self) -> bool:
        return bool(self._queue)

    def submit(self, task: Task) -> Task:
        self._numbers += 1
        task.number = self._numbers
        self._queue.append(task)
        if len(self._queue) == 1:
            self.started.emit(task.name)
        self._submit.emit(task.number, task.job, task.cancel)
        return task

    def cancel_current(self) -> None:
        if self._queue:
            self._queue[0].cancel.set()

    def cancel_all(self) -> None:
        for task in self._queue:
            task.cancel.set()

    def shutdown(self) -> None:
        """Cancel everything, then stop the thread and wait for it (quit never hangs)."""
        self.cancel_all()
        self._thread.quit()
        self._thread.wait()
        self._queue.clear()

    def _task(self, number: int) -> Task | None:
        return next((t for t in self._queue if t.number == number), None)

    def _on_progress(self, number: int, step: object) -> None:
        task = self._task(number)
        if task is not None:
            task.on_progress(step)
            self.progressed.emit(step)

    def _on_finished(self, number: int, result: object) -> None:
        task = self._done(number)
        if task is not None:
            task.on_finished(result)
        self._next()

    def _on_failed(self, number: int, message: str) -> None:
        task = self._done(number)
        if task is not None:
            task.on_failed(message)
        self._next()

    def _done(self, number: int) -> Task | None:
        task = self._task(number)
        if task is not None:
            self._queue.remove(task)
        return task

    def _next(self) -> None:
        if self._queue:
            self.started.emit(self._queue[0].name)
        else:
            self.idle.emit()
