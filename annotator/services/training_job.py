"""Training as a job for the app's worker thread: a generator of progress steps.

spaCy's training loop reports through callbacks, not by yielding; so the training runs on a
helper thread of its own and its steps come back through a queue, and this generator (driven
on the app's worker thread, never the GUI's) yields them. Closing the generator (the app's
Cancel) sets the cancel event and waits for the helper to leave spaCy's loop, which removes
its temporary folder: a cancelled training leaves nothing behind.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator
from threading import Event

from annotator.domain.errors import AnnotatorError, TrainingError
from annotator.domain.training import TrainingStep
from annotator.nlp.models import describe_error
from annotator.services.project import Project
from annotator.services.training import Trainer, TrainingOptions, TrainingReport

_DONE = object()


def training_steps(
    project: Project, options: TrainingOptions, cancel: Event, trainer: Trainer | None = None
) -> Generator[TrainingStep, None, TrainingReport | None]:
    """Yields a step after each epoch; returns the report (None when cancelled)."""
    trainer = trainer or Trainer(project)
    steps: queue.Queue[object] = queue.Queue()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["report"] = trainer.run(options, on_step=steps.put, cancel=cancel)
        except AnnotatorError as exc:
            outcome["error"] = exc
        except Exception as exc:  # spaCy failing: one line for the reader, never a traceback
            outcome["error"] = TrainingError(f"{project.path}: the training failed: {describe_error(exc)}")
        finally:
            steps.put(_DONE)

    helper = threading.Thread(target=work, name="annotator-training", daemon=True)
    helper.start()
    try:
        while True:
            item = steps.get()
            if item is _DONE:
                break
            yield item  # type: ignore[misc]
    finally:
        if helper.is_alive():  # closed early: the app cancelled
            cancel.set()
            helper.join()
    error = outcome.get("error")
    if isinstance(error, AnnotatorError):
        raise error
    report = outcome.get("report")
    assert report is None or isinstance(report, TrainingReport)
    return None if report is None or report.cancelled else report
