"""Faults while many coders work on one server project (issue 14, point 5).

The coders are real processes running ``benchmarks/team_load.py`` (the load test's coders),
each journalling every action it completed. A server of this module's own is started, so it
can be stopped and started again; without PostgreSQL's server programs the tests are skipped
(a failure under ``ANNOTATOR_REQUIRE_PG``).
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from pathlib import Path

import pytest

from benchmarks.team_check import consistency_problems, verify
from benchmarks.team_load import (
    ACCEPTS,
    ADDS,
    RELABELS,
    create_study,
    plan_coders,
    read_journal,
    start_coders,
)
from tests.server.pgserver import LocalServer

pytestmark = pytest.mark.postgres

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(own_server: LocalServer) -> LocalServer:
    return own_server


@pytest.fixture
def url(server: LocalServer) -> str:
    name = f"team_faults_{next(_numbers)}"
    with server.psycopg.connect(server.url("postgres"), autocommit=True) as connection:  # type: ignore[attr-defined]
        connection.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    return server.url(name)


def _join(processes: list) -> None:  # type: ignore[type-arg]
    for process in processes:
        process.join(timeout=60)
        if process.is_alive():
            process.kill()
            process.join()


def test_coders_resume_after_a_server_restart_and_lose_nothing(
    server: LocalServer, url: str, tmp_path: Path
) -> None:
    # enough documents that neither coder runs out before the restart (an action takes ms)
    documents = create_study(url, 400, 2)
    works = plan_coders(url, documents, coders=2, seconds=8, folder=tmp_path, start_in_s=4)
    processes = start_coders(works)
    time.sleep(max(0.0, works[0].start_at + 2.5 - time.time()))
    server.restart(down_s=1.0)
    back_at = time.time()
    _join(processes)

    assert [p.exitcode for p in processes] == [0, 0]
    outcome = verify(url, works)
    assert (outcome.lost, outcome.duplicates, outcome.unexpected) == (0, 0, 0)
    assert outcome.errors == 0, outcome.problems
    for work in works:
        records = read_journal(Path(work.journal))
        before = [r for r in records if "at" in r and r["at"] < back_at - 1.0]
        after = [r for r in records if "at" in r and r["at"] > back_at]
        assert before and after, f"{work.coder} did not work both before and after the restart"
    # the restart was met: at least one coder had an action cut off and saw it through
    assert any(figures["retries"].get("connection") for figures in outcome.per_coder.values())
    assert consistency_problems(url) == {}


def test_a_coder_killed_mid_claim_leaves_no_half_written_claim_or_orphans(
    url: str, tmp_path: Path
) -> None:
    # enough documents that neither coder runs out before the restart (an action takes ms)
    documents = create_study(url, 400, 2)
    works = plan_coders(url, documents, coders=2, seconds=8, folder=tmp_path, start_in_s=4)
    victim = works[0]
    victim.slow_s = 1.0  # each new claim's transaction is held open between its row and values
    processes = start_coders(works)
    journal = Path(victim.journal)
    deadline = time.time() + 40
    while time.time() < deadline:  # its last action: a document's last entity; next comes a claim
        records = [r for r in read_journal(journal) if "doc" in r]
        if records and records[-1]["kind"] == "add":
            on_document = [r for r in records if r["doc"] == records[-1]["doc"]]
            if len(on_document) == ACCEPTS + RELABELS + ADDS:
                break
        time.sleep(0.01)
    else:
        pytest.fail("the coder never reached a claim")
    time.sleep(0.3)  # inside the claim's transaction: its row is written, its values are not
    os.kill(processes[0].pid, signal.SIGKILL)
    _join(processes)

    assert processes[0].exitcode == -signal.SIGKILL
    assert processes[1].exitcode == 0
    assert consistency_problems(url) == {}
    outcome = verify(url, works)  # everything reported done is there; nothing more
    assert (outcome.lost, outcome.duplicates, outcome.unexpected, outcome.errors) == (0, 0, 0, 0)
    killed_on = records[-1]["doc"]
    assert not any(r["kind"] == "claim" and r["doc"] == killed_on for r in read_journal(journal))
