"""The demo project a first start opens: a few short articles the team wrote, in resources/."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotator.services.codebook import CodebookService
from annotator.services.importing import run_import
from annotator.services.project import Project
from annotator.services.resources import demo_articles, demo_patterns


def create_demo_project(path: Path, lock: bool = False) -> Project:
    """Create (or reopen) the demo project at ``path`` with the demo articles imported."""
    path.parent.mkdir(parents=True, exist_ok=True)
    project = Project.open_or_create(path, lock=lock)
    add_demo_patterns(project)
    run_import(project, demo_articles())
    return project


def add_demo_patterns(project: Project) -> None:
    """Give the demo its own patterns (places in Pakistan, one operation's name): they fit
    the demo articles, not every study, so the default codebook does not carry them."""
    codebook = project.codebook()
    have = {(p.label, str(p.pattern)) for p in codebook.patterns}
    missing = tuple(
        p for p in demo_patterns() if (p.label, str(p.pattern)) not in have and codebook.label(p.label)
    )
    if missing:
        CodebookService(project).save(replace(codebook, patterns=codebook.patterns + missing))
