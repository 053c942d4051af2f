"""Issue 15.2: `annotator train` prints progress and the side-by-side table; Ctrl+C cancels cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli.main import run
from tests.learning.corpus import make_study


def test_train_prints_progress_the_side_by_side_table_and_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.annotator"
    make_study(path, n=12)[0].close()
    code = run(["train", str(path), "--eval", "25%", "--seed", "2", "--max-minutes", "0.3", "--keep"],
               lambda request: 0)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Training from 12 finished document(s)" in out and "25% held out (seed 2)" in out
    assert "epoch" in out and "held-out F1" in out
    assert "Held-out documents: 3 (trained on 9)" in out
    table = [line for line in out.splitlines() if line.startswith(("label", "PARTY", "overall"))]
    assert len(table) == 3 and len(table[1].split()) == 8  # label, gold, then P R F1 twice
    assert "kept" in out and str(models_folder_of(path)) in out


def models_folder_of(path: Path) -> Path:
    return path.with_name(path.name + ".models")


def test_a_bad_evaluation_share_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["train", str(tmp_path / "x.annotator"), "--eval", "120%"], lambda request: 0)
    assert "between 0% and 100%" in capsys.readouterr().err


def test_too_few_documents_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "study.annotator"
    make_study(path, n=4, done=2)[0].close()
    assert run(["train", str(path)], lambda request: 0) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("annotator: error: ") and "only 2 document(s) are finished" in err
    assert len(err.splitlines()) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_cancels_cleanly_and_keeps_no_model(tmp_path: Path) -> None:
    path = tmp_path / "study.annotator"
    make_study(path, n=16)[0].close()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "annotator", "train", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    deadline = time.monotonic() + 120
    for line in child.stdout:
        if line.startswith("epoch") or time.monotonic() > deadline:
            break
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert "Training cancelled: nothing was kept" in out
    folder = models_folder_of(path)
    assert not folder.exists() or list(folder.iterdir()) == []
