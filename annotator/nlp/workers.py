"""Worker processes that read groups of documents and die with the process that started them.

spaCy's own ``nlp.pipe(n_process=...)`` starts workers that block on a pipe they also hold
open, so when the parent is killed (kill -9, a crash) they wait for ever, each holding a
model in memory. Our workers are a ``ProcessPoolExecutor`` whose initializer

- asks Linux to kill the worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``), which
  works even while the worker is deep inside spaCy's compiled code, and
- elsewhere (macOS, Windows) starts a thread that waits on the parent's sentinel
  (``multiprocessing.parent_process()``) and ends the worker when the parent is gone;
- ignores Ctrl-C: the parent handles it and shuts the pool down (no tracebacks from workers).

Each worker holds the job (inherited with ``fork``, pickled once with ``spawn``) and runs it
on one group of documents per task. Results come back in the order the groups went in. A
worker that dies (out of memory, a crash in compiled code) breaks the pool: the pool is
started again and the groups in flight are retried one document at a time, so the document
that kills a worker is the only one reported lost.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
#: Groups waiting in the pool per worker: enough to keep every worker busy, few enough
#: that a cancelled run stops soon and memory stays small.
IN_FLIGHT_PER_WORKER = 2
WORKER_LOST = "the spaCy worker process stopped while reading it (out of memory?)"

_job: Callable[[list], list] | None = None


def die_with_parent(parent_pid: int) -> None:
    """In a worker: end this process when the parent ``parent_pid`` ends."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: the thread below still watches
            pass
    if os.getppid() != parent_pid:  # the parent died before we could ask
        os._exit(1)
    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = threading.Thread(target=_exit_after, args=(parent,), name="annotator-parent", daemon=True)
        watch.start()


def _exit_after(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent's end of the sentinel pipe closes: it has ended
    os._exit(1)


def _start_worker(parent_pid: int, job: Callable[[list], list]) -> None:
    global _job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    _job = job


def _run(group: list) -> list:
    assert _job is not None, "the worker was not initialised"
    return _job(group)


def run_in_workers(
    job: Callable[[list[T]], list[R]],
    groups: Iterable[list[T]],
    n_process: int,
    lost: Callable[[T, str], R],
) -> Iterator[R]:
    """``job(group)`` for each group in ``n_process`` worker processes; the results of all
    groups are yielded in order. ``lost(item, reason)`` stands for an item whose worker died.

    ``groups`` is read lazily (a few groups ahead of the results); closing the generator
    stops reading, cancels the groups not started and shuts the workers down.
    """
    source = iter(groups)
    retries: deque[list[T]] = deque()  # one-item groups to run alone after a worker died
    in_flight: deque[tuple[list[T], Future[list[R]], bool]] = deque()
    executor = _executor(job, n_process)
    try:
        while True:
            retrying = retries or any(alone for *_, alone in in_flight)
            limit = 1 if retrying else IN_FLIGHT_PER_WORKER * n_process
            while len(in_flight) < limit:
                alone = bool(retries)
                group = retries.popleft() if retries else next(source, None)
                if group is None:
                    break
                in_flight.append((group, executor.submit(_run, group), alone))
            if not in_flight:
                return
            group, future, alone = in_flight[0]
            try:
                results = future.result()
            except BrokenProcessPool:
                executor.shutdown(wait=True, cancel_futures=True)
                waiting = [g for g, _, _ in in_flight]
                in_flight.clear()
                if alone:  # this one document alone killed the worker
                    yield lost(group[0], WORKER_LOST)
                    waiting = waiting[1:]
                retries.extendleft(reversed([[item] for g in waiting for item in g]))
                executor = _executor(job, n_process)
                continue
            in_flight.popleft()
            yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _executor(job: Callable[[list[T]], list[R]], n_process: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=n_process,
        mp_context=multiprocessing.get_context(),
        initializer=_start_worker,
        initargs=(os.getpid(), job),
    )
