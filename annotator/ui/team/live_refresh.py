"""Others' progress, live: the window polls a cheap change token every few seconds.

Polling rather than PostgreSQL's LISTEN/NOTIFY: it works the same on a project file (another
process merging packages or importing) and on a server; it needs no triggers and no long-lived
second connection that a dropped network would silently kill; and it costs one indexed
aggregate per window every few seconds — a dozen coders make a handful of tiny queries a
second. The query runs on a thread of its own, never the GUI thread (a server that stopped
answering must not freeze the window) nor the worker thread (a long import must not delay it).
A poll that fails is reported once, as the server being unreachable, and again once it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

INTERVAL_MS = 3000

Token = Callable[[], object]


class LiveRefresh(QObject):
    changed = Signal()  # someone's status or assignment changed since the last poll
    unreachable = Signal(str)  # the poll failed: why (once, until it succeeds again)
    reachable = Signal()  # the poll succeeds again after failing
    _polled = Signal(object, object)  # token or None, error text or None (from the poll thread)

    def __init__(self, token: Callable[[], Token | None], parent: QObject | None = None,
                 interval_ms: int = INTERVAL_MS) -> None:
        """``token()`` gives, on the GUI thread, the function to poll (None: nothing to poll)."""
        super().__init__(parent)
        self._token = token
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-refresh")
        self._pending = False
        self._last: object = None
        self._failing = False
        self._polled.connect(self._on_polled)
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.destroyed.connect(lambda: self._executor.shutdown(wait=False, cancel_futures=True))

    def poll(self) -> None:
        function = self._token()
        if function is None or self._pending:
            return
        self._pending = True
        self._executor.submit(function).add_done_callback(self._done)

    def stop(self) -> None:
        self.timer.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _done(self, future: Future) -> None:  # on the poll thread
        error = future.exception()
        self._polled.emit(None if error else future.result(), None if error is None else str(error))

    def _on_polled(self, token: object, error: str | None) -> None:
        self._pending = False
        if error is not None:
            if not self._failing:
                self._failing = True
                self.unreachable.emit(error)
            return
        if self._failing:
            self._failing = False
            self.reachable.emit()
        if self._last is not None and token != self._last:
            self.changed.emit()
        self._last = token
