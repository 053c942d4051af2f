"""A non-editable install works: the default codebook and the demo articles ship in the wheel.

The wheel is built offline from a copy of the sources (no build isolation, so no network) and
installed into a folder of its own; a fresh interpreter then runs from outside the checkout,
so nothing can be found through the repository itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("annotator", "resources", "setup.py", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(origin, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    return next(out.glob("annotator-*.whl"))


def test_the_wheel_holds_the_codebook_demo_articles_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "annotator/resources/codebook/default.json" in names
    assert any(n.startswith("annotator/resources/demo/") and n.endswith(".txt") for n in names)
    assert any(n.startswith("annotator/storage/migrations/versions/0001") for n in names)


def test_an_installed_copy_creates_a_project_and_the_demo(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    script = (
        "import annotator, json, pathlib, sys\n"
        "from annotator.services.demo import create_demo_project\n"
        "from annotator.services.stats import project_stats\n"
        f"assert annotator.__file__.startswith({str(target)!r}), annotator.__file__\n"
        "project = create_demo_project(pathlib.Path('demo.annotator'))\n"
        "print(json.dumps(project_stats(project)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert '"documents": 4' in done.stdout
    assert (tmp_path / "demo.annotator").exists()
