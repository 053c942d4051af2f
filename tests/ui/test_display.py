"""Without a display the app says so in one line instead of Qt's abort about platform plugins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.ui.shell.display import missing_display

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "env",
    [{"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}, {"QT_QPA_PLATFORM": "offscreen"},
     {"QT_QPA_PLATFORM": "minimal:fontengine=freetype"}],
)
def test_a_display_or_a_headless_platform_is_enough(env: dict[str, str]) -> None:
    assert missing_display(env, platform="linux") is None


def test_no_display_on_linux_is_named_with_the_way_out() -> None:
    reason = missing_display({"QT_QPA_PLATFORM": "xcb"}, platform="linux")
    assert reason is not None and "DISPLAY" in reason and "QT_QPA_PLATFORM=offscreen" in reason
    assert missing_display({}, platform="win32") is None


def test_the_app_started_without_a_display_exits_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(tmp_path / "study.annotator")],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0], result.stderr
