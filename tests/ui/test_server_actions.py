"""Issue 14.3 in the window: an action the server rolled back for a concurrent one is run again;
one that could not reach the server says plainly that it was not saved, without freezing."""

from __future__ import annotations

import time

from sqlalchemy.exc import OperationalError

from annotator.domain.errors import ServerUnreachableError


class SerializationFailure(Exception):
    sqlstate = "40001"


def test_an_action_rolled_back_for_a_concurrent_one_runs_again(qtbot, window) -> None:
    attempts = []

    def action() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("UPDATE ...", {}, SerializationFailure("could not serialize"))
        return "saved"

    assert window.controller._guarded(action) == "saved"
    assert len(attempts) == 2


def test_an_unreachable_server_is_said_at_once_and_the_change_called_not_saved(qtbot, window) -> None:
    messages: list[str] = []
    window.controller.message.connect(messages.append)

    def action() -> None:
        raise ServerUnreachableError("postgresql://ayesha@db/study", "db:5432", "Connection refused")

    started = time.monotonic()
    assert window.controller._guarded(action) is None
    assert time.monotonic() - started < 1.0  # not waited for: the window stays responsive
    assert messages == ["postgresql://ayesha@db/study: cannot reach the server at db:5432: Connection "
                        "refused. This change was not saved: do it again once the server answers "
                        "(the window says when)."]
