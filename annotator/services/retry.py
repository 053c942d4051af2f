"""Run one coder action again when the server could not complete it for a passing reason.

Every coder action is one short transaction (``Project.session``); this wraps the whole action,
not the transaction inside it, because only the action can be run again from the start. Two
passing reasons are retried, with a short, growing pause:

* the server rolled the transaction back for a concurrent one (serialization failure,
  deadlock): nothing of it was saved, so it runs again as it is, a few times;
* the connection dropped (network, server restart): if that happened during the commit, the
  change may or may not be saved. ``saved`` (when the action is not idempotent) looks, after
  reconnecting, whether the change is in the database; only if not is the action run again,
  so it is never applied twice. Reconnection is tried until ``patience_s`` has passed, then
  the ``ServerUnreachableError`` goes to the caller: the action is visibly not saved.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from annotator.storage.server import transient_failure

T = TypeVar("T")

CONFLICT_ATTEMPTS = 6
PATIENCE_S = 30.0
FIRST_PAUSE_S = 0.02
LONGEST_PAUSE_S = 1.0


def retrying(
    action: Callable[[], T],
    saved: Callable[[], T | None] | None = None,
    patience_s: float = PATIENCE_S,
    on_retry: Callable[[str], None] | None = None,
) -> T:
    """``action()``, run again after a serialization failure, deadlock or dropped connection.

    ``saved()`` returns the action's result when its change is already in the database and
    None when it is not; without it the action must be safe to run twice (setting a value,
    a status, accepting a suggestion).
    """
    deadline = time.monotonic() + patience_s
    pause = FIRST_PAUSE_S
    conflicts = 0
    unsure = False  # a connection dropped: the last attempt may have been committed
    while True:
        try:
            if unsure and saved is not None:
                found = saved()
                unsure = False
                if found is not None:
                    return found
            return action()
        except Exception as exc:
            kind = transient_failure(exc)
            if kind is None:
                raise
            if kind == "conflict":
                conflicts += 1
                if conflicts >= CONFLICT_ATTEMPTS:
                    raise
            else:
                unsure = True
                if time.monotonic() + pause > deadline:
                    raise
            if on_retry is not None:
                on_retry(kind)
            # jitter keeps coders that collided from colliding again at the same moment
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 2, LONGEST_PAUSE_S)
