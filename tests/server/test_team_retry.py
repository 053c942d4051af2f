"""Retrying a coder action (services/retry.py): what is retried, and never applied twice."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from annotator.domain.errors import ServerUnreachableError
from annotator.services import retry
from annotator.services.retry import retrying


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _server_error(sqlstate: str) -> OperationalError:
    return OperationalError("UPDATE claims ...", {}, _DriverError(sqlstate))


def _dropped() -> ServerUnreachableError:
    return ServerUnreachableError("postgresql://coder@db/study", "db:5432", "server closed the connection")


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    pauses: list[float] = []
    monkeypatch.setattr(retry.time, "sleep", pauses.append)
    return pauses


def _failing(*errors: Exception):  # type: ignore[no-untyped-def]
    calls = []

    def action() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "saved"

    return action, calls


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_serialization_failure_or_deadlock_runs_the_action_again(sqlstate: str, no_pauses: list[float]) -> None:
    action, calls = _failing(_server_error(sqlstate), _server_error(sqlstate))
    assert retrying(action) == "saved"
    assert len(calls) == 3
    assert len(no_pauses) == 2 and no_pauses[0] < 0.1  # short pauses


def test_conflicts_are_retried_a_few_times_only() -> None:
    action, calls = _failing(*[_server_error("40001")] * 20)
    with pytest.raises(OperationalError):
        retrying(action)
    assert len(calls) == retry.CONFLICT_ATTEMPTS


def test_other_errors_are_not_retried() -> None:
    action, calls = _failing(IntegrityError("INSERT", {}, _DriverError("23505")))
    with pytest.raises(IntegrityError):
        retrying(action)
    assert len(calls) == 1


def test_after_a_dropped_connection_a_saved_change_is_not_applied_again() -> None:
    action, calls = _failing(_dropped())
    looked = []

    def saved() -> str:
        looked.append(1)
        return "found"

    assert retrying(action, saved=saved) == "found"
    assert (len(calls), len(looked)) == (1, 1)


def test_after_a_dropped_connection_an_unsaved_change_is_made_once() -> None:
    action, calls = _failing(_dropped(), _dropped())
    assert retrying(action, saved=lambda: None) == "saved"
    assert len(calls) == 3


def test_when_the_server_stays_away_the_action_is_visibly_not_saved() -> None:
    action, calls = _failing(*[_dropped()] * 1000)
    with pytest.raises(ServerUnreachableError):
        retrying(action, saved=lambda: None, patience_s=0.0)
    assert len(calls) == 1
