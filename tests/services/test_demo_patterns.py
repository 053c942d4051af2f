"""The demo project gets the patterns that fit its articles; a new project does not."""

from __future__ import annotations

from pathlib import Path

from annotator.services.demo import add_demo_patterns, create_demo_project
from annotator.services.project import Project
from annotator.services.resources import default_codebook, demo_patterns


def test_the_demo_gets_its_own_patterns_once_and_a_new_project_only_the_generic_ones(tmp_path: Path) -> None:
    with Project(tmp_path / "study.annotator", create=True) as study:
        assert study.codebook().patterns == tuple(
            p for p in study.codebook().patterns if p.pattern in [q.pattern for q in default_codebook().patterns]
        )
        assert not any(p.pattern == "Gilgit Baltistan" for p in study.codebook().patterns)
    demo = create_demo_project(tmp_path / "Demo.annotator")
    try:
        phrases = [p.pattern for p in demo.codebook().patterns if isinstance(p.pattern, str)]
        assert phrases == [p.pattern for p in demo_patterns()]
        add_demo_patterns(demo)  # opening the demo again adds nothing twice
        assert len(demo.codebook().patterns) == len(default_codebook().patterns) + len(demo_patterns())
    finally:
        demo.close()
