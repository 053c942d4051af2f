"""The demo project a first start opens: a few short articles the team wrote, in resources/."""

from __future__ import annotations

from pathlib import Path

from annotator.services.importing import run_import
from annotator.services.project import Project
from annotator.services.resources import demo_articles


def create_demo_project(path: Path, lock: bool = False) -> Project:
    """Create (or reopen) the demo project at ``path`` with the demo articles imported."""
    path.parent.mkdir(parents=True, exist_ok=True)
    project = Project.open_or_create(path, lock=lock)
    run_import(project, demo_articles())
    return project
