"""Issue 9 point 14: processes end with the command that started them, and a closed pipe
ends a command quietly.

- kill -9 of ``annotator preannotate --processes 2`` takes its spaCy workers with it;
- ``annotator stats … | head`` exits quietly when the reader stops reading.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.domain.model import NewDocument
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from tests.conftest import SMALL_CODEBOOK
from tests.nlp.conftest import MODEL

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "Prime Minister Shehbaz Sharif met Army Chief Asim Munir in Islamabad on Saturday. "


def annotator_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from annotator.app import main; sys.exit(main())", *args]


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``, found in /proc (Linux)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_preannotate_takes_its_worker_processes_with_it(tmp_path: Path) -> None:
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project, project.session() as session:
        docs = DocumentRepository(session)
        for i in range(400):
            docs.add(NewDocument(text=SENTENCE * 40 + f"Item {i}.", title=f"Doc {i}"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        annotator_command("preannotate", str(path), "--model", MODEL, "--processes", "2"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            workers = {pid for pid in children(process.pid) if running(pid)}
        assert len(workers) >= 2, "the two spaCy workers did not start"
        time.sleep(0.5)  # let them get busy
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if running(pid)], "worker processes outlived their parent"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:  # a regression must not leave them running after the test
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_stats_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project, project.session() as session:
        DocumentRepository(session).add(NewDocument(text="Asim Munir spoke.", title="One"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The reader closes its end at once, before stats writes a byte: the first write (or the
    # flush at exit) meets a closed pipe, as with `annotator stats … | head -0`.
    reader_r, writer_w = os.pipe()
    os.close(reader_r)
    try:
        result = subprocess.run(
            annotator_command("stats", str(path)), stdout=writer_w, stderr=subprocess.PIPE,
            env=env, cwd=ROOT, timeout=120, text=True,
        )
    finally:
        os.close(writer_w)
    assert result.stderr == ""
    assert result.returncode in (0, 141, -signal.SIGPIPE)


def test_stats_piped_into_head_prints_no_error(tmp_path: Path) -> None:
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project, project.session() as session:
        docs = DocumentRepository(session)
        for i in range(3):
            docs.add(NewDocument(text=f"Asim Munir spoke on day {i}.", title=f"Doc {i}"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pipeline = subprocess.run(
        ["sh", "-c", '"$@" | head -n 1', "sh", *annotator_command("stats", str(path))],
        capture_output=True, env=env, cwd=ROOT, timeout=120, text=True,
    )
    assert pipeline.returncode == 0
    assert "error" not in pipeline.stderr.lower() and "Traceback" not in pipeline.stderr
    assert len(pipeline.stdout.splitlines()) == 1
